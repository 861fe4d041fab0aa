#pragma once
// Text sizes for the canvas overlays (titles, captions, legends, the equation box), which are
// drawn with ImGui's draw list at a font size of their own: a text too wide for its pane shrinks
// instead of running past the edge at a large UI scale.
#include <imgui.h>

#include <algorithm>

namespace scorescope::gui {

// The font size at which `text` (one line or several) is at most maxWidth wide: the current
// font's size when it fits, else smaller.
inline float fittedFontSize(const char* text, float maxWidth) {
  const float size = ImGui::GetFontSize();
  const float width = ImGui::CalcTextSize(text).x;
  return width <= maxWidth || width <= 0.0f ? size : size * std::max(0.0f, maxWidth) / width;
}

// Text at a font size (ImGui's sizes scale linearly with it).
inline ImVec2 textSize(const char* text, float fontSize) {
  const ImVec2 s = ImGui::CalcTextSize(text);
  const float k = fontSize / ImGui::GetFontSize();
  return {s.x * k, s.y * k};
}

}  // namespace scorescope::gui
