#pragma once
// The look of the panels: a dark theme matching the canvas, DejaVu Sans at a size readable on a
// projector (the built-in 13 px bitmap font is too small for a lecture hall), rounded widgets.
namespace scorescope::gui {

// The panel font's pixel size at UI scale 1.
inline constexpr float kBaseFontPx = 16.0f;

// Applies colours, sizes (times uiScale) and fonts to the current ImGui context. The font atlas
// is rebuilt at kBaseFontPx * uiScale pixels (rasterised at that size, so text stays crisp) with
// the glyphs the equation overlay needs (Greek, sub- and superscripts, arrows, ∇ √ − ...). The
// caller re-uploads the atlas texture when a renderer already holds the old one.
void applyScorescopeStyle(float uiScale = 1.0f);

// A size given in pixels at UI scale 1, in pixels at the current one (from the current font's
// size, so panel code needs no scale passed in). Call inside an ImGui frame.
float scaledPx(float px);

}  // namespace scorescope::gui
