#include "gui/legend_overlay.hpp"

#include <algorithm>
#include <vector>

#include "gui/overlay_text.hpp"

namespace scorescope::gui {
namespace {

ImU32 colour(render::Rgba8 c) { return IM_COL32(c.r, c.g, c.b, 255); }

// Pixels at UI scale 1 and full text size.
constexpr float kPad = 8.0f, kDot = 10.0f, kDotGap = 3.0f, kGap = 6.0f, kBarWidth = 80.0f, kRowGap = 4.0f;

// The arrow colour map from dim (|score| = 0) to bright (the grid's largest |score|).
void drawArrowScale(ImDrawList* dl, ImVec2 at, float width, float height, float inset) {
  static const std::vector<render::Rgba8> table = render::makeColormap(render::ColormapKind::Ember);
  constexpr int kSteps = 16;
  const float w = width / kSteps;
  for (int k = 0; k < kSteps; ++k) {
    const std::size_t index = (table.size() - 1) * static_cast<std::size_t>(k) / (kSteps - 1);
    dl->AddRectFilled(ImVec2(at.x + static_cast<float>(k) * w, at.y + inset),
                      ImVec2(at.x + static_cast<float>(k + 1) * w + 0.5f, at.y + height - inset), colour(table[index]));
  }
}

// Width of a row at full text size and geometry scale k: its leading part (dots and their
// labels, or the colour bar) and its text.
float rowWidth(const LegendRow& row, float k) {
  float w = 0.0f;
  for (const LegendSwatch& s : row.swatches) w += (kDot + kDotGap + kGap) * k + ImGui::CalcTextSize(s.label.c_str()).x;
  if (row.kind == LegendRow::Kind::ArrowScale) w += (kBarWidth + kGap) * k;
  return w + ImGui::CalcTextSize(row.text.c_str()).x;
}

}  // namespace

LegendLayout layoutLegend(const Legend& legend, float uiScale, float maxWidth) {
  LegendLayout layout;
  if (legend.empty()) return layout;
  float width = 0.0f;
  for (const LegendRow& row : legend.rows) width = std::max(width, rowWidth(row, uiScale));
  width += 2.0f * kPad * uiScale;
  // Text and geometry shrink together, so the width is linear in the factor.
  // Never below 70% of the UI's size (a larger UI scale must not give smaller text): a legend
  // still too wide then runs past the pane's left edge, where the pane clips it.
  const float shrink = width > maxWidth && width > 0.0f ? std::max(0.7f, maxWidth / width) : 1.0f;
  layout.fontSize = ImGui::GetFontSize() * shrink;
  layout.scale = uiScale * shrink;
  const float rows = static_cast<float>(legend.rows.size());
  layout.size = ImVec2(width * shrink,
                       rows * layout.fontSize + (rows - 1.0f) * kRowGap * layout.scale + 2.0f * kPad * layout.scale);
  return layout;
}

void drawLegend(ImDrawList* dl, const Legend& legend, const LegendLayout& layout, ImVec2 topLeft) {
  if (legend.empty()) return;
  const float k = layout.scale, f = layout.fontSize, line = textSize("Ag", f).y;
  ImFont* font = ImGui::GetFont();
  dl->AddRectFilled(topLeft, ImVec2(topLeft.x + layout.size.x, topLeft.y + layout.size.y), IM_COL32(10, 12, 18, 205),
                    4.0f * k);
  const ImU32 text = IM_COL32(225, 232, 245, 255), dim = IM_COL32(170, 180, 195, 255);
  float y = topLeft.y + kPad * k;
  for (const LegendRow& row : legend.rows) {
    float x = topLeft.x + kPad * k;
    for (const LegendSwatch& s : row.swatches) {
      dl->AddCircleFilled(ImVec2(x + 0.5f * kDot * k, y + 0.5f * line), 0.5f * kDot * k, colour(s.colour), 16);
      x += (kDot + kDotGap) * k;
      dl->AddText(font, f, ImVec2(x, y), dim, s.label.c_str());
      x += textSize(s.label.c_str(), f).x + kGap * k;
    }
    if (row.kind == LegendRow::Kind::ArrowScale) {
      drawArrowScale(dl, ImVec2(x, y), kBarWidth * k, line, 3.0f * k);
      x += (kBarWidth + kGap) * k;
    }
    dl->AddText(font, f, ImVec2(x, y), text, row.text.c_str());
    y += line + kRowGap * k;
  }
}

}  // namespace scorescope::gui
