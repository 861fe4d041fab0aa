#pragma once
// Empirical target: p_0 = (1/N) sum_i delta(x^(i)), a finite point set (a data set, the
// three-point lecture example, points the user drew). Its noised marginal is exact:
//   p_t = (1/N) sum_i N(a x^(i), s^2 I),
//   D(x) = E[x0 | x_t = x] = sum_i softmax_i(-|x - a x^(i)|^2 / (2 s^2)) x^(i)   (Tweedie),
//   grad log p_t(x) = (a D(x) - x) / s^2,
//   Hessian log p_t = (a^2 Cov_softmax(x^(i)) - s^2 I) / s^4.
// The softmax subtracts its maximum logit, so it stays finite as s -> 0 where p_t collapses
// onto the data (this is why exact scores "memorise" the training set at small t).
#include <vector>

#include "scorescope/target.hpp"

namespace scorescope {

class EmpiricalSet final : public Target {
 public:
  // labels may be empty (all points get label 0). Asserts at least one point.
  explicit EmpiricalSet(Points points, Labels labels = {});

  const Points& points() const { return points_; }
  const Labels& labels() const { return labels_; }

  // Requires s > 0: the empirical p_0 has no density.
  FieldValues evaluate(const Points& x, double a, double s, FieldRequest request) const override;
  // log p_t at the nodes (xs(c), ys(r)) of a grid, node r * xs.size() + c: the density heat map,
  // by a factorisation over the axes (see empirical_field.hpp). Requires s > 0.
  Eigen::VectorXd logDensityOnGrid(const Eigen::VectorXd& xs, const Eigen::VectorXd& ys, double a, double s) const;
  // The exact denoiser D(x) of the formula above.
  Points denoise(const Points& x, double a, double s) const;
  bool hasDensityAtZeroNoise() const override { return false; }
  Points sample(Eigen::Index n, const CounterRng& rng, Labels* labels) const override;
  int labelCount() const override { return labelCount_; }
  std::unique_ptr<Target> conditional(int label) const override;
  Eigen::VectorXd labelWeights() const override;
  std::unique_ptr<Target> clone() const override;
  std::string describe() const override;

 private:
  Points points_;
  Labels labels_;
  int labelCount_ = 1;
};

}  // namespace scorescope
