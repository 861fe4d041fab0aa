#pragma once
// Adam (Kingma & Ba 2015, Algorithm 1) with a learning-rate schedule:
//   m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g^2,
//   theta <- theta - lr_k * (m / (1 - b1^k)) / (sqrt(v / (1 - b2^k)) + eps)
#include <string_view>

#include <Eigen/Core>

namespace scorescope {

enum class LearningRateSchedule {
  Constant,
  Cosine,  // linear warm-up over the first 2% of steps, then cosine decay to 1% of the rate
};
std::string_view scheduleName(LearningRateSchedule schedule);
bool parseSchedule(std::string_view name, LearningRateSchedule& out);

struct AdamSettings {
  // 1e-2 with the warm-up and cosine decay: on the toy targets 1e-3 sits for thousands of steps
  // on a plateau (the Gaussian fit) before it finds the modes; 1e-2 finds them in ~1000 steps.
  double learningRate = 1e-2;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  LearningRateSchedule schedule = LearningRateSchedule::Cosine;

  bool operator==(const AdamSettings&) const = default;
};

// The rate for step k (0-based) of a run of `totalSteps` steps.
double scheduledLearningRate(const AdamSettings& settings, long long step, long long totalSteps);

template <typename Scalar>
class Adam {
 public:
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

  Adam() = default;
  Adam(Eigen::Index parameterCount, AdamSettings settings);

  // One update of `parameters` with `gradient` at learning rate `rate`.
  void step(Vector& parameters, const Vector& gradient, double rate);
  long long steps() const { return steps_; }
  const AdamSettings& settings() const { return settings_; }

 private:
  AdamSettings settings_;
  Vector m_, v_;
  long long steps_ = 0;
};

extern template class Adam<float>;
extern template class Adam<double>;

}  // namespace scorescope
