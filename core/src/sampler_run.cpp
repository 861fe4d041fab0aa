#include "scorescope/sampler_run.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace scorescope {
namespace {

int annealedLevels(const SamplerSettings& s) { return std::max(1, s.steps / s.stepsPerLevel); }

// NCSN levels: noise levels sigma = s/a geometric from sigma(1) down to sigma(tEnd), as times.
std::vector<double> geometricLevelTimes(const Process& p, int levels, double tEnd) {
  if (levels == 1) return {tEnd};
  const double first = p.s(1.0) / p.a(1.0);
  const double last = p.s(tEnd) / p.a(tEnd);
  std::vector<double> times(static_cast<std::size_t>(levels));
  for (int l = 0; l < levels; ++l) {
    times[l] = timeForNoiseLevel(p, first * std::pow(last / first, l / (levels - 1.0)));
  }
  return times;
}

std::string range(const char* field, const char* allowed, double got) {
  return std::string(field) + ": expected " + allowed + ", got " + std::to_string(got);
}

}  // namespace

std::string_view samplerName(SamplerKind kind) {
  switch (kind) {
    case SamplerKind::Ddpm: return "ddpm";
    case SamplerKind::Ddim: return "ddim";
    case SamplerKind::ReverseSde: return "sde";
    case SamplerKind::OdeEuler: return "ode-euler";
    case SamplerKind::OdeHeun: return "ode-heun";
    case SamplerKind::OdeRk4: return "ode-rk4";
    case SamplerKind::OdeRk45: return "ode-rk45";
    case SamplerKind::Langevin: return "langevin";
    case SamplerKind::AnnealedLangevin: return "annealed-langevin";
    case SamplerKind::PredictorCorrector: return "pc";
  }
  throw std::logic_error("samplerName(): unknown sampler kind");
}

bool parseSamplerKind(std::string_view name, SamplerKind& out) {
  for (SamplerKind kind : kAllSamplerKinds) {
    if (samplerName(kind) == name) {
      out = kind;
      return true;
    }
  }
  return false;
}

std::string samplerNames() {
  std::string names;
  for (SamplerKind kind : kAllSamplerKinds) {
    if (!names.empty()) names += ", ";
    names += samplerName(kind);
  }
  return names;
}

int defaultSteps(SamplerKind kind) {
  switch (kind) {
    case SamplerKind::Ddpm: return 1000;
    case SamplerKind::OdeRk45: return 500;
    case SamplerKind::Langevin:
    case SamplerKind::AnnealedLangevin: return 1000;
    case SamplerKind::Ddim:
    case SamplerKind::ReverseSde:
    case SamplerKind::OdeEuler:
    case SamplerKind::OdeHeun:
    case SamplerKind::OdeRk4:
    case SamplerKind::PredictorCorrector: return 100;
  }
  throw std::logic_error("defaultSteps(): unknown sampler kind");
}

std::string validateSamplerSettings(const SamplerSettings& s) {
  if (s.steps < 1 || s.steps > 100000) return range("steps", "an integer in [1, 100000]", s.steps);
  if (s.tEnd >= 1.0) return range("t-end", "a time in [0, 1) (or < 0 for the default)", s.tEnd);
  if (!(s.ddimEta >= 0.0 && s.ddimEta <= 1.0)) return range("eta", "a number in [0, 1]", s.ddimEta);
  if (!(s.langevinStepSize > 0.0)) return range("langevin-step", "a number > 0", s.langevinStepSize);
  if (!(s.langevinNoiseLevel > 0.0)) return range("langevin-noise", "a number > 0", s.langevinNoiseLevel);
  if (s.stepsPerLevel < 1) return range("steps-per-level", "an integer >= 1", s.stepsPerLevel);
  if (s.kind == SamplerKind::AnnealedLangevin && s.steps < s.stepsPerLevel) {
    return range("steps", "at least steps-per-level for annealed Langevin (levels x steps per level)", s.steps);
  }
  if (!(s.annealedEpsilon > 0.0)) return range("annealed-eps", "a number > 0", s.annealedEpsilon);
  if (s.correctorSteps < 0) return range("corrector-steps", "an integer >= 0", s.correctorSteps);
  if (!(s.correctorSnr > 0.0)) return range("snr", "a number > 0", s.correctorSnr);
  if (!(s.rk45.rtol > 0.0 && s.rk45.atol > 0.0)) return range("rtol/atol", "numbers > 0", std::min(s.rk45.rtol, s.rk45.atol));
  return {};
}

int expectedSteps(const SamplerSettings& s) {
  switch (s.kind) {
    case SamplerKind::AnnealedLangevin: return annealedLevels(s) * s.stepsPerLevel + 1;
    case SamplerKind::OdeRk45:
    case SamplerKind::Ddpm:
    case SamplerKind::Ddim:
    case SamplerKind::ReverseSde:
    case SamplerKind::OdeEuler:
    case SamplerKind::OdeHeun:
    case SamplerKind::OdeRk4:
    case SamplerKind::Langevin:
    case SamplerKind::PredictorCorrector: return s.steps + 1;
  }
  throw std::logic_error("expectedSteps(): unknown sampler kind");
}

Points initialParticles(const Process& process, const SamplerSettings& settings, Eigen::Index n,
                        const CounterRng& rng) {
  if (settings.kind == SamplerKind::Langevin) return rng.normals(n, 0);
  return samplePrior(process, n, rng);
}

Trajectory runSampler(const ScoreModel& model, const SamplerSettings& s, Points x,
                      const CounterRng& rng, const RecordOptions& record,
                      const StepCallback& progress) {
  const Process& p = model.process();
  const bool discreteGrid = s.kind == SamplerKind::Ddpm || s.kind == SamplerKind::Ddim;
  const double tEnd = discreteGrid ? 0.0 : (s.tEnd >= 0.0 ? s.tEnd : defaultTMin(p));
  TrajectoryRecorder recorder(x.rows(), expectedSteps(s), record);
  int lastStep = 0;
  double lastT = 1.0;
  const StepCallback callback = recorder.callback([&](int step, double t, const Points& state) {
    lastStep = step;
    lastT = t;
    return !progress || progress(step, t, state);
  });
  const CounterRng noise = rng.derive(0x5A);
  switch (s.kind) {
    case SamplerKind::Ddpm:
      x = sampleDdpm(model, std::move(x), makeTimeGrid(p, s.steps, tEnd, s.spacing), s.ddpmVariance,
                     noise, callback);
      break;
    case SamplerKind::Ddim:
      x = sampleDdim(model, std::move(x), makeTimeGrid(p, s.steps, tEnd, s.spacing), s.ddimEta,
                     noise, callback);
      break;
    case SamplerKind::ReverseSde:
      x = sampleReverseSde(model, std::move(x), makeTimeGrid(p, s.steps, tEnd, s.spacing), noise,
                           callback);
      break;
    case SamplerKind::OdeEuler:
    case SamplerKind::OdeHeun:
    case SamplerKind::OdeRk4: {
      const OdeMethod method = s.kind == SamplerKind::OdeEuler  ? OdeMethod::Euler
                               : s.kind == SamplerKind::OdeHeun ? OdeMethod::Heun
                                                                : OdeMethod::Rk4;
      x = samplePfOde(model, std::move(x), makeTimeGrid(p, s.steps, tEnd, s.spacing), method,
                      callback);
      break;
    }
    case SamplerKind::OdeRk45: {
      Rk45Options options = s.rk45;
      options.maxSteps = s.steps;
      x = samplePfOdeRk45(model, std::move(x), tEnd, options, nullptr, callback);
      break;
    }
    case SamplerKind::Langevin: {
      const double t = timeForNoiseLevel(p, s.langevinNoiseLevel);
      x = sampleLangevin(model, std::move(x), t, s.langevinStepSize, s.steps, noise, callback);
      break;
    }
    case SamplerKind::AnnealedLangevin: {
      const std::vector<double> levels = geometricLevelTimes(p, annealedLevels(s), tEnd);
      x = sampleAnnealedLangevin(model, std::move(x), levels, s.stepsPerLevel, s.annealedEpsilon,
                                 noise, callback);
      break;
    }
    case SamplerKind::PredictorCorrector:
      x = samplePredictorCorrector(model, std::move(x), makeTimeGrid(p, s.steps, tEnd, s.spacing),
                                   s.correctorSteps, s.correctorSnr, noise, callback);
      break;
    default: throw std::logic_error("runSampler(): unknown sampler kind");
  }
  if (s.denoiseFinal && !recorder.cancelled() && p.s(lastT) > 0.0) {
    x = model.denoise(x, lastT);
    callback(lastStep + 1, 0.0, x);
  }
  return recorder.finish(std::move(x));
}

}  // namespace scorescope
