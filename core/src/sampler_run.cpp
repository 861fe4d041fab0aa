#include "scorescope/sampler_run.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace scorescope {
namespace {

int annealedLevels(const SamplerSettings& s) { return std::max(1, s.steps / s.stepsPerLevel); }

std::vector<double> grid(const ScoreModel& m, const SamplerSettings& s, double tEnd) {
  return makeTimeGrid(m.process(), s.steps, tEnd, s.spacing);
}

// One adapter per registry row: the settings a sampler reads, passed to its paper-shaped function.
Points runDdpm(const ScoreModel& m, const SamplerSettings& s, Points x, double tEnd,
               const CounterRng& noise, const StepCallback& cb) {
  return sampleDdpm(m, std::move(x), grid(m, s, tEnd), s.ddpmVariance, noise, cb);
}
Points runDdim(const ScoreModel& m, const SamplerSettings& s, Points x, double tEnd,
               const CounterRng& noise, const StepCallback& cb) {
  return sampleDdim(m, std::move(x), grid(m, s, tEnd), s.ddimEta, noise, cb);
}
Points runSde(const ScoreModel& m, const SamplerSettings& s, Points x, double tEnd,
              const CounterRng& noise, const StepCallback& cb) {
  return sampleReverseSde(m, std::move(x), grid(m, s, tEnd), noise, cb);
}
template <OdeMethod method>
Points runOde(const ScoreModel& m, const SamplerSettings& s, Points x, double tEnd,
              const CounterRng&, const StepCallback& cb) {
  return samplePfOde(m, std::move(x), grid(m, s, tEnd), method, cb);
}
Points runRk45(const ScoreModel& m, const SamplerSettings& s, Points x, double tEnd,
               const CounterRng&, const StepCallback& cb) {
  Rk45Options options = s.rk45;
  options.maxSteps = s.steps;
  return samplePfOdeRk45(m, std::move(x), tEnd, options, nullptr, cb);
}
Points runLangevin(const ScoreModel& m, const SamplerSettings& s, Points x, double,
                   const CounterRng& noise, const StepCallback& cb) {
  const double t = timeForNoiseLevel(m.process(), s.langevinNoiseLevel);
  return sampleLangevin(m, std::move(x), t, s.langevinStepSize, s.steps, noise, cb);
}
Points runAnnealed(const ScoreModel& m, const SamplerSettings& s, Points x, double tEnd,
                   const CounterRng& noise, const StepCallback& cb) {
  const std::vector<double> levels = geometricLevelTimes(m.process(), annealedLevels(s), tEnd);
  return sampleAnnealedLangevin(m, std::move(x), levels, s.stepsPerLevel, s.annealedEpsilon, noise, cb);
}
Points runPc(const ScoreModel& m, const SamplerSettings& s, Points x, double tEnd,
             const CounterRng& noise, const StepCallback& cb) {
  return samplePredictorCorrector(m, std::move(x), grid(m, s, tEnd), s.correctorSteps, s.correctorSnr,
                                  noise, cb);
}

constexpr unsigned kGridded = kUsesGrid | kUsesTEnd;

// The registry, in SamplerKind order (checked by samplerInfo).
constexpr std::array<SamplerInfo, kAllSamplerKinds.size()> kSamplers = {{
    {SamplerKind::Ddpm, "ddpm", "DDPM ancestral", 1000, kUsesGrid | kUsesDdpmVariance, true, runDdpm},
    {SamplerKind::Ddim, "ddim", "DDIM", 100, kUsesGrid | kUsesDdimEta, true, runDdim},
    {SamplerKind::ReverseSde, "sde", "Reverse SDE (Euler-Maruyama)", 100, kGridded, true, runSde},
    {SamplerKind::OdeEuler, "ode-euler", "PF-ODE (Euler)", 100, kGridded, false, runOde<OdeMethod::Euler>},
    {SamplerKind::OdeHeun, "ode-heun", "PF-ODE (Heun)", 100, kGridded, false, runOde<OdeMethod::Heun>},
    {SamplerKind::OdeRk4, "ode-rk4", "PF-ODE (RK4)", 100, kGridded, false, runOde<OdeMethod::Rk4>},
    {SamplerKind::OdeRk45, "ode-rk45", "PF-ODE (adaptive RK45)", 500, kUsesTEnd | kUsesTolerances, false, runRk45},
    {SamplerKind::Langevin, "langevin", "Langevin at a fixed noise level", 1000, kUsesLangevin, true, runLangevin},
    {SamplerKind::AnnealedLangevin, "annealed-langevin", "Annealed Langevin (NCSN)", 1000,
     kUsesTEnd | kUsesAnnealing, true, runAnnealed},
    {SamplerKind::PredictorCorrector, "pc", "Predictor-corrector", 100, kGridded | kUsesCorrector, true, runPc},
}};

// DDPM and DDIM step on the discrete grid down to t = 0 (no kUsesTEnd).
bool endsAtTimeZero(const SamplerInfo& info) { return (info.options & kUsesGrid) && !(info.options & kUsesTEnd); }

std::string range(const char* field, const char* allowed, double got) {
  char number[32];
  std::snprintf(number, sizeof number, "%g", got);
  return std::string(field) + ": expected " + allowed + ", got " + number;
}

}  // namespace

const SamplerInfo& samplerInfo(SamplerKind kind) {
  const auto i = static_cast<std::size_t>(kind);
  if (i >= kSamplers.size() || kSamplers[i].kind != kind) {
    throw std::logic_error("samplerInfo(): no registry row for sampler kind " + std::to_string(i));
  }
  return kSamplers[i];
}

std::string_view samplerName(SamplerKind kind) { return samplerInfo(kind).name; }

bool parseSamplerKind(std::string_view name, SamplerKind& out) {
  for (const SamplerInfo& info : kSamplers) {
    if (info.name == name) {
      out = info.kind;
      return true;
    }
  }
  return false;
}

std::string samplerNames() {
  std::string names;
  for (const SamplerInfo& info : kSamplers) {
    if (!names.empty()) names += ", ";
    names += info.name;
  }
  return names;
}

SamplerSettings defaultSamplerSettings(SamplerKind kind) {
  SamplerSettings s;
  s.kind = kind;
  s.steps = defaultSteps(kind);
  return s;
}

std::string validateSamplerSettings(const SamplerSettings& s) {
  (void)samplerInfo(s.kind);  // an unknown kind is a programming error: throws
  if (s.steps < 1 || s.steps > kMaxSamplerSteps) return range("steps", "an integer in [1, 100000]", s.steps);
  if (!(s.tEnd < 1.0)) return range("t-end", "a time in [0, 1) (or < 0 for the default)", s.tEnd);
  if (!(s.ddimEta >= 0.0 && s.ddimEta <= 1.0)) return range("eta", "a number in [0, 1]", s.ddimEta);
  if (!(s.langevinStepSize > 0.0 && s.langevinStepSize <= 10.0))
    return range("langevin-step", "a number in (0, 10]", s.langevinStepSize);
  if (!(s.langevinNoiseLevel > 0.0 && s.langevinNoiseLevel <= 100.0))
    return range("langevin-noise", "a number in (0, 100]", s.langevinNoiseLevel);
  if (s.stepsPerLevel < 1 || s.stepsPerLevel > kMaxSamplerSteps)
    return range("steps-per-level", "an integer in [1, 100000]", s.stepsPerLevel);
  // Karras spacing runs the noise level s/a down to s/a at the end time; for samplers that end
  // at t = 0 that is 0, and the last levels all map back to t = 0 (a repeated time, which the
  // samplers refuse). Uniform spacing only for them.
  if (s.spacing == GridSpacing::Karras && endsAtTimeZero(samplerInfo(s.kind))) {
    std::string atZero, karras;
    for (const SamplerInfo& info : kSamplers) {
      if (!(info.options & kUsesGrid)) continue;
      std::string& list = endsAtTimeZero(info) ? atZero : karras;
      list += (list.empty() ? "" : ", ") + std::string(info.name);
    }
    return "grid: expected uniform for samplers that end at t = 0 (" + atZero + "), got karras with " +
           std::string(samplerInfo(s.kind).name) + " (karras applies to: " + karras + ")";
  }
  if (s.kind == SamplerKind::AnnealedLangevin && s.steps < s.stepsPerLevel) {
    return range("steps", "at least steps-per-level for annealed Langevin (levels x steps per level)", s.steps);
  }
  if (!(s.annealedEpsilon > 0.0 && s.annealedEpsilon <= 10.0))
    return range("annealed-eps", "a number in (0, 10]", s.annealedEpsilon);
  if (s.correctorSteps < 0 || s.correctorSteps > 100) return range("corrector-steps", "an integer in [0, 100]", s.correctorSteps);
  if (!(s.correctorSnr > 0.0 && s.correctorSnr <= 10.0)) return range("snr", "a number in (0, 10]", s.correctorSnr);
  if (!(s.rk45.rtol > 0.0 && s.rk45.rtol <= 1.0)) return range("rtol", "a number in (0, 1]", s.rk45.rtol);
  if (!(s.rk45.atol > 0.0 && s.rk45.atol <= 1.0)) return range("atol", "a number in (0, 1]", s.rk45.atol);
  return {};
}

int expectedSteps(const SamplerSettings& s) {
  // Annealed Langevin runs whole levels: steps rounds down to levels x stepsPerLevel.
  if (s.kind == SamplerKind::AnnealedLangevin) return annealedLevels(s) * s.stepsPerLevel + 1;
  return s.steps + 1;
}

Points initialParticles(const Process& process, const SamplerSettings& settings, Eigen::Index n,
                        const CounterRng& rng) {
  if (settings.kind == SamplerKind::Langevin) return rng.normals(n, 0);
  return samplePrior(process, n, rng);
}

Trajectory runSampler(const ScoreModel& model, const SamplerSettings& s, Points x,
                      const CounterRng& rng, const RecordOptions& record,
                      const StepCallback& progress) {
  if (const std::string invalid = validateSamplerSettings(s); !invalid.empty()) {
    throw std::invalid_argument("runSampler(): " + invalid);
  }
  const Process& p = model.process();
  const SamplerInfo& info = samplerInfo(s.kind);
  // DDPM and DDIM step on the discrete grid down to t = 0; the others stop at the noise floor.
  const double tEnd = !(info.options & kUsesTEnd) ? 0.0 : (s.tEnd >= 0.0 ? s.tEnd : defaultTMin(p));
  TrajectoryRecorder recorder(x.rows(), expectedSteps(s), record);
  int lastStep = 0;
  double lastT = 1.0;
  const StepCallback callback = recorder.callback([&](int step, double t, const Points& state) {
    lastStep = step;
    lastT = t;
    return !progress || progress(step, t, state);
  });
  x = info.run(model, s, std::move(x), tEnd, rng.derive(0x5A), callback);
  // RK45 stops at its step cap wherever it is; denoising at that (high) t would return samples
  // far from the target with no sign of failure. (Other samplers always reach tEnd.)
  if (s.kind == SamplerKind::OdeRk45 && !recorder.cancelled() && lastT - tEnd > 1e-12) {
    char reached[32];
    std::snprintf(reached, sizeof reached, "%.2g", lastT);
    throw SamplerStoppedEarly(std::string(info.name) + " reached only t = " + reached + " within " +
                              std::to_string(s.steps) + " steps; raise --steps or loosen --rtol/--atol");
  }
  const bool denoise = s.denoiseFinal && !recorder.cancelled() && p.s(lastT) > 0.0;
  if (denoise) {
    x = model.denoise(x, lastT);
    callback(lastStep + 1, 0.0, x);
  }
  Trajectory trajectory = recorder.finish(std::move(x));
  trajectory.finalDenoise = denoise && !trajectory.cancelled;
  return trajectory;
}

}  // namespace scorescope
