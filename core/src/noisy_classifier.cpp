#include "scorescope/noisy_classifier.hpp"

#include <stdexcept>

#include "scorescope/guidance.hpp"

namespace scorescope {
namespace {

using Matrix = Mlp<float>::Matrix;

// Column-wise softmax of logits (classes x n), as n x classes probabilities.
Eigen::MatrixXd softmaxRows(const Matrix& logits) {
  Eigen::MatrixXd p = logits.transpose().cast<double>();
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    p.row(i).array() = (p.row(i).array() - p.row(i).maxCoeff()).exp();
    p.row(i) /= p.row(i).sum();
  }
  return p;
}

}  // namespace

ExactClassPosterior::ExactClassPosterior(std::shared_ptr<const Target> target, Process process)
    : target_(std::move(target)), process_(std::move(process)) {
  if (!target_ || target_->labelCount() < 2) {
    throw std::invalid_argument("ExactClassPosterior: expected a labelled target");
  }
}

Eigen::MatrixXd ExactClassPosterior::posterior(const Points& x, double t) const {
  return target_->evaluate(x, process_.a(t), process_.s(t), {.classPosterior = true}).classPosterior;
}

Points ExactClassPosterior::logPosteriorGradient(const Points& x, double t, int label) const {
  return exactClassLogPosteriorGradient(*target_, process_, x, t, label);
}

LearnedClassPosterior::LearnedClassPosterior(std::shared_ptr<const TrainedNetwork> network)
    : network_(std::move(network)), process_(network_ ? network_->process : ProcessKind::Vp) {
  if (!network_ || network_->spec.role != NetworkRole::Classifier) {
    throw std::invalid_argument("LearnedClassPosterior: expected a classifier network");
  }
}

Eigen::MatrixXd LearnedClassPosterior::posterior(const Points& x, double t) const {
  const Matrix input = networkInput(*network_, process_, x, Eigen::VectorXd::Constant(x.rows(), t), nullptr);
  return softmaxRows(network_->mlp.forward(input));
}

Points LearnedClassPosterior::logPosteriorGradient(const Points& x, double t, int label) const {
  if (label < 0 || label >= classCount()) {
    throw std::invalid_argument("LearnedClassPosterior: class " + std::to_string(label) + " is not in [0, " +
                                std::to_string(classCount() - 1) + "]");
  }
  const Matrix input = networkInput(*network_, process_, x, Eigen::VectorXd::Constant(x.rows(), t), nullptr);
  Mlp<float>::Cache cache;
  const Eigen::MatrixXd p = softmaxRows(network_->mlp.forward(input, cache));
  // d log softmax_y / d logits = onehot(y) - p, then back through the network to its input.
  Eigen::MatrixXd logitGradient = -p.transpose();
  logitGradient.row(label).array() += 1.0;
  Mlp<float>::Vector unusedParameterGradient;
  Matrix inputGradient;
  network_->mlp.backward(cache, logitGradient.cast<float>(), unusedParameterGradient, &inputGradient);
  // The input is x / sqrt(a^2 sd^2 + s^2): the chain rule multiplies by that constant.
  const double a = process_.a(t), s = process_.s(t), sd = network_->dataScale;
  const double scale = 1.0 / std::sqrt(a * a * sd * sd + s * s);
  return (inputGradient.topRows(2).transpose().cast<double>() * scale).eval();
}

}  // namespace scorescope
