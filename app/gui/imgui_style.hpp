#pragma once
// The look of the panels: a dark theme matching the canvas, DejaVu Sans at a size readable on a
// projector (the built-in 13 px bitmap font is too small for a lecture hall), rounded widgets.
namespace scorescope::gui {

// Applies colours, sizes and fonts to the current ImGui context.
void applyScorescopeStyle();

}  // namespace scorescope::gui
