#pragma once
// One model interface for everything that can drive a sampler: the exact score of a target, a
// learned network, and guidance wrappers around either. A model gives the score of p_t at time
// t of its process; the other parametrizations follow from parametrization.hpp.
#include <memory>

#include "scorescope/points.hpp"
#include "scorescope/process.hpp"
#include "scorescope/target.hpp"

namespace scorescope {

class ScoreModel {
 public:
  virtual ~ScoreModel() = default;

  virtual const Process& process() const = 0;
  // grad_x log p_t(x) for each row of x, t in (0, 1].
  virtual Points score(const Points& x, double t) const = 0;
  // The score and its Jacobian d score_i / d x_j. The default uses central differences
  // (step 1e-4 relative to the noise level); exact models override it with the closed form.
  virtual Points scoreWithJacobian(const Points& x, double t, JacobianPerPoint& jacobian) const;

  Points noise(const Points& x, double t) const;     // eps_hat = -s score
  Points denoise(const Points& x, double t) const;   // D = (x + s^2 score) / a
};

// The exact score of a target under a process (no training): the ground truth.
class ExactScore final : public ScoreModel {
 public:
  ExactScore(std::shared_ptr<const Target> target, Process process);

  const Process& process() const override { return process_; }
  const Target& target() const { return *target_; }
  Points score(const Points& x, double t) const override;
  Points scoreWithJacobian(const Points& x, double t, JacobianPerPoint& jacobian) const override;

 private:
  std::shared_ptr<const Target> target_;
  Process process_;
};

}  // namespace scorescope
