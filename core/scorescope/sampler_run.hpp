#pragma once
// Choosing and running a sampler by name with its settings: what the CLI, scenes and the GUI
// use. The defaults are the ones that give good samples on the toy targets (tested).
#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

#include "scorescope/samplers.hpp"
#include "scorescope/time_grid.hpp"
#include "scorescope/trajectory.hpp"

namespace scorescope {

enum class SamplerKind {
  Ddpm,
  Ddim,
  ReverseSde,
  OdeEuler,
  OdeHeun,
  OdeRk4,
  OdeRk45,
  Langevin,
  AnnealedLangevin,
  PredictorCorrector
};

// Every kind, in declaration order (for menus and name lookup).
inline constexpr std::array kAllSamplerKinds = {
    SamplerKind::Ddpm,     SamplerKind::Ddim,     SamplerKind::ReverseSde,
    SamplerKind::OdeEuler, SamplerKind::OdeHeun,  SamplerKind::OdeRk4,
    SamplerKind::OdeRk45,  SamplerKind::Langevin, SamplerKind::AnnealedLangevin,
    SamplerKind::PredictorCorrector};

struct SamplerSettings;

// Which settings of SamplerSettings a sampler reads (besides kind and steps); the CLI rejects an
// option the chosen sampler would ignore, the viewport shows only these.
enum SamplerOption : unsigned {
  kUsesGrid = 1u << 0,           // spacing
  kUsesTEnd = 1u << 1,           // tEnd (DDPM and DDIM always end at t = 0, Langevin at its t)
  kUsesDdpmVariance = 1u << 2,
  kUsesDdimEta = 1u << 3,
  kUsesTolerances = 1u << 4,     // rk45
  kUsesLangevin = 1u << 5,       // langevinNoiseLevel, langevinStepSize
  kUsesAnnealing = 1u << 6,      // stepsPerLevel, annealedEpsilon
  kUsesCorrector = 1u << 7,      // correctorSteps, correctorSnr
};

// Runs one sampler from x down to tEnd (already resolved), reporting every step.
using SamplerFunction = Points (*)(const ScoreModel& model, const SamplerSettings& settings, Points x,
                                   double tEnd, const CounterRng& noise, const StepCallback& callback);

// One row of the sampler registry: everything the front ends need to know about a sampler.
// A new sampler is one function in samplers.hpp plus one row in kSamplers (sampler_run.cpp).
struct SamplerInfo {
  SamplerKind kind;
  std::string_view name;   // CLI and scene-file name: ddpm, ddim, sde, ode-euler, ...
  std::string_view title;  // what the viewport shows: "PF-ODE (Heun)"
  int defaultSteps;        // the step count that gives good samples on the toy targets (tested)
  unsigned options;        // SamplerOption bits
  bool stochastic;         // draws fresh noise every step
  SamplerFunction run;
};

// The registry row of a kind; every kind has one (checked at start-up by a static table test).
const SamplerInfo& samplerInfo(SamplerKind kind);
std::string_view samplerName(SamplerKind kind);
bool parseSamplerKind(std::string_view name, SamplerKind& out);
std::string samplerNames();

struct SamplerSettings {
  SamplerKind kind = SamplerKind::OdeHeun;
  // Number of steps. Annealed Langevin: levels x stepsPerLevel. RK45: the most steps it may take.
  int steps = 100;
  GridSpacing spacing = GridSpacing::Uniform;
  double tEnd = -1.0;  // < 0: defaultTMin(process) (DDPM and DDIM always end at t = 0)
  bool denoiseFinal = true;  // return D(x, tEnd) when s(tEnd) > 0 (Tweedie's last step)
  DdpmVariance ddpmVariance = DdpmVariance::PosteriorBeta;
  double ddimEta = 0.0;
  // ode-rk45's rtol and atol; its step cap (accepted + rejected) is `steps`, so rk45.maxSteps is
  // not used here (scene files no longer read or write it).
  Rk45Options rk45;
  double langevinNoiseLevel = 0.05;  // plain Langevin samples p_t at the t where s/a is this
  double langevinStepSize = 1e-3;    // eta
  int stepsPerLevel = 50;          // annealed Langevin T (1000 steps = 20 levels)
  double annealedEpsilon = 5e-5;   // eta_L at the last level (s_L ~ 0.01): eta_l = s_l^2 / 2
  int correctorSteps = 1;          // predictor-corrector M
  double correctorSnr = 0.16;      // predictor-corrector r

  bool operator==(const SamplerSettings&) const = default;
};

// Settings for `kind` with every default, steps included.
SamplerSettings defaultSamplerSettings(SamplerKind kind);

// One line naming the bad field and its allowed range, or empty when valid.
std::string validateSamplerSettings(const SamplerSettings& settings);

// The step count that gives good samples with each sampler (the CLI's default --steps).
inline int defaultSteps(SamplerKind kind) { return samplerInfo(kind).defaultSteps; }
// Allowed range of SamplerSettings::steps.
inline constexpr int kMaxSamplerSteps = 100000;

// Where a run of these settings starts: the prior N(0, s(1)^2 I), except plain Langevin, which
// starts from N(0, I) (it runs at a fixed small t and would never leave a VE prior).
Points initialParticles(const Process& process, const SamplerSettings& settings, Eigen::Index n,
                        const CounterRng& rng);

// An uncancelled run that ended above its tEnd (ode-rk45 at its step cap): the settings were
// valid but not enough for this target. what() is one line naming the remedy.
struct SamplerStoppedEarly : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Runs the sampler from `x` (normally initialParticles) and records the trajectory. With
// denoiseFinal the Tweedie estimate D(x, tEnd) is reported as one more step at t = 0.
// Throws std::invalid_argument with validateSamplerSettings' message on invalid settings
// (Release builds too), and SamplerStoppedEarly when ode-rk45 used up its steps before tEnd.
Trajectory runSampler(const ScoreModel& model, const SamplerSettings& settings, Points x,
                      const CounterRng& rng, const RecordOptions& record = {},
                      const StepCallback& progress = {});
// The step count the recorder should expect for these settings.
int expectedSteps(const SamplerSettings& settings);

}  // namespace scorescope
