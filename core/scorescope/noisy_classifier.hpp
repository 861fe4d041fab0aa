#pragma once
// The class posterior p_t(y | x) of noised data, exact or learned, and its gradient
// grad_x log p_t(y | x): what classifier guidance adds to the score (guidance.hpp).
#include <memory>

#include "scorescope/process.hpp"
#include "scorescope/score_network.hpp"
#include "scorescope/target.hpp"

namespace scorescope {

class ClassPosterior {
 public:
  virtual ~ClassPosterior() = default;
  virtual int classCount() const = 0;
  // n x classCount() probabilities, rows sum to 1.
  virtual Eigen::MatrixXd posterior(const Points& x, double t) const = 0;
  // grad_x log p_t(label | x) per point.
  virtual Points logPosteriorGradient(const Points& x, double t, int label) const = 0;
};

// The exact posterior of a labelled target: sums of mixture responsibilities (or softmax weights
// of data points) per class; gradient grad log p_t(x | y) - grad log p_t(x).
class ExactClassPosterior final : public ClassPosterior {
 public:
  ExactClassPosterior(std::shared_ptr<const Target> target, Process process);
  int classCount() const override { return target_->labelCount(); }
  Eigen::MatrixXd posterior(const Points& x, double t) const override;
  Points logPosteriorGradient(const Points& x, double t, int label) const override;

 private:
  std::shared_ptr<const Target> target_;
  Process process_;
};

// A noisy classifier p_phi(y | x_t, t) trained by cross-entropy on noised labelled samples; the
// gradient is backpropagated through the network to its input.
class LearnedClassPosterior final : public ClassPosterior {
 public:
  // Throws std::invalid_argument unless the network's role is Classifier.
  explicit LearnedClassPosterior(std::shared_ptr<const TrainedNetwork> network);
  int classCount() const override { return network_->spec.classes; }
  const TrainedNetwork& network() const { return *network_; }
  Eigen::MatrixXd posterior(const Points& x, double t) const override;
  Points logPosteriorGradient(const Points& x, double t, int label) const override;

 private:
  std::shared_ptr<const TrainedNetwork> network_;
  Process process_;
};

}  // namespace scorescope
