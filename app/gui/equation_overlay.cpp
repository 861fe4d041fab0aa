#include "gui/equation_overlay.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gui/number_text.hpp"
#include "scorescope/guidance.hpp"
#include "scorescope/time_grid.hpp"

namespace scorescope::gui {
namespace {

// printf into a std::string (the overlay's numbers: a handful of short lines per frame).
template <typename... Args>
std::string format(const char* pattern, Args... args) {
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, pattern, args...);
  return buffer;
}

std::string timeAlphaSigma(const Process& p, double t) {
  // fixedText: s(0) is -0.0 for some processes, which printf writes "-0.000".
  return "t = " + fixedText(t, 3) + "    αₜ = " + fixedText(p.a(t), 3) + "    σₜ = " + fixedText(p.s(t), 3);
}

std::vector<std::string> forwardLines(const Process& p, double t) {
  return {"xₜ = αₜ x₀ + σₜ ε,    ε ~ N(0, I)", timeAlphaSigma(p, t)};
}

std::vector<std::string> scoreLines(const Process& p, double t) {
  return {"∇ₓ log pₜ(x) = −E[ε | xₜ = x] / σₜ", "pₜ(x) = ∫ p₀(x₀) N(x; αₜ x₀, σₜ² I) dx₀", timeAlphaSigma(p, t)};
}

// The code's Langevin convention (docs/math.md, samplers.hpp): x ← x + (η/2) ∇ log p + √η z, so
// the η printed is the η of the panel's slider.
std::vector<std::string> langevinLines(const Scene& scene, const Process& p, double t) {
  const SamplerSettings& s = scene.sampled.sampler;
  std::vector<std::string> lines = {"x ← x + (η/2) ∇ₓ log pₜ(x) + √η z,    z ~ N(0, I)"};
  if (s.kind == SamplerKind::AnnealedLangevin) {
    const AnnealedLevel l = annealedLevelAt(s, scene.sampled.process, t);
    lines.push_back("annealed: level l = 1 … L,    η_l = ε σ_l² / σ_L²");
    lines.push_back(format("level %d / %d    σ_l = %.3g    η_l = %.3g    t = %.3f", l.index, l.count, l.sigma,
                           l.stepSize, t));
  } else {
    lines.push_back(format("η = %.3g    t = %.3f    σₜ/αₜ = %.3g", s.langevinStepSize, t, p.s(t) / p.a(t)));
  }
  return lines;
}

std::vector<std::string> reverseLines(const Scene& scene, const Process& p, double t) {
  const SampledScene& x = scene.sampled;
  std::vector<std::string> lines;
  const bool ddim = x.sampler.kind == SamplerKind::Ddim || !x.etaSweep.empty() || x.ddimRoundTrip;
  if (ddim) {
    lines.push_back("DDIM: xₛ = αₛ x̂₀ + √(σₛ² − ς²) ε_θ(xₜ, t) + ς z");
    lines.push_back("ς = η σₛ √(1 − αₜ²σₛ² / (αₛ²σₜ²)),    η = 0: the PF-ODE's map");
  } else {
    lines.push_back("reverse SDE:  dx = [f(t) x − g(t)² ∇ₓ log pₜ(x)] dt + g(t) dw̄");
  }
  lines.push_back("PF-ODE:  dx = [f(t) x − ½ g(t)² ∇ₓ log pₜ(x)] dt");
  std::string numbers = format("t = %.3f    f(t) = %.3g    g(t)² = %.3g", t, p.f(t), p.g2(t));
  if (!x.etaSweep.empty()) {
    numbers += "    η =";
    for (std::size_t i = 0; i < x.etaSweep.size(); ++i) numbers += format(i ? ", %.2g" : " %.2g", x.etaSweep[i]);
  } else if (x.ddimRoundTrip) {
    numbers += "    η = 0";
  } else if (ddim) {
    numbers += format("    η = %.2f", x.sampler.ddimEta);
  }
  lines.push_back(numbers);
  return lines;
}

// The guidance scales on show as gamma: the sweep's (gamma for both kinds) when there is one,
// else the single scale (CFG stores w = gamma - 1).
std::vector<double> guidanceGammas(const GuidanceSpec& g) {
  if (!g.sweep.empty()) return g.sweep;
  return {g.kind == GuidanceKind::ClassifierFree ? lectureGammaFromW(g.scale) : g.scale};
}

std::vector<std::string> guidanceLines(const Scene& scene, double t) {
  const GuidanceSpec& g = scene.sampled.guidance;
  const std::vector<double> gammas = guidanceGammas(g);
  const std::string label = format("y = class %d    t = %.3f", g.label, t);
  auto list = [&](double shift) {
    std::string out;
    for (std::size_t i = 0; i < gammas.size(); ++i) out += format(i ? ", %.3g" : "%.3g", gammas[i] + shift);
    return out;
  };
  switch (g.kind) {
    case GuidanceKind::ClassifierFree:
      return {"CFG:  ε̃ = (1 + w) ε_θ(x, y) − w ε_θ(x)", "       = γ ε_θ(x, y) + (1 − γ) ε_θ(x),    γ = 1 + w",
              "w = " + list(-1.0) + "    γ = " + list(0.0) + "    " + label};
    case GuidanceKind::Classifier:
      return {"∇ₓ log pₜ(x) + γ ∇ₓ log pₜ(y | x)", "γ = " + list(0.0) + "    " + label};
    case GuidanceKind::Conditional:
    case GuidanceKind::None: break;
  }
  return {"∇ₓ log pₜ(x | y) = ∇ₓ log pₜ(x) + ∇ₓ log pₜ(y | x)", label};
}

std::vector<std::string> learnLines(const Process& p, double t) {
  return {"min_θ  E ‖ε_θ(αₜ x₀ + σₜ ε, t) − ε‖²", "s_θ(x, t) = −ε_θ(x, t) / σₜ  ≈  ∇ₓ log pₜ(x)", timeAlphaSigma(p, t)};
}

}  // namespace

AnnealedLevel annealedLevelAt(const SamplerSettings& sampler, ProcessKind kind, double t) {
  const Process p(kind);
  const int count = std::max(1, sampler.steps / std::max(1, sampler.stepsPerLevel));
  const double tEnd = sampler.tEnd < 0.0 ? defaultTMin(p) : sampler.tEnd;
  const std::vector<double> levels = geometricLevelTimes(p, count, tEnd);
  std::size_t nearest = 0;
  for (std::size_t i = 1; i < levels.size(); ++i) {
    if (std::abs(levels[i] - t) < std::abs(levels[nearest] - t)) nearest = i;
  }
  const double last = p.s(levels.back());
  AnnealedLevel out;
  out.index = static_cast<int>(nearest) + 1;
  out.count = static_cast<int>(levels.size());
  out.sigma = p.s(levels[nearest]);
  out.stepSize = sampler.annealedEpsilon * out.sigma * out.sigma / (last * last);
  return out;
}

std::vector<std::string> equationLines(const Scene& scene, double t) {
  const Process p(scene.sampled.process);
  switch (scene.sampled.lesson) {
    case Lesson::ForwardNoising: return forwardLines(p, t);
    case Lesson::ScoreField: return scoreLines(p, t);
    case Lesson::Langevin: return langevinLines(scene, p, t);
    case Lesson::ReverseVsOde: return reverseLines(scene, p, t);
    case Lesson::Guidance: return guidanceLines(scene, t);
    case Lesson::LearnScore: return learnLines(p, t);
  }
  return {};
}

}  // namespace scorescope::gui
