#include "scorescope/samplers.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "scorescope/parametrization.hpp"

namespace scorescope {
namespace {

// A number as messages print it: short (%g: "0", "0.5", "1e+308"), never "0.000000".
std::string shortNumber(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

// Entry points check their arguments in every build type: a bad grid or step count is an
// exception naming the function and what it expected, never a division by zero or a NaN batch.
void require(bool ok, const char* function, const std::string& expected) {
  if (!ok) throw std::invalid_argument(std::string(function) + ": expected " + expected);
}

void requireDescendingGrid(const std::vector<double>& ts, const char* function) {
  require(ts.size() >= 2, function, "a time grid of at least 2 times, got " + std::to_string(ts.size()));
  for (std::size_t i = 0; i + 1 < ts.size(); ++i) {
    require(ts[i] > ts[i + 1] && ts[i] <= 1.0 && ts[i + 1] >= 0.0, function,
            "strictly descending times in [0, 1]");
  }
}

bool report(const StepCallback& callback, int step, double t, const Points& x) {
  return !callback || callback(step, t, x);
}

Points noiseFor(const CounterRng& rng, int step, Eigen::Index n) {
  return rng.derive(static_cast<std::uint64_t>(step)).normals(n, 0);
}

// One reverse-SDE Euler-Maruyama step from t to u < t; the last step of a run adds no noise
// (it returns the mean, as Song et al.'s samplers do before the final denoising).
Points reverseSdeStep(const ScoreModel& model, const Points& x, double t, double u, bool addNoise,
                      const CounterRng& rng, int step) {
  const Process& p = model.process();
  const double dt = u - t;
  Points next = x + (p.f(t) * x - p.g2(t) * model.score(x, t)) * dt;
  if (addNoise) next += std::sqrt(p.g2(t) * -dt) * noiseFor(rng, step, x.rows());
  return next;
}

}  // namespace

Points sampleDdpm(const ScoreModel& model, Points x, const std::vector<double>& ts,
                  DdpmVariance variance, const CounterRng& rng, const StepCallback& callback) {
  requireDescendingGrid(ts, "sampleDdpm()");
  const Process& p = model.process();
  if (!report(callback, 0, ts[0], x)) return x;
  for (std::size_t i = 0; i + 1 < ts.size(); ++i) {
    const double t = ts[i];
    const double u = ts[i + 1];
    const double st = p.s(t);
    const double su = p.s(u);
    const auto [r, q2] = p.transition(u, t);  // x_t | x_u ~ N(r x_u, q2 I)
    const Points eps = model.noise(x, t);
    x = (x - (q2 / st) * eps) / r;
    const double sigma2 = variance == DdpmVariance::Beta ? q2 : q2 * (su * su) / (st * st);
    const bool last = i + 2 == ts.size();
    if (!last) x += std::sqrt(sigma2) * noiseFor(rng, static_cast<int>(i), x.rows());
    if (!report(callback, static_cast<int>(i) + 1, u, x)) break;
  }
  return x;
}

Points sampleDdim(const ScoreModel& model, Points x, const std::vector<double>& ts, double eta,
                  const CounterRng& rng, const StepCallback& callback) {
  requireDescendingGrid(ts, "sampleDdim()");
  require(eta >= 0.0 && eta <= 1.0, "sampleDdim()", "eta in [0, 1], got " + shortNumber(eta));
  const Process& p = model.process();
  if (!report(callback, 0, ts[0], x)) return x;
  for (std::size_t i = 0; i + 1 < ts.size(); ++i) {
    const double t = ts[i];
    const double u = ts[i + 1];
    const double st = p.s(t);
    const double su = p.s(u);
    const Points eps = model.noise(x, t);
    const Points denoised = denoiserFromNoise(x, eps, p.a(t), st);
    const double sig = eta * (su / st) * std::sqrt(p.transition(u, t).variance);
    x = p.a(u) * denoised + std::sqrt(std::max(0.0, su * su - sig * sig)) * eps;
    if (sig > 0.0) x += sig * noiseFor(rng, static_cast<int>(i), x.rows());
    if (!report(callback, static_cast<int>(i) + 1, u, x)) break;
  }
  return x;
}

Points ddimEncode(const ScoreModel& model, Points x, const std::vector<double>& ascendingTs,
                  const StepCallback& callback) {
  std::vector<double> descending(ascendingTs.rbegin(), ascendingTs.rend());
  requireDescendingGrid(descending, "ddimEncode()");
  const Process& p = model.process();
  if (!report(callback, 0, ascendingTs[0], x)) return x;
  for (std::size_t i = 0; i + 1 < ascendingTs.size(); ++i) {
    const double t = ascendingTs[i];
    const double u = ascendingTs[i + 1];
    const Points eps = model.noise(x, t);
    const Points denoised = denoiserFromNoise(x, eps, p.a(t), p.s(t));
    x = p.a(u) * denoised + p.s(u) * eps;
    if (!report(callback, static_cast<int>(i) + 1, u, x)) break;
  }
  return x;
}

Points sampleReverseSde(const ScoreModel& model, Points x, const std::vector<double>& ts,
                        const CounterRng& rng, const StepCallback& callback) {
  requireDescendingGrid(ts, "sampleReverseSde()");
  if (!report(callback, 0, ts[0], x)) return x;
  for (std::size_t i = 0; i + 1 < ts.size(); ++i) {
    const bool last = i + 2 == ts.size();
    x = reverseSdeStep(model, x, ts[i], ts[i + 1], !last, rng, static_cast<int>(i));
    if (!report(callback, static_cast<int>(i) + 1, ts[i + 1], x)) break;
  }
  return x;
}

Points pfOdeDrift(const ScoreModel& model, const Points& x, double t) {
  const Process& p = model.process();
  return p.f(t) * x - 0.5 * p.g2(t) * model.score(x, t);
}

Points samplePfOde(const ScoreModel& model, Points x, const std::vector<double>& ts,
                   OdeMethod method, const StepCallback& callback) {
  requireDescendingGrid(ts, "samplePfOde()");
  if (!report(callback, 0, ts[0], x)) return x;
  for (std::size_t i = 0; i + 1 < ts.size(); ++i) {
    const double t = ts[i];
    const double u = ts[i + 1];
    const double h = u - t;
    switch (method) {
      case OdeMethod::Euler: x += h * pfOdeDrift(model, x, t); break;
      case OdeMethod::Heun: {
        const Points d1 = pfOdeDrift(model, x, t);
        const Points d2 = pfOdeDrift(model, x + h * d1, u);
        x += 0.5 * h * (d1 + d2);
        break;
      }
      case OdeMethod::Rk4: {
        const Points k1 = pfOdeDrift(model, x, t);
        const Points k2 = pfOdeDrift(model, x + 0.5 * h * k1, t + 0.5 * h);
        const Points k3 = pfOdeDrift(model, x + 0.5 * h * k2, t + 0.5 * h);
        const Points k4 = pfOdeDrift(model, x + h * k3, u);
        x += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        break;
      }
    }
    if (!report(callback, static_cast<int>(i) + 1, u, x)) break;
  }
  return x;
}

Points samplePfOdeRk45(const ScoreModel& model, Points x, double tEnd, const Rk45Options& options,
                       Rk45Stats* stats, const StepCallback& callback) {
  // Dormand & Prince 1980 coefficients (the RK5(4)7M pair, first same as last).
  static constexpr double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
  static constexpr double a21 = 1.0 / 5;
  static constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
  static constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
  static constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561,
                          a54 = -212.0 / 729;
  static constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247,
                          a64 = 49.0 / 176, a65 = -5103.0 / 18656;
  static constexpr double b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192,
                          b5 = -2187.0 / 6784, b6 = 11.0 / 84;
  // Error weights: fifth-order minus embedded fourth-order solution.
  static constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920,
                          e5 = -17253.0 / 339200, e6 = 22.0 / 525, e7 = -1.0 / 40;

  require(tEnd >= 0.0 && tEnd < 1.0, "samplePfOdeRk45()", "tEnd in [0, 1), got " + shortNumber(tEnd));
  require(options.rtol > 0.0 && options.atol > 0.0 && options.maxSteps >= 1, "samplePfOdeRk45()",
          "rtol > 0, atol > 0 and maxSteps >= 1");
  Rk45Stats local;
  Rk45Stats& st = stats ? *stats : local;
  st = {};
  double t = 1.0;
  double h = -(1.0 - tEnd) / 20.0;
  const double n = static_cast<double>(x.size());
  Points k1 = pfOdeDrift(model, x, t);
  int step = 0;
  if (!report(callback, 0, t, x)) return x;
  while (t > tEnd && st.accepted + st.rejected < options.maxSteps) {
    if (t + h < tEnd) h = tEnd - t;
    const Points k2 = pfOdeDrift(model, x + h * (a21 * k1), t + c2 * h);
    const Points k3 = pfOdeDrift(model, x + h * (a31 * k1 + a32 * k2), t + c3 * h);
    const Points k4 = pfOdeDrift(model, x + h * (a41 * k1 + a42 * k2 + a43 * k3), t + c4 * h);
    const Points k5 =
        pfOdeDrift(model, x + h * (a51 * k1 + a52 * k2 + a53 * k3 + a54 * k4), t + c5 * h);
    const Points k6 = pfOdeDrift(
        model, x + h * (a61 * k1 + a62 * k2 + a63 * k3 + a64 * k4 + a65 * k5), t + h);
    const Points next = x + h * (b1 * k1 + b3 * k3 + b4 * k4 + b5 * k5 + b6 * k6);
    const Points k7 = pfOdeDrift(model, next, t + h);
    const Points error = h * (e1 * k1 + e3 * k3 + e4 * k4 + e5 * k5 + e6 * k6 + e7 * k7);
    const Points scale =
        (options.atol + options.rtol * x.cwiseAbs().cwiseMax(next.cwiseAbs()).array()).matrix();
    const double norm = std::sqrt((error.array() / scale.array()).square().sum() / n);
    if (norm <= 1.0) {
      t += h;
      x = next;
      k1 = k7;
      ++st.accepted;
      st.tReached = t;
      if (!report(callback, ++step, t, x)) break;
    } else {
      ++st.rejected;
    }
    const double factor = norm > 0.0 ? 0.9 * std::pow(norm, -0.2) : 5.0;
    h *= std::clamp(factor, 0.2, 5.0);
  }
  return x;
}

Points sampleLangevin(const ScoreModel& model, Points x, double t, double stepSize, int steps,
                      const CounterRng& rng, const StepCallback& callback) {
  require(t > 0.0 && t <= 1.0, "sampleLangevin()", "t in (0, 1], got " + shortNumber(t));
  require(stepSize > 0.0 && std::isfinite(stepSize), "sampleLangevin()", "a step size > 0, got " + shortNumber(stepSize));
  require(steps >= 0, "sampleLangevin()", "steps >= 0, got " + std::to_string(steps));
  if (!report(callback, 0, t, x)) return x;
  for (int i = 0; i < steps; ++i) {
    x += 0.5 * stepSize * model.score(x, t) + std::sqrt(stepSize) * noiseFor(rng, i, x.rows());
    if (!report(callback, i + 1, t, x)) break;
  }
  return x;
}

Points sampleAnnealedLangevin(const ScoreModel& model, Points x,
                              const std::vector<double>& levelTimes, int stepsPerLevel,
                              double epsilon, const CounterRng& rng,
                              const StepCallback& callback) {
  require(!levelTimes.empty(), "sampleAnnealedLangevin()", "at least one noise level");
  require(stepsPerLevel >= 1, "sampleAnnealedLangevin()", "stepsPerLevel >= 1, got " + std::to_string(stepsPerLevel));
  require(epsilon > 0.0 && std::isfinite(epsilon), "sampleAnnealedLangevin()", "epsilon > 0, got " + shortNumber(epsilon));
  const Process& p = model.process();
  // t = 0 is a level only where the process has noise there (VE: s(0) = sigma_min > 0).
  for (double t : levelTimes) {
    require(t >= 0.0 && t <= 1.0 && p.s(t) > 0.0, "sampleAnnealedLangevin()",
            "level times in [0, 1] with s(t) > 0, got t = " + shortNumber(t));
  }
  // Step sizes follow the noise std of x_t itself (s, not s/a): that is the scale of p_t the
  // Langevin chain moves in, and keeps eta_l / s_l^2 fixed (stable) at every level.
  auto level = [&](double t) { return p.s(t); };
  const double last = level(levelTimes.back());
  int step = 0;
  if (!report(callback, 0, levelTimes.front(), x)) return x;
  for (double t : levelTimes) {
    const double sigma = level(t);
    const double eta = epsilon * sigma * sigma / (last * last);
    for (int i = 0; i < stepsPerLevel; ++i) {
      x += 0.5 * eta * model.score(x, t) + std::sqrt(eta) * noiseFor(rng, step, x.rows());
      if (!report(callback, ++step, t, x)) return x;
    }
  }
  return x;
}

Points samplePredictorCorrector(const ScoreModel& model, Points x, const std::vector<double>& ts,
                                int correctorSteps, double snr, const CounterRng& rng,
                                const StepCallback& callback) {
  requireDescendingGrid(ts, "samplePredictorCorrector()");
  require(correctorSteps >= 0 && snr > 0.0, "samplePredictorCorrector()", "correctorSteps >= 0 and snr > 0");
  // Corrector noise uses a stream separate from the predictor's.
  const CounterRng correctorRng = rng.derive(0xC0);
  int draw = 0;
  if (!report(callback, 0, ts[0], x)) return x;
  for (std::size_t i = 0; i + 1 < ts.size(); ++i) {
    const double t = ts[i];
    for (int m = 0; m < correctorSteps; ++m) {
      const Points score = model.score(x, t);
      const Points z = noiseFor(correctorRng, draw++, x.rows());
      const double ratio = snr * z.rowwise().norm().mean() / score.rowwise().norm().mean();
      const double eta = 2.0 * ratio * ratio;  // Song et al. Algorithm 4/5 with alpha = 1
      x += eta * score + std::sqrt(2.0 * eta) * z;
    }
    const bool last = i + 2 == ts.size();
    x = reverseSdeStep(model, x, t, ts[i + 1], !last, rng, static_cast<int>(i));
    if (!report(callback, static_cast<int>(i) + 1, ts[i + 1], x)) break;
  }
  return x;
}

Points samplePrior(const Process& process, Eigen::Index n, const CounterRng& rng) {
  return process.s(1.0) * rng.normals(n, 0);
}

}  // namespace scorescope
