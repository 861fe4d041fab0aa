#include "gui/ui_scale.hpp"

#include <QSettings>
#include <algorithm>
#include <cmath>

namespace scorescope::gui {
namespace {

constexpr const char* kKey = "view/uiScale";
QSettings settings() { return QSettings("Scorescope", "Scorescope"); }

}  // namespace

float clampUiScale(float scale) {
  if (!std::isfinite(scale)) return kMinUiScale;
  return std::clamp(scale, kMinUiScale, kMaxUiScale);
}

float stepUiScale(float current, int direction) {
  // A little slack so 1.5 steps to 2 (up) and 1 (down), and a flag's 1.7 to 2 or 1.5.
  constexpr float kSlack = 1e-3f;
  if (direction > 0) {
    for (float s : kUiScaleSteps) {
      if (s > current + kSlack) return s;
    }
    return kUiScaleSteps.back();
  }
  for (auto it = kUiScaleSteps.rbegin(); it != kUiScaleSteps.rend(); ++it) {
    if (*it < current - kSlack) return *it;
  }
  return kUiScaleSteps.front();
}

float loadUiScale() {
  bool ok = false;
  const float v = settings().value(kKey, 1.0).toFloat(&ok);
  return ok ? clampUiScale(v) : kMinUiScale;
}

void saveUiScale(float scale) {
  QSettings s = settings();
  s.setValue(kKey, static_cast<double>(clampUiScale(scale)));
}

}  // namespace scorescope::gui
