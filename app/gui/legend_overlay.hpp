#pragma once
// Draws a pane's Legend (legend.hpp) into an ImGui draw list: a dark box in the pane's top-right
// corner, one row per entry (class swatches, the arrow colour scale as a gradient bar).
#include <imgui.h>

#include "gui/legend.hpp"

namespace scorescope::gui {

// `right` and `top` are the pane's top-right corner in window pixels.
void drawLegend(ImDrawList* dl, const Legend& legend, float right, float top);

}  // namespace scorescope::gui
