#pragma once
// Training a score network by denoising score matching, or a noisy classifier by cross-entropy,
// one Adam step at a time so that a caller can pause, resume, cancel and draw in between.
//
// Each step draws a fresh batch x0 ~ p_0 from the target (for a point set: its points), times
// t uniform in [t_min, 1] (VE: log s uniform; Ncsn: one of L geometric levels), noise eps, forms
// x_t = a x0 + s eps and takes one Adam step on the loss of score_network.hpp. Classifier-free
// training replaces each label by the null token with probability p_empty. Everything random
// comes from counters of the seed: the same settings and thread count give the same network.
#include <memory>
#include <string>
#include <vector>

#include "scorescope/score_network.hpp"
#include "scorescope/target.hpp"

namespace scorescope {

// One batch: x0 ~ p_0 with labels, t, eps and x_t = a(t) x0 + s(t) eps per sample.
struct TrainingBatch {
  Points x0, eps, xt;
  Eigen::VectorXd t, a, s;
  Labels labels;       // true classes (classifiers and class-conditional networks; else empty)
  Labels inputLabels;  // the class input: labels, each replaced by -1 (null) with probability p_empty
};
// Batch number `step` of a run (a pure function of the settings' seed and `step`).
TrainingBatch drawTrainingBatch(const Target& target, const Process& process, const TrainingSettings& settings,
                                long long step);

// The mean loss over the batch of the network outputs (outputs x n), and when asked its gradient
// with respect to the outputs. Score networks: the weighted regression of score_network.hpp,
// mean over samples of w |output - y|^2; classifiers: mean cross-entropy of softmax(output).
double trainingLoss(const TrainingSettings& settings, const TrainingBatch& batch, const Eigen::MatrixXd& output,
                    Eigen::MatrixXd* gradient);

class ScoreTrainer {
 public:
  // Throws std::invalid_argument naming the field when the settings are invalid, the network
  // asks for classes the target does not have, or (classifier) the target is unlabelled.
  ScoreTrainer(std::shared_ptr<const Target> target, Process process, TrainingSettings settings,
               std::string targetName);

  // One Adam step; returns the batch loss (before the update).
  double step();
  long long stepsDone() const { return network_.trainedSteps; }
  bool finished() const { return stepsDone() >= settings_.steps; }
  const TrainingSettings& settings() const { return settings_; }

  // The network as trained so far (a copy: the caller may keep it while training goes on).
  std::shared_ptr<const TrainedNetwork> snapshot() const;
  const TrainedNetwork& network() const { return network_; }
  // Loss of every step so far.
  const std::vector<float>& lossHistory() const { return losses_; }
  // Floating-point operations of one step (forward, backward, Adam), for throughput reports.
  double flopsPerStep() const;

 private:
  std::shared_ptr<const Target> target_;
  Process process_;
  TrainingSettings settings_;
  TrainedNetwork network_;
  Adam<float> adam_;
  Mlp<float>::Cache cache_;
  Mlp<float>::Vector gradient_;
  std::vector<float> losses_;
};

// The L times of the Ncsn loss: noise levels s/a geometric from s(1)/a(1) down to kMinNoiseLevel.
std::vector<double> ncsnLevelTimes(const Process& process, int levels);

// The lowest t training and the score error use: defaultTMin of the process (s/a = 0.01).
double trainingTMin(const Process& process);

}  // namespace scorescope
