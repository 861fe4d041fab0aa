#include "scorescope/learned_score.hpp"

#include <stdexcept>
#include <string>

#include "scorescope/parametrization.hpp"

namespace scorescope {

LearnedScore::LearnedScore(std::shared_ptr<const TrainedNetwork> network, int label)
    : network_(std::move(network)), process_(network_ ? network_->process : ProcessKind::Vp), label_(label) {
  if (!network_ || network_->spec.role != NetworkRole::Score) {
    throw std::invalid_argument("LearnedScore: expected a score network");
  }
  if (label >= 0 && label >= network_->spec.classes) {
    throw std::invalid_argument("LearnedScore: class " + std::to_string(label) + " is not one of the network's " +
                                std::to_string(network_->spec.classes) + " classes");
  }
}

Points LearnedScore::score(const Points& x, double t) const {
  const TrainedNetwork& net = *network_;
  const Labels labels = Labels::Constant(x.rows(), label_);
  const Mlp<float>::Matrix input =
      networkInput(net, process_, x, Eigen::VectorXd::Constant(x.rows(), t), &labels);
  const Points output = net.mlp.forward(input).transpose().cast<double>();
  return toScore(lossOutput(net.training.loss), x, output, process_.a(t), process_.s(t));
}

}  // namespace scorescope
