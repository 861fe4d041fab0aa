#pragma once
// Guidance as wrappers around ScoreModel (docs/math.md, "Guidance").
//
// Classifier guidance (Dhariwal & Nichol 2021), scale gamma:
//   score_gamma = score(x) + gamma grad log p_t(y | x);  eps~ = eps_hat - gamma s grad log p_t(y | x).
// With a labelled target p_t(y | x) is exact: grad log p_t(y | x) = grad log p_t(x | y) - grad log p_t(x).
//
// Classifier-free guidance (Ho & Salimans 2022), two conventions shown side by side:
//   eps~ = (1 + w) eps(x, c) - w eps(x, empty)        (Ho and Salimans, w >= 0)
//   eps~ = gamma eps(x, c) + (1 - gamma) eps(x, empty)  (lecture notes, gamma = 1 + w)
//
// Universal guidance (Bansal et al. 2023): eps~ = eps_hat + strength grad_x L(c, D(x)) for a
// differentiable loss L of the denoised estimate; grad_x L = J_D^T grad_D L with
// J_D = (I + s^2 J_score) / a.
#include <memory>
#include <string_view>

#include "scorescope/noisy_classifier.hpp"
#include "scorescope/score_model.hpp"

namespace scorescope {

// grad_x log p_t(y | x) of the exact class posterior of a labelled target.
Points exactClassLogPosteriorGradient(const Target& target, const Process& process,
                                      const Points& x, double t, int label);

class ClassifierGuidance final : public ScoreModel {
 public:
  // The exact score guided by the exact posterior of a labelled target. Throws
  // std::invalid_argument unless `label` is a class of the target with data.
  ClassifierGuidance(std::shared_ptr<const Target> target, Process process, int label, double gamma);
  // Any score (exact or learned) guided by any class posterior (exact or a noisy classifier).
  ClassifierGuidance(std::shared_ptr<const ScoreModel> base, std::shared_ptr<const ClassPosterior> classifier,
                     int label, double gamma);

  const Process& process() const override { return base_->process(); }
  Points score(const Points& x, double t) const override;

 private:
  std::shared_ptr<const ScoreModel> base_;
  std::shared_ptr<const ClassPosterior> classifier_;  // null: the exact path below
  std::shared_ptr<const ScoreModel> exactConditional_;
  int label_;
  double gamma_;
};

enum class CfgConvention {
  HoSalimans,  // scale is w: eps~ = (1 + w) eps_c - w eps_u
  Lecture,     // scale is gamma: eps~ = gamma eps_c + (1 - gamma) eps_u
};
std::string_view cfgConventionName(CfgConvention c);
// The same guidance in the other convention: gamma = 1 + w.
double lectureGammaFromW(double w);
// w = gamma - 1: a guidance sweep holds gamma for both kinds (GuidanceSpec::sweep).
double cfgWFromGamma(double gamma);

class ClassifierFreeGuidance final : public ScoreModel {
 public:
  ClassifierFreeGuidance(std::shared_ptr<const ScoreModel> conditional,
                         std::shared_ptr<const ScoreModel> unconditional, double scale,
                         CfgConvention convention);

  const Process& process() const override { return conditional_->process(); }
  Points score(const Points& x, double t) const override;

 private:
  std::shared_ptr<const ScoreModel> conditional_;
  std::shared_ptr<const ScoreModel> unconditional_;
  double scale_;
  CfgConvention convention_;
};

// A differentiable loss L(D) of the denoised estimate, per point.
class DifferentiableLoss {
 public:
  virtual ~DifferentiableLoss() = default;
  virtual Eigen::VectorXd value(const Points& denoised) const = 0;
  virtual Points gradient(const Points& denoised) const = 0;
};

// L(D) = |D - c|^2 / 2: steers samples toward the point c.
class DistanceToPoint final : public DifferentiableLoss {
 public:
  explicit DistanceToPoint(Eigen::Vector2d target) : target_(std::move(target)) {}
  Eigen::VectorXd value(const Points& denoised) const override;
  Points gradient(const Points& denoised) const override;

 private:
  Eigen::Vector2d target_;
};

class UniversalGuidance final : public ScoreModel {
 public:
  UniversalGuidance(std::shared_ptr<const ScoreModel> base,
                    std::shared_ptr<const DifferentiableLoss> loss, double strength);

  const Process& process() const override { return base_->process(); }
  Points score(const Points& x, double t) const override;
  // grad_x L(D(x)) at time t (exposed for tests and for drawing the guidance field).
  Points lossGradient(const Points& x, double t) const;

 private:
  std::shared_ptr<const ScoreModel> base_;
  std::shared_ptr<const DifferentiableLoss> loss_;
  double strength_;
};

}  // namespace scorescope
