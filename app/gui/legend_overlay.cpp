#include "gui/legend_overlay.hpp"

#include <algorithm>
#include <vector>

namespace scorescope::gui {
namespace {

ImU32 colour(render::Rgba8 c) { return IM_COL32(c.r, c.g, c.b, 255); }

constexpr float kPad = 8.0f, kDot = 10.0f, kGap = 6.0f, kBarWidth = 80.0f;

// The arrow colour map from dim (|score| = 0) to bright (the grid's largest |score|).
void drawArrowScale(ImDrawList* dl, ImVec2 at, float height) {
  static const std::vector<render::Rgba8> table = render::makeColormap(render::ColormapKind::Ember);
  constexpr int kSteps = 16;
  const float w = kBarWidth / kSteps;
  for (int k = 0; k < kSteps; ++k) {
    const std::size_t index = (table.size() - 1) * static_cast<std::size_t>(k) / (kSteps - 1);
    dl->AddRectFilled(ImVec2(at.x + static_cast<float>(k) * w, at.y + 3.0f),
                      ImVec2(at.x + static_cast<float>(k + 1) * w + 0.5f, at.y + height - 3.0f), colour(table[index]));
  }
}

// Width of a row's leading part (dots and their labels, or the colour bar).
float leadWidth(const LegendRow& row) {
  float w = 0.0f;
  for (const LegendSwatch& s : row.swatches) w += kDot + 3.0f + ImGui::CalcTextSize(s.label.c_str()).x + kGap;
  if (row.kind == LegendRow::Kind::ArrowScale) w += kBarWidth + kGap;
  return w;
}

}  // namespace

void drawLegend(ImDrawList* dl, const Legend& legend, float right, float top) {
  if (legend.empty()) return;
  const float line = ImGui::GetTextLineHeight();
  float width = 0.0f;
  for (const LegendRow& row : legend.rows) width = std::max(width, leadWidth(row) + ImGui::CalcTextSize(row.text.c_str()).x);
  const float rowHeight = line + 4.0f;
  const float height = rowHeight * static_cast<float>(legend.rows.size()) - 4.0f;
  // Below the title strip, inset from the pane's right edge.
  const ImVec2 box0(right - width - 2.0f * kPad - 10.0f, top + 44.0f);
  const ImVec2 box1(box0.x + width + 2.0f * kPad, box0.y + height + 2.0f * kPad);
  dl->AddRectFilled(box0, box1, IM_COL32(10, 12, 18, 205), 4.0f);
  const ImU32 text = IM_COL32(225, 232, 245, 255), dim = IM_COL32(170, 180, 195, 255);
  float y = box0.y + kPad;
  for (const LegendRow& row : legend.rows) {
    float x = box0.x + kPad;
    for (const LegendSwatch& s : row.swatches) {
      dl->AddCircleFilled(ImVec2(x + 0.5f * kDot, y + 0.5f * line), 0.5f * kDot, colour(s.colour), 16);
      x += kDot + 3.0f;
      dl->AddText(ImVec2(x, y), dim, s.label.c_str());
      x += ImGui::CalcTextSize(s.label.c_str()).x + kGap;
    }
    if (row.kind == LegendRow::Kind::ArrowScale) {
      drawArrowScale(dl, ImVec2(x, y), line);
      x += kBarWidth + kGap;
    }
    dl->AddText(ImVec2(x, y), text, row.text.c_str());
    y += rowHeight;
  }
}

}  // namespace scorescope::gui
