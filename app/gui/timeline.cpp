#include "gui/timeline.hpp"

#include <algorithm>
#include <cmath>

namespace scorescope::gui {

namespace {
constexpr double kHoldSeconds = 1.2;
}

void Timeline::setSteps(int lastStep, bool finalDenoise) {
  lastStep_ = std::max(0, lastStep);
  finalDenoise_ = finalDenoise && lastStep_ > 1;
  holdLeft_ = 0.0;
}

void Timeline::setSpeed(double s) { speed_ = std::clamp(s, 0.05, 20.0); }

void Timeline::scrubTo(double u) {
  position_ = std::clamp(u, 0.0, 1.0);
  holdLeft_ = 0.0;
}

void Timeline::advance(double seconds) {
  if (!playing_ || seconds <= 0.0) return;
  const double du = seconds * speed_ / kBaseSeconds;
  if (!discrete()) {
    position_ += direction_ * du;
    // Reflect at the ends so a long frame does not lose the overshoot.
    if (position_ >= 1.0) {
      position_ = std::max(0.0, 2.0 - position_);
      direction_ = -1;
    } else if (position_ <= 0.0) {
      position_ = std::min(1.0, -position_);
      direction_ = 1;
    }
    return;
  }
  if (position_ >= 1.0) {
    holdLeft_ -= seconds;
    if (holdLeft_ <= 0.0) position_ = 0.0;
    return;
  }
  position_ = std::min(1.0, position_ + du);
  if (position_ >= 1.0) holdLeft_ = kHoldSeconds;
}

void Timeline::step(int direction) {
  playing_ = false;
  const double du = discrete() ? 1.0 / lastStep_ : 0.01;
  // Snap to the step grid so repeated steps land exactly on recorded steps.
  const double snapped = discrete() ? std::round(position_ * lastStep_) / lastStep_ : position_;
  scrubTo(snapped + direction * du);
}

int Timeline::currentStep() const {
  if (!discrete()) return 0;
  return std::clamp(static_cast<int>(std::floor(position_ * lastStep_ + 1e-9)), 0, lastStep_);
}

std::string Timeline::stepLabel(int step) const {
  const int n = samplerSteps();
  const std::string of = " / " + std::to_string(n);
  if (step <= 0) return "initial noise  (step 0" + of + ")";
  if (finalDenoise_ && step >= lastStep_) return "step " + std::to_string(n) + of + " + denoise";
  return "step " + std::to_string(std::min(step, n)) + of;
}

}  // namespace scorescope::gui
