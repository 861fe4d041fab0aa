#include "scorescope/guidance.hpp"

#include <stdexcept>
#include <string>

#include "scorescope/parametrization.hpp"

namespace scorescope {
namespace {

std::shared_ptr<const Target> conditionalOf(const Target& target, int label) {
  std::shared_ptr<const Target> conditional = target.conditional(label);
  if (!(conditional)) throw std::invalid_argument("ClassifierGuidance: expected a label that has data");
  return conditional;
}

}  // namespace

Points exactClassLogPosteriorGradient(const Target& target, const Process& process,
                                      const Points& x, double t, int label) {
  // p_t(y | x) = W_y p_t(x | y) / p_t(x), so grad log p_t(y | x) = score_y(x) - score(x).
  const double a = process.a(t);
  const double s = process.s(t);
  const std::unique_ptr<Target> conditional = target.conditional(label);
  if (!(conditional)) throw std::invalid_argument("exactClassLogPosteriorGradient(): expected a label that has data");
  return conditional->evaluate(x, a, s, {.score = true}).score -
         target.evaluate(x, a, s, {.score = true}).score;
}

ClassifierGuidance::ClassifierGuidance(std::shared_ptr<const Target> target, Process process,
                                       int label, double gamma)
    : base_(std::make_shared<ExactScore>(target, process)),
      exactConditional_(std::make_shared<ExactScore>(conditionalOf(*target, label), process)),
      label_(label),
      gamma_(gamma) {}

ClassifierGuidance::ClassifierGuidance(std::shared_ptr<const ScoreModel> base,
                                       std::shared_ptr<const ClassPosterior> classifier, int label, double gamma)
    : base_(std::move(base)), classifier_(std::move(classifier)), label_(label), gamma_(gamma) {
  if (!base_ || !classifier_) throw std::invalid_argument("ClassifierGuidance: expected a score and a classifier");
  if (label < 0 || label >= classifier_->classCount()) {
    throw std::invalid_argument("ClassifierGuidance: class " + std::to_string(label) + " is not in [0, " +
                                std::to_string(classifier_->classCount() - 1) + "]");
  }
}

Points ClassifierGuidance::score(const Points& x, double t) const {
  const Points unconditional = base_->score(x, t);
  if (!classifier_) {  // exact: grad log p_t(y | x) = score_y - score, reusing the score just computed
    return unconditional + gamma_ * (exactConditional_->score(x, t) - unconditional);
  }
  return unconditional + gamma_ * classifier_->logPosteriorGradient(x, t, label_);
}

std::string_view cfgConventionName(CfgConvention c) {
  switch (c) {
    case CfgConvention::HoSalimans: return "w (Ho & Salimans)";
    case CfgConvention::Lecture: return "gamma = 1 + w (lecture)";
  }
  throw std::logic_error("cfgConventionName(): unknown convention");
}

double lectureGammaFromW(double w) { return 1.0 + w; }
double cfgWFromGamma(double gamma) { return gamma - 1.0; }

ClassifierFreeGuidance::ClassifierFreeGuidance(std::shared_ptr<const ScoreModel> conditional,
                                               std::shared_ptr<const ScoreModel> unconditional,
                                               double scale, CfgConvention convention)
    : conditional_(std::move(conditional)),
      unconditional_(std::move(unconditional)),
      scale_(scale),
      convention_(convention) {}

Points ClassifierFreeGuidance::score(const Points& x, double t) const {
  const double s = process().s(t);
  const Points epsC = noiseFromScore(conditional_->score(x, t), s);
  const Points epsU = noiseFromScore(unconditional_->score(x, t), s);
  switch (convention_) {
    case CfgConvention::HoSalimans: return scoreFromNoise((1.0 + scale_) * epsC - scale_ * epsU, s);
    case CfgConvention::Lecture: return scoreFromNoise(scale_ * epsC + (1.0 - scale_) * epsU, s);
  }
  throw std::logic_error("ClassifierFreeGuidance: unknown convention");
}

Eigen::VectorXd DistanceToPoint::value(const Points& denoised) const {
  return 0.5 * (denoised.rowwise() - target_.transpose()).rowwise().squaredNorm();
}

Points DistanceToPoint::gradient(const Points& denoised) const {
  return denoised.rowwise() - target_.transpose();
}

UniversalGuidance::UniversalGuidance(std::shared_ptr<const ScoreModel> base,
                                     std::shared_ptr<const DifferentiableLoss> loss,
                                     double strength)
    : base_(std::move(base)), loss_(std::move(loss)), strength_(strength) {}

Points UniversalGuidance::lossGradient(const Points& x, double t) const {
  const double a = process().a(t);
  const double s = process().s(t);
  JacobianPerPoint jacobian;
  const Points score = base_->scoreWithJacobian(x, t, jacobian);
  const Points denoised = denoiserFromScore(x, score, a, s);
  const Points dL = loss_->gradient(denoised);
  // grad_x L = J_D^T dL with J_D = (I + s^2 J_score) / a; J_score is row-major (xx, xy, yx, yy).
  const double s2 = s * s;
  Points g(x.rows(), 2);
  g.col(0) = (dL.col(0) + s2 * (jacobian.col(0).cwiseProduct(dL.col(0)) +
                                jacobian.col(2).cwiseProduct(dL.col(1)))) / a;
  g.col(1) = (dL.col(1) + s2 * (jacobian.col(1).cwiseProduct(dL.col(0)) +
                                jacobian.col(3).cwiseProduct(dL.col(1)))) / a;
  return g;
}

Points UniversalGuidance::score(const Points& x, double t) const {
  const double s = process().s(t);
  const Points eps = base_->noise(x, t) + strength_ * lossGradient(x, t);
  return scoreFromNoise(eps, s);
}

}  // namespace scorescope
