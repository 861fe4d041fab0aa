#pragma once
// Draws a pane's Legend (legend.hpp) into an ImGui draw list: a dark box, one row per entry
// (class swatches, the arrow colour scale as a gradient bar). Laying out and drawing are two
// steps so the canvas can place the box where nothing else is (below the equation box, above
// the mode chart).
#include <imgui.h>

#include "gui/legend.hpp"

namespace scorescope::gui {

struct LegendLayout {
  float fontSize = 0.0f;  // the text's size in pixels
  float scale = 1.0f;     // geometry (dots, bar, padding) relative to UI scale 1
  ImVec2 size{0.0f, 0.0f};
};

// The box at the UI scale, its text shrunk (with the geometry) so it is at most maxWidth wide.
LegendLayout layoutLegend(const Legend& legend, float uiScale, float maxWidth);

// Draws the box with its top-left corner at `topLeft`.
void drawLegend(ImDrawList* dl, const Legend& legend, const LegendLayout& layout, ImVec2 topLeft);

}  // namespace scorescope::gui
