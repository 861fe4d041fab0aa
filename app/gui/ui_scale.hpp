#pragma once
// The UI scale: one factor (1x to 3x) for everything drawn at a fixed size, so a lecture hall's
// back row can read it: the panel font (re-rasterised at the new size, not stretched), widget
// padding, the sidebar and timeline, pane titles and axis labels, line widths and point sizes.
// A user preference, not part of the scene: it is remembered with QSettings (organisation and
// application "Scorescope"), and --ui-scale overrides it for one run without saving.
#include <array>

namespace scorescope::gui {

inline constexpr float kMinUiScale = 1.0f, kMaxUiScale = 3.0f;
// The steps of the View menu and of Ctrl+= / Ctrl+-.
inline constexpr std::array<float, 5> kUiScaleSteps = {1.0f, 1.5f, 2.0f, 2.5f, 3.0f};

// Clamped to [kMinUiScale, kMaxUiScale]; NaN gives 1.
float clampUiScale(float scale);
// The next step above (direction > 0) or below (< 0) `current`, staying at the ends.
float stepUiScale(float current, int direction);

// The remembered scale (1 when none or an unusable value was stored) and storing one.
float loadUiScale();
void saveUiScale(float scale);

}  // namespace scorescope::gui
