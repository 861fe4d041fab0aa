#include "scorescope/adam.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace scorescope {

std::string_view scheduleName(LearningRateSchedule schedule) {
  return schedule == LearningRateSchedule::Constant ? "constant" : "cosine";
}

bool parseSchedule(std::string_view name, LearningRateSchedule& out) {
  for (const auto s : {LearningRateSchedule::Constant, LearningRateSchedule::Cosine}) {
    if (name == scheduleName(s)) {
      out = s;
      return true;
    }
  }
  return false;
}

double scheduledLearningRate(const AdamSettings& settings, long long step, long long totalSteps) {
  const double rate = settings.learningRate;
  if (settings.schedule == LearningRateSchedule::Constant || totalSteps <= 1) return rate;
  const long long warmup = std::max(1LL, totalSteps / 50);
  if (step < warmup) return rate * double(step + 1) / double(warmup);
  const double progress = std::min(1.0, double(step - warmup) / double(std::max(1LL, totalSteps - warmup)));
  return rate * (0.01 + 0.99 * 0.5 * (1.0 + std::cos(std::numbers::pi * progress)));
}

template <typename Scalar>
Adam<Scalar>::Adam(Eigen::Index parameterCount, AdamSettings settings)
    : settings_(settings), m_(Vector::Zero(parameterCount)), v_(Vector::Zero(parameterCount)) {}

template <typename Scalar>
void Adam<Scalar>::step(Vector& parameters, const Vector& gradient, double rate) {
  if (parameters.size() != m_.size() || gradient.size() != m_.size()) {
    throw std::invalid_argument("Adam::step: parameter and gradient sizes differ from the optimiser's");
  }
  ++steps_;
  const auto b1 = Scalar(settings_.beta1), b2 = Scalar(settings_.beta2);
  m_ = b1 * m_ + (Scalar(1) - b1) * gradient;
  v_ = b2 * v_ + (Scalar(1) - b2) * gradient.cwiseAbs2();
  const double correction1 = 1.0 - std::pow(settings_.beta1, double(steps_));
  const double correction2 = 1.0 - std::pow(settings_.beta2, double(steps_));
  const auto stepSize = Scalar(rate / correction1);
  const auto root2 = Scalar(std::sqrt(correction2));
  parameters.array() -= stepSize * m_.array() / (v_.array().sqrt() / root2 + Scalar(settings_.epsilon));
}

template class Adam<float>;
template class Adam<double>;

}  // namespace scorescope
