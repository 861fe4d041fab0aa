#include "scorescope/process.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace scorescope {
namespace {

// log m(t) of the VP and sub-VP processes.
double vpLogMean(const ProcessParams& p, double t) {
  return -t * t * (p.vpBetaMax - p.vpBetaMin) / 4.0 - t * p.vpBetaMin / 2.0;
}

double vpBeta(const ProcessParams& p, double t) {
  return p.vpBetaMin + t * (p.vpBetaMax - p.vpBetaMin);
}

// 1 - exp(x) for x <= 0 without cancellation near 0.
double oneMinusExp(double x) { return -std::expm1(x); }

}  // namespace

Process::Process(ProcessKind kind, ProcessParams params) : kind_(kind), params_(params) {
  if (!isDiscrete()) return;
  const int steps = params_.ddpmSteps;
  if (!(steps >= 2)) throw std::invalid_argument("Process: expected ddpmSteps >= 2");
  betas_.resize(static_cast<std::size_t>(steps));
  if (kind_ == ProcessKind::Ddpm) {
    for (int k = 1; k <= steps; ++k) {
      betas_[k - 1] = params_.ddpmBetaMin +
                      (params_.ddpmBetaMax - params_.ddpmBetaMin) * (k - 1) / (steps - 1.0);
    }
  } else {
    // Nichol & Dhariwal 2021, eq. (17): abar(t) = f(t)/f(0), betas clipped at cosineMaxBeta.
    const double offset = params_.cosineOffset;
    auto f = [&](int k) {
      const double c = std::cos((k / double(steps) + offset) / (1.0 + offset) * std::numbers::pi / 2);
      return c * c;
    };
    for (int k = 1; k <= steps; ++k) {
      betas_[k - 1] = std::min(1.0 - f(k) / f(k - 1), params_.cosineMaxBeta);
    }
  }
  alphaBars_.assign(static_cast<std::size_t>(steps) + 1, 1.0);
  logAlphaBars_.assign(static_cast<std::size_t>(steps) + 1, 0.0);
  for (int k = 1; k <= steps; ++k) {
    logAlphaBars_[k] = logAlphaBars_[k - 1] + std::log1p(-betas_[k - 1]);
    alphaBars_[k] = std::exp(logAlphaBars_[k]);
  }
}

double Process::logAlphaBar(double t) const {
  const int steps = params_.ddpmSteps;
  const double position = std::clamp(t, 0.0, 1.0) * steps;
  const int k = std::min(static_cast<int>(std::floor(position)), steps - 1);
  const double frac = position - k;
  return (1.0 - frac) * logAlphaBars_[k] + frac * logAlphaBars_[k + 1];
}

double Process::logAlphaBarSlope(double t) const {
  const int steps = params_.ddpmSteps;
  const int k = std::clamp(static_cast<int>(std::ceil(t * steps)), 1, steps);
  return steps * (logAlphaBars_[k] - logAlphaBars_[k - 1]);
}

double Process::a(double t) const {
  switch (kind_) {
    case ProcessKind::Ddpm:
    case ProcessKind::DdpmCosine: return std::exp(0.5 * logAlphaBar(t));
    case ProcessKind::Vp:
    case ProcessKind::SubVp: return std::exp(vpLogMean(params_, t));
    case ProcessKind::Ve: return 1.0;
    case ProcessKind::Ou: return std::exp(-params_.ouHorizon * t);
  }
  throw std::logic_error("Process::a(): unknown process kind");
}

double Process::s(double t) const {
  switch (kind_) {
    case ProcessKind::Ddpm:
    case ProcessKind::DdpmCosine: return std::sqrt(oneMinusExp(logAlphaBar(t)));
    case ProcessKind::Vp: return std::sqrt(oneMinusExp(2.0 * vpLogMean(params_, t)));
    case ProcessKind::SubVp: return oneMinusExp(2.0 * vpLogMean(params_, t));
    case ProcessKind::Ve:
      return params_.veSigmaMin * std::pow(params_.veSigmaMax / params_.veSigmaMin, t);
    case ProcessKind::Ou: return std::sqrt(oneMinusExp(-2.0 * params_.ouHorizon * t));
  }
  throw std::logic_error("Process::s(): unknown process kind");
}

double Process::f(double t) const {
  switch (kind_) {
    case ProcessKind::Ddpm:
    case ProcessKind::DdpmCosine: return 0.5 * logAlphaBarSlope(t);
    case ProcessKind::Vp:
    case ProcessKind::SubVp: return -0.5 * vpBeta(params_, t);
    case ProcessKind::Ve: return 0.0;
    case ProcessKind::Ou: return -params_.ouHorizon;
  }
  throw std::logic_error("Process::f(): unknown process kind");
}

double Process::g2(double t) const {
  switch (kind_) {
    case ProcessKind::Ddpm:
    case ProcessKind::DdpmCosine: return -logAlphaBarSlope(t);
    case ProcessKind::Vp: return vpBeta(params_, t);
    case ProcessKind::SubVp:
      return vpBeta(params_, t) * oneMinusExp(4.0 * vpLogMean(params_, t));
    case ProcessKind::Ve: {
      const double sigma = s(t);
      return sigma * sigma * 2.0 * std::log(params_.veSigmaMax / params_.veSigmaMin);
    }
    case ProcessKind::Ou: return 2.0 * params_.ouHorizon;
  }
  throw std::logic_error("Process::g2(): unknown process kind");
}

double Process::g(double t) const { return std::sqrt(g2(t)); }

Points Process::noised(const Points& x0, const Points& eps, double t) const {
  return a(t) * x0 + s(t) * eps;
}

Points Process::sampleForward(const Points& x0, double t, const CounterRng& rng) const {
  return noised(x0, rng.normals(x0.rows(), 0), t);
}

Points Process::ddpmStep(const Points& xPrev, int k, const CounterRng& rng) const {
  if (!(isDiscrete() && k >= 1 && k <= params_.ddpmSteps)) throw std::invalid_argument("Process::ddpmStep(): expected a DDPM process and 1 <= k <= T");
  const double beta = betas_[static_cast<std::size_t>(k - 1)];
  return std::sqrt(1.0 - beta) * xPrev + std::sqrt(beta) * rng.normals(xPrev.rows(), 0);
}

Process::Posterior Process::ddpmPosterior(int k) const {
  if (!(isDiscrete() && k >= 1 && k <= params_.ddpmSteps)) throw std::invalid_argument("Process::ddpmPosterior(): expected a DDPM process and 1 <= k <= T");
  const double beta = betas_[static_cast<std::size_t>(k - 1)];
  const double abar = alphaBars_[static_cast<std::size_t>(k)];
  const double abarPrev = alphaBars_[static_cast<std::size_t>(k - 1)];
  return {std::sqrt(abarPrev) * beta / (1.0 - abar),
          std::sqrt(1.0 - beta) * (1.0 - abarPrev) / (1.0 - abar),
          (1.0 - abarPrev) / (1.0 - abar) * beta};
}

Process::Transition Process::transition(double t, double u) const {
  const double ratio = a(u) / a(t);
  const double su = s(u);
  const double st = s(t);
  return {ratio, std::max(0.0, su * su - ratio * ratio * st * st)};
}

std::string_view processName(ProcessKind kind) {
  switch (kind) {
    case ProcessKind::Ddpm: return "ddpm";
    case ProcessKind::DdpmCosine: return "ddpm-cosine";
    case ProcessKind::Vp: return "vp";
    case ProcessKind::SubVp: return "subvp";
    case ProcessKind::Ve: return "ve";
    case ProcessKind::Ou: return "ou";
  }
  throw std::logic_error("processName(): unknown process kind");
}

bool parseProcessKind(std::string_view name, ProcessKind& out) {
  for (ProcessKind kind : kAllProcessKinds) {
    if (processName(kind) == name) {
      out = kind;
      return true;
    }
  }
  return false;
}

std::string processNames() {
  std::string names;
  for (ProcessKind kind : kAllProcessKinds) names += (names.empty() ? "" : ", ") + std::string(processName(kind));
  return names;
}

const char* processTitle(ProcessKind kind) {
  switch (kind) {
    case ProcessKind::Ddpm: return "DDPM (linear betas)";
    case ProcessKind::DdpmCosine: return "DDPM (cosine)";
    case ProcessKind::Vp: return "VP SDE";
    case ProcessKind::SubVp: return "sub-VP SDE";
    case ProcessKind::Ve: return "VE SDE (NCSN)";
    case ProcessKind::Ou: return "OU (T = 5)";
  }
  throw std::logic_error("processTitle(): unknown process kind");
}

std::vector<double> karrasSigmas(int n, double sigmaMin, double sigmaMax, double rho) {
  if (!(n >= 2)) throw std::invalid_argument("karrasSigmas(): expected n >= 2");
  std::vector<double> sigmas(static_cast<std::size_t>(n));
  const double hi = std::pow(sigmaMax, 1.0 / rho);
  const double lo = std::pow(sigmaMin, 1.0 / rho);
  for (int i = 0; i < n; ++i) sigmas[i] = std::pow(hi + i / (n - 1.0) * (lo - hi), rho);
  return sigmas;
}

}  // namespace scorescope
