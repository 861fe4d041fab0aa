#include "scorescope/score_model.hpp"

#include <stdexcept>

#include "scorescope/parametrization.hpp"

namespace scorescope {

Points ScoreModel::scoreWithJacobian(const Points& x, double t, JacobianPerPoint& jacobian) const {
  const Process& p = process();
  const double h = 1e-4 * (p.s(t) / p.a(t));
  jacobian.resize(x.rows(), 4);
  for (int j = 0; j < 2; ++j) {
    Points plus = x, minus = x;
    plus.col(j).array() += h;
    minus.col(j).array() -= h;
    const Points derivative = (score(plus, t) - score(minus, t)) / (2.0 * h);
    jacobian.col(j) = derivative.col(0);      // d score_x / d x_j
    jacobian.col(2 + j) = derivative.col(1);  // d score_y / d x_j
  }
  return score(x, t);
}

Points ScoreModel::noise(const Points& x, double t) const {
  return noiseFromScore(score(x, t), process().s(t));
}

Points ScoreModel::denoise(const Points& x, double t) const {
  return denoiserFromScore(x, score(x, t), process().a(t), process().s(t));
}

ExactScore::ExactScore(std::shared_ptr<const Target> target, Process process)
    : target_(std::move(target)), process_(std::move(process)) {
  if (!target_) throw std::invalid_argument("ExactScore: expected a target");
}

Points ExactScore::score(const Points& x, double t) const {
  return target_->evaluate(x, process_.a(t), process_.s(t), {.score = true}).score;
}

Points ExactScore::scoreWithJacobian(const Points& x, double t, JacobianPerPoint& jacobian) const {
  FieldValues v = target_->evaluate(x, process_.a(t), process_.s(t), {.score = true, .hessian = true});
  jacobian.resize(x.rows(), 4);
  jacobian.col(0) = v.hessian.col(0);
  jacobian.col(1) = v.hessian.col(1);
  jacobian.col(2) = v.hessian.col(1);
  jacobian.col(3) = v.hessian.col(2);
  return std::move(v.score);
}

}  // namespace scorescope
