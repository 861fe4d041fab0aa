#include "scorescope/empirical_set.hpp"

#include <algorithm>
#include <stdexcept>
#include <cmath>
#include <numbers>

namespace scorescope {
namespace {

constexpr Eigen::Index kBlock = 64;

}  // namespace

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
  const Eigen::Index n = x.rows();
  const Eigen::Index count = points_.rows();
  const double inv2s2 = 1.0 / (2.0 * s * s);
  const Eigen::MatrixXd scaled = a * points_;                           // N x 2
  const Eigen::VectorXd scaledNorm = scaled.rowwise().squaredNorm();      // |a x^(i)|^2
  // Second moments of the data, for the softmax covariance in the Hessian.
  Eigen::MatrixXd moments(count, 3);
  moments.col(0) = points_.col(0).cwiseProduct(points_.col(0));
  moments.col(1) = points_.col(0).cwiseProduct(points_.col(1));
  moments.col(2) = points_.col(1).cwiseProduct(points_.col(1));
  Eigen::MatrixXd labelIndicator;
  if (request.classPosterior) {
    labelIndicator = Eigen::MatrixXd::Zero(count, labelCount_);
    for (Eigen::Index i = 0; i < count; ++i) labelIndicator(i, labels_(i)) = 1.0;
  }

  FieldValues out;
  if (request.logDensity) out.logDensity.resize(n);
  if (request.score) out.score.resize(n, 2);
  if (request.hessian) out.hessian.resize(n, 3);
  if (request.classPosterior) out.classPosterior.resize(n, labelCount_);
  const double logNormaliser = -std::log(static_cast<double>(count)) -
                               std::log(2.0 * std::numbers::pi * s * s);

  // Small batches stay on one thread: waking the team costs more than the work.
#pragma omp parallel if (n > kBlock && n * count >= 65536)
  {
    // Logits are laid out data-point x particle, so each particle's softmax runs down one
    // contiguous column (vectorised max, exp and sum).
    Eigen::MatrixXd logit;
    Eigen::MatrixXd denoised;
    Eigen::VectorXd peak, total;
#pragma omp for schedule(static)
    for (Eigen::Index begin = 0; begin < n; begin += kBlock) {
      const Eigen::Index b = std::min(kBlock, n - begin);
      const auto xb = x.middleRows(begin, b);
      // -|x - a x^(i)|^2 / (2 s^2), expanded so the cross term is one matrix product.
      logit.noalias() = 2.0 * scaled * xb.transpose();
      peak.resize(b);
      total.resize(b);
      for (Eigen::Index j = 0; j < b; ++j) {
        auto column = logit.col(j).array();
        column = ((column - scaledNorm.array() - xb.row(j).squaredNorm()).min(0.0)) * inv2s2;
        peak(j) = column.maxCoeff();
        column = (column - peak(j)).exp();
        total(j) = column.sum();
        column /= total(j);  // softmax weights
      }
      if (request.logDensity) {
        out.logDensity.segment(begin, b) = peak.array() + total.array().log() + logNormaliser;
      }
      if (request.score || request.hessian) {
        denoised.noalias() = logit.transpose() * points_;  // Tweedie: D(x) = sum_i softmax_i x^(i)
        if (request.score) {
          out.score.middleRows(begin, b) = (a * denoised - xb) / (s * s);
        }
        if (request.hessian) {
          const Eigen::MatrixXd second = logit.transpose() * moments;
          const double s2 = s * s;
          const double scale = a * a / (s2 * s2);
          out.hessian.col(0).segment(begin, b) =
              scale * (second.col(0) - denoised.col(0).cwiseProduct(denoised.col(0))).array() - 1.0 / s2;
          out.hessian.col(1).segment(begin, b) =
              scale * (second.col(1) - denoised.col(0).cwiseProduct(denoised.col(1)));
          out.hessian.col(2).segment(begin, b) =
              scale * (second.col(2) - denoised.col(1).cwiseProduct(denoised.col(1))).array() - 1.0 / s2;
        }
      }
      if (request.classPosterior) out.classPosterior.middleRows(begin, b) = logit.transpose() * labelIndicator;
    }
  }
  return out;
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
