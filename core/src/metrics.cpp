#include "scorescope/metrics.hpp"

#include <algorithm>
#include <stdexcept>
#include <cmath>
#include <numbers>
#include <vector>

#include "scorescope/time_grid.hpp"

namespace scorescope {
namespace {

std::vector<double> sortedProjection(const Points& x, const Eigen::Vector2d& direction) {
  std::vector<double> projected(static_cast<std::size_t>(x.rows()));
  Eigen::Map<Eigen::VectorXd>(projected.data(), x.rows()) = x * direction;
  std::sort(projected.begin(), projected.end());
  return projected;
}

// The empirical quantile function at level q in (0, 1), linear between order statistics.
double quantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size()) - 0.5;
  if (position <= 0.0) return sorted.front();
  const auto below = static_cast<std::size_t>(position);
  if (below + 1 >= sorted.size()) return sorted.back();
  const double frac = position - static_cast<double>(below);
  return (1.0 - frac) * sorted[below] + frac * sorted[below + 1];
}

}  // namespace

double slicedWasserstein(const Points& a, const Points& b, int order, int directions,
                         std::uint64_t seed) {
  if (!((order == 1 || order == 2) && a.rows() > 0 && b.rows() > 0 && directions > 0)) throw std::invalid_argument("slicedWasserstein(): expected order 1 or 2 and non-empty point sets");
  const CounterRng rng(seed);
  const std::size_t levels = static_cast<std::size_t>(std::max(a.rows(), b.rows()));
  double total = 0.0;
  for (int d = 0; d < directions; ++d) {
    const double angle = 2.0 * std::numbers::pi * rng.uniform(0, static_cast<std::uint64_t>(d));
    const Eigen::Vector2d direction(std::cos(angle), std::sin(angle));
    const std::vector<double> pa = sortedProjection(a, direction);
    const std::vector<double> pb = sortedProjection(b, direction);
    double sum = 0.0;
    for (std::size_t i = 0; i < levels; ++i) {
      const double q = (static_cast<double>(i) + 0.5) / static_cast<double>(levels);
      const double gap = std::abs((pa.size() == levels ? pa[i] : quantile(pa, q)) -
                                  (pb.size() == levels ? pb[i] : quantile(pb, q)));
      sum += order == 1 ? gap : gap * gap;
    }
    total += sum / static_cast<double>(levels);
  }
  const double mean = total / directions;
  return order == 1 ? mean : std::sqrt(mean);
}

double mmdSquared(const Points& a, const Points& b, double bandwidth) {
  if (!(a.rows() > 1 && b.rows() > 1 && bandwidth > 0.0)) throw std::invalid_argument("mmdSquared(): expected two sets of at least 2 points and bandwidth > 0");
  const double inv = 1.0 / (2.0 * bandwidth * bandwidth);
  // Row sums are computed in parallel and added serially, so the result is thread-count independent.
  auto kernelSum = [inv](const Points& x, const Points& y, bool skipDiagonal) {
    Eigen::VectorXd rows(x.rows());
#pragma omp parallel for schedule(static)
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const Eigen::VectorXd d2 = (y.rowwise() - x.row(i)).rowwise().squaredNorm();
      double sum = (-inv * d2.array()).exp().sum();
      if (skipDiagonal) sum -= 1.0;
      rows(i) = sum;
    }
    return rows.sum();
  };
  const double m = static_cast<double>(a.rows());
  const double n = static_cast<double>(b.rows());
  return kernelSum(a, a, true) / (m * (m - 1.0)) + kernelSum(b, b, true) / (n * (n - 1.0)) -
         2.0 * kernelSum(a, b, false) / (m * n);
}

Eigen::VectorXd pfOdeLogLikelihood(const ScoreModel& model, const Points& x0, double t0, int steps,
                                   const LogDensityFn& logPrior) {
  if (!(steps >= 1 && t0 >= 0.0 && t0 < 1.0)) throw std::invalid_argument("pfOdeLogLikelihood(): expected steps >= 1, 0 <= t0 < 1");
  const Process& p = model.process();
  // The augmented ODE: dx/dt = f x - g^2 score / 2, d(ell)/dt = div of that drift.
  auto drift = [&](const Points& x, double t, Eigen::VectorXd& divergence) {
    JacobianPerPoint jacobian;
    const Points score = model.scoreWithJacobian(x, t, jacobian);
    divergence = (2.0 * p.f(t) - 0.5 * p.g2(t) * (jacobian.col(0) + jacobian.col(3)).array()).matrix();
    return Points(p.f(t) * x - 0.5 * p.g2(t) * score);
  };
  Points x = x0;
  Eigen::VectorXd integral = Eigen::VectorXd::Zero(x.rows());
  Eigen::VectorXd d1, d2, d3, d4;
  // Karras-spaced times (ascending): the drift changes fastest at low noise, where they are dense.
  std::vector<double> ts = karrasTimes(p, steps, t0);
  std::reverse(ts.begin(), ts.end());
  for (std::size_t i = 0; i + 1 < ts.size(); ++i) {
    const double t = ts[i];
    const double h = ts[i + 1] - t;
    const Points k1 = drift(x, t, d1);
    const Points k2 = drift(x + 0.5 * h * k1, t + 0.5 * h, d2);
    const Points k3 = drift(x + 0.5 * h * k2, t + 0.5 * h, d3);
    const Points k4 = drift(x + h * k3, t + h, d4);
    x += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
    integral += h / 6.0 * (d1 + 2.0 * d2 + 2.0 * d3 + d4);
  }
  return logPrior(x) + integral;
}

LogDensityFn gaussianPrior(const Process& process) {
  const double s1 = process.s(1.0);
  return [s1](const Points& x) {
    return Eigen::VectorXd((-x.rowwise().squaredNorm().array() / (2.0 * s1 * s1)) -
                           std::log(2.0 * std::numbers::pi * s1 * s1));
  };
}

Eigen::VectorXd noiseUnitScoreError(const ScoreModel& model, const ScoreModel& exact, const Points& x, double t) {
  return (model.score(x, t) - exact.score(x, t)).rowwise().norm() * exact.process().s(t);
}

std::vector<double> scoreErrorAtTimes(const ScoreModel& model, const ScoreModel& exact, const Target& target,
                                      const std::vector<double>& times, Eigen::Index particles, const CounterRng& rng) {
  const Process& p = exact.process();
  std::vector<double> errors;
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double t = times[i];
    const CounterRng stream = rng.derive(static_cast<std::uint64_t>(i));
    const Points xt = p.sampleForward(target.sample(particles, stream, nullptr), t, stream.derive(1));
    errors.push_back((model.score(xt, t) - exact.score(xt, t)).rowwise().squaredNorm().mean());
  }
  return errors;
}

std::vector<double> midpointTimes(double tMin, int count) {
  std::vector<double> times;
  for (int i = 0; i < count; ++i) times.push_back(tMin + (1.0 - tMin) * (i + 0.5) / count);
  return times;
}

double weightedScoreError(const ScoreModel& model, const ScoreModel& exact, const Target& target,
                          int times, Eigen::Index particles, double tMin, const CounterRng& rng) {
  const std::vector<double> ts = midpointTimes(tMin, times);
  const std::vector<double> errors = scoreErrorAtTimes(model, exact, target, ts, particles, rng);
  double total = 0.0;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const double s = exact.process().s(ts[i]);
    total += s * s * errors[i];
  }
  return total / times;
}

Eigen::VectorXd likelihoodMap(const ScoreModel& model, const Points& nodes, double t0) {
  return pfOdeLogLikelihood(model, nodes, t0, kLikelihoodMapSteps, gaussianPrior(model.process()));
}

}  // namespace scorescope
