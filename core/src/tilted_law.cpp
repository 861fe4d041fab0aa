#include "scorescope/tilted_law.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "scorescope/time_grid.hpp"

namespace scorescope {
namespace {

// The noise level (s/a) at which a target without a density at t = 0 is tabulated: the same
// floor the viewport draws point sets at, where p_t is a sum of visible bumps.
constexpr double kPointSetNoiseLevel = 0.03;

std::shared_ptr<const Target> conditionalOf(const Target& target, int label) {
  std::shared_ptr<const Target> c = target.conditional(label);
  if (!c) throw std::invalid_argument("TiltedLaw: class " + std::to_string(label) + " has no data");
  return c;
}

Points guidedScoreWith(const Target& target, const Target& conditional, const Process& process, const Points& x,
                       double t, double gamma) {
  const double a = process.a(t), s = process.s(t);
  const Points score = target.evaluate(x, a, s, {.score = true}).score;
  if (gamma == 0.0) return score;
  return score + gamma * (conditional.evaluate(x, a, s, {.score = true}).score - score);
}

// Row p: the 1D kernel exp(-(x_p - r node_i)^2 / (2 q^2)) over the nodes, divided by its largest
// entry (the node nearest x_p / r gets 1, so far points do not underflow to an all-zero row), and
// (r node_i - x_p) / q^2, the kernel's log-derivative in x_p.
void kernelRows(const Eigen::VectorXd& x, double origin, double step, Eigen::Index nodes, double r, double q,
                Eigen::MatrixXd& kernel, Eigen::MatrixXd& slope) {
  const Eigen::Index n = x.size();
  kernel.resize(n, nodes);
  slope.resize(n, nodes);
  const double inv = 1.0 / (q * q);
  for (Eigen::Index p = 0; p < n; ++p) {
    double nearest = std::numeric_limits<double>::infinity();
    for (Eigen::Index i = 0; i < nodes; ++i) {
      const double d = r * (origin + static_cast<double>(i) * step) - x(p);
      slope(p, i) = d * inv;
      kernel(p, i) = 0.5 * d * d * inv;
      nearest = std::min(nearest, kernel(p, i));
    }
    kernel.row(p) = (nearest - kernel.row(p).array()).exp();
  }
}

// The distinct values among v (NaNs count as one value) and, per entry, the index of its value.
// The viewport asks for the field on a grid of nodes, whose n points have only ~sqrt(n) distinct
// x and y coordinates: the kernel rows and their products with the table are then needed once
// per distinct coordinate, not once per point.
struct Distinct {
  Eigen::VectorXd values;
  std::vector<Eigen::Index> index;
};

Distinct distinct(const Eigen::VectorXd& v) {
  std::vector<Eigen::Index> order(static_cast<std::size_t>(v.size()));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  auto key = [&](Eigen::Index i) { return std::pair{std::isnan(v(i)), v(i)}; };
  std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return key(a) < key(b); });
  Distinct d;
  d.index.resize(order.size());
  std::vector<double> values;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const double value = v(order[k]);
    const bool same = !values.empty() && (values.back() == value || (std::isnan(values.back()) && std::isnan(value)));
    if (!same) values.push_back(value);
    d.index[static_cast<std::size_t>(order[k])] = static_cast<Eigen::Index>(values.size()) - 1;
  }
  d.values = Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()));
  return d;
}

}  // namespace

Eigen::VectorXd guidedLogDensity(const Target& target, const Process& process, const Points& x, double t, int label,
                                 double gamma) {
  const FieldValues v =
      target.evaluate(x, process.a(t), process.s(t), {.logDensity = true, .classPosterior = gamma != 0.0});
  if (gamma == 0.0) return v.logDensity;  // 0 * log 0 would be NaN where the class has no mass
  if (label < 0 || label >= v.classPosterior.cols()) throw std::invalid_argument("guidedLogDensity: no such class");
  return v.logDensity.array() + gamma * v.classPosterior.col(label).array().log();
}

Points guidedScore(const Target& target, const Process& process, const Points& x, double t, int label, double gamma) {
  return guidedScoreWith(target, *conditionalOf(target, label), process, x, t, gamma);
}

TiltedLaw::TiltedLaw(std::shared_ptr<const Target> target, Process process, int label, double gamma, int nodesPerSide)
    : target_(std::move(target)), process_(std::move(process)), label_(label), gamma_(gamma) {
  if (!target_) throw std::invalid_argument("TiltedLaw: expected a target");
  if (nodesPerSide < 16) throw std::invalid_argument("TiltedLaw: expected at least 16 nodes per side");
  conditional_ = conditionalOf(*target_, label);
  baseTime_ = target_->hasDensityAtZeroNoise() ? 0.0 : timeForNoiseLevel(process_, kPointSetNoiseLevel);
  // The box: exact samples of p_t0 (its mass, hence q_0's: the tilt only reweights it) plus a
  // margin of a quarter of the extent and at least one unit (4 sd of the presets' modes).
  const Points data = target_->sample(4000, CounterRng(0x7117ed), nullptr);
  const double a0 = process_.a(baseTime_), s0 = process_.s(baseTime_);
  const Eigen::Vector2d lo = a0 * data.colwise().minCoeff().transpose();
  const Eigen::Vector2d hi = a0 * data.colwise().maxCoeff().transpose();
  const double extent = (hi - lo).maxCoeff();
  const double margin = std::max(1.0, 0.25 * extent) + 4.0 * s0;
  step_ = (extent + 2.0 * margin) / (nodesPerSide - 1);
  const Eigen::Vector2d centre = 0.5 * (lo + hi);
  xMin_ = centre.x() - 0.5 * step_ * (nodesPerSide - 1);
  yMin_ = centre.y() - 0.5 * step_ * (nodesPerSide - 1);

  Points nodes(Eigen::Index(nodesPerSide) * nodesPerSide, 2);
  for (int i = 0; i < nodesPerSide; ++i) {
    for (int j = 0; j < nodesPerSide; ++j) nodes.row(Eigen::Index(i) * nodesPerSide + j) << xMin_ + i * step_, yMin_ + j * step_;
  }
  const Eigen::VectorXd logq = guidedLogDensity(*target_, process_, nodes, baseTime_, label_, gamma_);
  const double top = logq.maxCoeff();
  if (!std::isfinite(top)) throw std::invalid_argument("TiltedLaw: the tilted law has no mass on the grid");
  probability_.resize(nodesPerSide, nodesPerSide);
  for (int i = 0; i < nodesPerSide; ++i) {
    for (int j = 0; j < nodesPerSide; ++j) probability_(i, j) = std::exp(logq(Eigen::Index(i) * nodesPerSide + j) - top);
  }
  const double sum = probability_.sum();
  probability_ /= sum;
  // Z = integral of exp(logq) ~ h^2 sum_ij exp(logq_ij) (the Riemann sum; q_0 is smooth on h).
  logNormaliser_ = top + std::log(sum * step_ * step_);
  // (q / r)^2 = s^2 / r^2 - s0^2 grows with t (the noise-to-signal ratio does): bisect for 2 h.
  const auto resolved = [&](double t) {
    const double r = process_.a(t) / a0, s = process_.s(t);
    return s * s / (r * r) - s0 * s0 >= 4.0 * step_ * step_;
  };
  double below = baseTime_, above = 1.0;
  if (resolved(below)) above = below;
  while (above - below > 1e-9) {
    const double mid = 0.5 * (below + above);
    (resolved(mid) ? above : below) = mid;
  }
  resolvedTime_ = above;
}

Eigen::VectorXd TiltedLaw::logDensity(const Points& x) const {
  return guidedLogDensity(*target_, process_, x, baseTime_, label_, gamma_).array() - logNormaliser_;
}

Points TiltedLaw::noisedScore(const Points& x, double t) const {
  if (!(t >= baseTime_)) throw std::invalid_argument("TiltedLaw::noisedScore: expected t >= the base time");
  const double r = process_.a(t) / process_.a(baseTime_);
  const double s = process_.s(t), s0 = process_.s(baseTime_);
  const double q = std::max(std::sqrt(std::max(0.0, s * s - r * r * s0 * s0)), r * step_);
  const Distinct xs = distinct(x.col(0)), ys = distinct(x.col(1));
  Eigen::MatrixXd kx, dx, ky, dy;
  kernelRows(xs.values, xMin_, step_, probability_.rows(), r, q, kx, dx);
  kernelRows(ys.values, yMin_, step_, probability_.cols(), r, q, ky, dy);
  // q_t(x) ~ sum_ij P_ij kx_i ky_j (up to the per-point scale the rows were divided by, which
  // cancels in the log-derivative); its x-derivative puts dx_i into the sum, its y-derivative dy_j.
  // Rows of the products below belong to distinct x coordinates, transposed so that a point's
  // sums read contiguous columns.
  const Eigen::MatrixXd kxP = (kx * probability_).transpose();
  const Eigen::MatrixXd kxdxP = ((kx.array() * dx.array()).matrix() * probability_).transpose();
  const Eigen::MatrixXd kyT = ky.transpose(), kydyT = (ky.array() * dy.array()).matrix().transpose();
  Points score(x.rows(), 2);
  for (Eigen::Index p = 0; p < x.rows(); ++p) {
    const Eigen::Index i = xs.index[static_cast<std::size_t>(p)], j = ys.index[static_cast<std::size_t>(p)];
    const double value = kxP.col(i).dot(kyT.col(j));
    const bool ok = value > 1e-290;
    score(p, 0) = ok ? kxdxP.col(i).dot(kyT.col(j)) / value : std::numeric_limits<double>::quiet_NaN();
    score(p, 1) = ok ? kxP.col(i).dot(kydyT.col(j)) / value : std::numeric_limits<double>::quiet_NaN();
  }
  return score;
}

Points TiltedLaw::logNormaliserGradient(const Points& x, double t) const {
  return guidedScoreWith(*target_, *conditional_, process_, x, t, gamma_) - noisedScore(x, t);
}

Points TiltedLaw::sample(Eigen::Index n, const CounterRng& rng) const {
  const Eigen::Index cols = probability_.cols();
  std::vector<double> cumulative(static_cast<std::size_t>(probability_.size()));
  double total = 0.0;
  for (Eigen::Index k = 0; k < probability_.size(); ++k) {
    total += probability_(k / cols, k % cols);
    cumulative[static_cast<std::size_t>(k)] = total;
  }
  const Eigen::VectorXd u = rng.uniforms(n, 0), jx = rng.uniforms(n, 1), jy = rng.uniforms(n, 2);
  Points out(n, 2);
  for (Eigen::Index p = 0; p < n; ++p) {
    const auto it = std::lower_bound(cumulative.begin(), cumulative.end(), u(p) * total);
    const Eigen::Index k = std::min<Eigen::Index>(it - cumulative.begin(), probability_.size() - 1);
    out(p, 0) = xMin_ + (static_cast<double>(k / cols) + jx(p) - 0.5) * step_;
    out(p, 1) = yMin_ + (static_cast<double>(k % cols) + jy(p) - 0.5) * step_;
  }
  return out;
}

}  // namespace scorescope
