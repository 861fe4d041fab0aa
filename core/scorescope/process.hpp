#pragma once
// Forward noising processes of docs/math.md: x_t = a(t) x0 + s(t) eps, eps ~ N(0, I), t in [0, 1]
// for every process, with the SDE dx = f(t) x dt + g(t) dw whose marginals these are.
//
//   DDPM (Ho et al. 2020), discrete k = 1..T, t = k/T:  a = sqrt(abar_k), s = sqrt(1 - abar_k),
//     betas linear 1e-4 -> 0.02 or the cosine schedule of Nichol & Dhariwal 2021 (beta <= 0.999).
//     Between grid points log abar is interpolated linearly in t, so the SDE view is exact on
//     the grid and f, g are piecewise constant.
//   VP (Song et al. 2021):   a = m(t) = exp(-t^2 (bmax - bmin)/4 - t bmin/2), s = sqrt(1 - m^2)
//   sub-VP:                  a = m(t), s = 1 - m^2
//   VE (NCSN):               a = 1, s = smin (smax/smin)^t
//   OU (horizon T_ou):       a = exp(-T_ou t), s = sqrt(1 - exp(-2 T_ou t))
//
// f(t) is the linear drift coefficient (the SDE drift is f(t) x); g2(t) = g(t)^2.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "scorescope/points.hpp"
#include "scorescope/rng.hpp"

namespace scorescope {

enum class ProcessKind { Ddpm, DdpmCosine, Vp, SubVp, Ve, Ou };

struct ProcessParams {
  int ddpmSteps = 1000;       // T
  double ddpmBetaMin = 1e-4;  // linear schedule endpoints
  double ddpmBetaMax = 0.02;
  double cosineOffset = 0.008;  // s in the cosine schedule
  double cosineMaxBeta = 0.999;
  double vpBetaMin = 0.1;
  double vpBetaMax = 20.0;
  double veSigmaMin = 0.01;
  double veSigmaMax = 10.0;
  double ouHorizon = 5.0;  // T_ou: physical time is T_ou * t
};

class Process {
 public:
  explicit Process(ProcessKind kind, ProcessParams params = {});

  ProcessKind kind() const { return kind_; }
  const ProcessParams& params() const { return params_; }
  bool isDiscrete() const { return kind_ == ProcessKind::Ddpm || kind_ == ProcessKind::DdpmCosine; }

  double a(double t) const;
  double s(double t) const;
  double f(double t) const;
  double g2(double t) const;
  double g(double t) const;
  // Signal-to-noise ratio a^2 / s^2.
  double snr(double t) const { return a(t) * a(t) / (s(t) * s(t)); }

  // DDPM tables (discrete kinds only): betas()[k-1] = beta_k, alphaBars()[k] = abar_k, abar_0 = 1.
  const std::vector<double>& betas() const { return betas_; }
  const std::vector<double>& alphaBars() const { return alphaBars_; }

  // x_t = a x0 + s eps for given noise (scrubbing t with each particle's eps fixed).
  Points noised(const Points& x0, const Points& eps, double t) const;
  // x_t = a x0 + s eps with eps = rng.normals(n, 0) (row i of x0 uses counter i).
  Points sampleForward(const Points& x0, double t, const CounterRng& rng) const;
  // One DDPM noising step x_k = sqrt(1 - beta_k) x_{k-1} + sqrt(beta_k) eps (discrete kinds).
  Points ddpmStep(const Points& xPrev, int k, const CounterRng& rng) const;

  // DDPM posterior q(x_{k-1} | x_k, x0) = N(mu~, beta~ I) of Ho et al. 2020, eq. (7):
  //   mu~ = sqrt(abar_{k-1}) beta_k / (1 - abar_k) x0 + sqrt(alpha_k) (1 - abar_{k-1}) / (1 - abar_k) x_k
  //   beta~_k = (1 - abar_{k-1}) / (1 - abar_k) beta_k.   (discrete kinds, 1 <= k <= T)
  struct Posterior {
    double x0Coefficient;
    double xkCoefficient;
    double variance;
  };
  Posterior ddpmPosterior(int k) const;

  // The Gaussian transition between two times t < u: x_u | x_t ~ N(ratio x_t, variance I), with
  // ratio = a(u)/a(t) and variance = s(u)^2 - ratio^2 s(t)^2. For DDPM from (k-1)/T to k/T this
  // is (sqrt(alpha_k), beta_k); every ancestral step below is written with it.
  struct Transition {
    double ratio;
    double variance;
  };
  Transition transition(double t, double u) const;

 private:
  double logAlphaBar(double t) const;       // discrete kinds
  double logAlphaBarSlope(double t) const;  // d/dt log abar, piecewise constant

  ProcessKind kind_;
  ProcessParams params_;
  std::vector<double> betas_;
  std::vector<double> alphaBars_;
  std::vector<double> logAlphaBars_;
};

// Every kind, in menu order: the one list the CLI, the panels and scene files use.
inline constexpr std::array kAllProcessKinds = {ProcessKind::Ddpm, ProcessKind::DdpmCosine, ProcessKind::Vp,
                                                ProcessKind::SubVp, ProcessKind::Ve, ProcessKind::Ou};
// Stable names used by the CLI and scene files: ddpm, ddpm-cosine, vp, subvp, ve, ou.
std::string_view processName(ProcessKind kind);
// What a menu shows: "VP SDE", "VE SDE (NCSN)", ...
const char* processTitle(ProcessKind kind);
// Returns false for an unknown name (the caller reports processNames()).
bool parseProcessKind(std::string_view name, ProcessKind& out);
std::string processNames();

// EDM / Karras et al. 2022 noise levels, descending from smax to smin:
// sigma_i = (smax^(1/rho) + i/(N-1) (smin^(1/rho) - smax^(1/rho)))^rho, i = 0..N-1.
std::vector<double> karrasSigmas(int n, double sigmaMin, double sigmaMax, double rho = 7.0);

}  // namespace scorescope
