#pragma once
// Samplers: each maps a batch through a descending time grid ts (ts[0] = 1) and reports every
// step to `callback` (step 0 is the initial state); the noise of step i is drawn from
// rng.derive(i), so a run is reproducible for any thread count. Each is a short function to be
// read against its paper. Returning false from the callback stops the run early; the result is
// then the batch at the last completed step.
#include <vector>

#include "scorescope/rng.hpp"
#include "scorescope/score_model.hpp"
#include "scorescope/trajectory.hpp"

namespace scorescope {

// Ancestral sampling, Ho et al. 2020 Algorithm 2, written for any Gaussian process with the
// transition (r, q^2) of Process::transition between consecutive grid times t > u:
//   x_u = (x_t - q^2 / s_t eps_hat) / r + sigma z,
//   sigma^2 = q^2 (Beta: "sigma_k^2 = beta_k") or q^2 s_u^2 / s_t^2 (PosteriorBeta: beta~_k).
// For DDPM r = sqrt(alpha_k), q^2 = beta_k: this is the paper's formula. No noise on the last step.
enum class DdpmVariance { Beta, PosteriorBeta };
Points sampleDdpm(const ScoreModel& model, Points x, const std::vector<double>& ts,
                  DdpmVariance variance, const CounterRng& rng, const StepCallback& callback = {});

// DDIM, Song, Meng & Ermon 2021, eq. (12), with s_t in place of sqrt(1 - abar_t):
//   x_u = a_u D + sqrt(s_u^2 - sig^2) eps_hat + sig z,  sig = eta sqrt(posterior variance)
//   = eta (s_u / s_t) sqrt(q^2)  (for DDPM the paper's sigma_t(eta)). eta = 0 is deterministic.
Points sampleDdim(const ScoreModel& model, Points x, const std::vector<double>& ts, double eta,
                  const CounterRng& rng, const StepCallback& callback = {});
// The eta = 0 map run forward in time (DDIM inversion): x_u = a_u D(x_t) + s_u eps_hat(x_t) for an
// ascending grid. Decoding with the reversed grid returns the input up to discretisation error.
Points ddimEncode(const ScoreModel& model, Points x, const std::vector<double>& ascendingTs,
                  const StepCallback& callback = {});

// Reverse-time SDE (Anderson 1982; Song et al. 2021 eq. 6), Euler-Maruyama with dt = u - t < 0:
//   x_u = x_t + [f x - g^2 score] dt + g sqrt(|dt|) z.
Points sampleReverseSde(const ScoreModel& model, Points x, const std::vector<double>& ts,
                        const CounterRng& rng, const StepCallback& callback = {});

// Probability-flow ODE (Song et al. 2021 eq. 13): dx/dt = f x - g^2 score / 2, fixed-step
// Euler, Heun (Karras et al. 2022 Algorithm 1, second order) or classic RK4.
enum class OdeMethod { Euler, Heun, Rk4 };
Points samplePfOde(const ScoreModel& model, Points x, const std::vector<double>& ts,
                   OdeMethod method, const StepCallback& callback = {});
// The PF-ODE drift f x - g^2 score / 2 at time t.
Points pfOdeDrift(const ScoreModel& model, const Points& x, double t);

// Adaptive Dormand-Prince RK5(4) from t = 1 to tEnd. One step size for the whole batch, chosen
// from the RMS over all particles of err / (atol + rtol |x|) (Hairer, Norsett & Wanner II.4).
struct Rk45Options {
  double rtol = 1e-4;
  double atol = 1e-4;
  int maxSteps = 500;  // accepted + rejected; the run ends early (at the last t) when exceeded

  bool operator==(const Rk45Options&) const = default;
};
struct Rk45Stats {
  int accepted = 0;
  int rejected = 0;
  double tReached = 1.0;
};
Points samplePfOdeRk45(const ScoreModel& model, Points x, double tEnd, const Rk45Options& options,
                       Rk45Stats* stats = nullptr, const StepCallback& callback = {});

// Unadjusted Langevin dynamics at a fixed time t: x <- x + (eta/2) score(x, t) + sqrt(eta) z.
Points sampleLangevin(const ScoreModel& model, Points x, double t, double stepSize, int steps,
                      const CounterRng& rng, const StepCallback& callback = {});

// Annealed Langevin dynamics (Song & Ermon 2019, Algorithm 1): for each level t_l of the grid
// levelTimes (descending), T steps with eta_l = epsilon s_l^2 / s_L^2, s_l = s(t_l).
Points sampleAnnealedLangevin(const ScoreModel& model, Points x,
                              const std::vector<double>& levelTimes, int stepsPerLevel,
                              double epsilon, const CounterRng& rng,
                              const StepCallback& callback = {});

// Predictor-corrector (Song et al. 2021, Algorithms 2-3): one reverse-SDE Euler-Maruyama step,
// then M Langevin corrector steps whose size comes from the signal-to-noise ratio r:
//   eta = 2 (r |z| / |score|)^2, norms averaged over the batch.
Points samplePredictorCorrector(const ScoreModel& model, Points x, const std::vector<double>& ts,
                                int correctorSteps, double snr, const CounterRng& rng,
                                const StepCallback& callback = {});

// Standard normal draws scaled to the prior N(0, s(1)^2 I) that every sampler starts from.
Points samplePrior(const Process& process, Eigen::Index n, const CounterRng& rng);

}  // namespace scorescope
