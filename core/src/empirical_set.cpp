#include "scorescope/empirical_set.hpp"

#include <stdexcept>

#include "scorescope/empirical_field.hpp"

namespace scorescope {
EmpiricalSet::EmpiricalSet(Points points, Labels labels)
    : points_(std::move(points)), labels_(std::move(labels)) {
  if (!(points_.rows() > 0)) throw std::invalid_argument("EmpiricalSet: expected at least one point");
  if (labels_.size() == 0) labels_ = Labels::Zero(points_.rows());
  if (!(labels_.size() == points_.rows() && labels_.minCoeff() >= 0)) throw std::invalid_argument("EmpiricalSet: expected one label >= 0 per point");
  labelCount_ = labels_.maxCoeff() + 1;
}

FieldValues EmpiricalSet::evaluate(const Points& x, double a, double s,
                                   FieldRequest request) const {
  if (!(s > 0.0)) throw std::invalid_argument("EmpiricalSet::evaluate(): expected s > 0");
  return empiricalField({points_, labels_, labelCount_}, x, a, s, request);
}

Eigen::VectorXd EmpiricalSet::logDensityOnGrid(const Eigen::VectorXd& xs, const Eigen::VectorXd& ys, double a,
                                               double s) const {
  if (!(s > 0.0)) throw std::invalid_argument("EmpiricalSet::logDensityOnGrid(): expected s > 0");
  return empiricalLogDensityOnGrid({points_, labels_, labelCount_}, xs, ys, a, s);
}

Points EmpiricalSet::denoise(const Points& x, double a, double s) const {
  const Points score = evaluate(x, a, s, {.score = true}).score;
  return (x + s * s * score) / a;
}

Points EmpiricalSet::sample(Eigen::Index n, const CounterRng& rng, Labels* labels) const {
  Points out(n, 2);
  if (labels) labels->resize(n);
  const auto count = static_cast<std::uint64_t>(points_.rows());
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto pick = static_cast<Eigen::Index>(rng.bits(1, static_cast<std::uint64_t>(i)) % count);
    out.row(i) = points_.row(pick);
    if (labels) (*labels)(i) = labels_(pick);
  }
  return out;
}

std::unique_ptr<Target> EmpiricalSet::conditional(int label) const {
  std::vector<Eigen::Index> kept;
  for (Eigen::Index i = 0; i < points_.rows(); ++i) {
    if (labels_(i) == label) kept.push_back(i);
  }
  if (kept.empty()) return nullptr;
  Points subset(static_cast<Eigen::Index>(kept.size()), 2);
  Labels subsetLabels(static_cast<Eigen::Index>(kept.size()));
  for (std::size_t j = 0; j < kept.size(); ++j) {
    subset.row(static_cast<Eigen::Index>(j)) = points_.row(kept[j]);
    subsetLabels(static_cast<Eigen::Index>(j)) = label;
  }
  return std::make_unique<EmpiricalSet>(std::move(subset), std::move(subsetLabels));
}

Eigen::VectorXd EmpiricalSet::labelWeights() const {
  Eigen::VectorXd weights = Eigen::VectorXd::Zero(labelCount_);
  for (Eigen::Index i = 0; i < labels_.size(); ++i) weights(labels_(i)) += 1.0;
  return weights / static_cast<double>(labels_.size());
}

std::unique_ptr<Target> EmpiricalSet::clone() const { return std::make_unique<EmpiricalSet>(*this); }

std::string EmpiricalSet::describe() const {
  return "point set, " + std::to_string(points_.rows()) + " points, " + std::to_string(labelCount_) +
         " classes";
}

}  // namespace scorescope
