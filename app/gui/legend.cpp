#include "gui/legend.hpp"

#include <algorithm>
#include <cstdio>

#include "render/frame_data.hpp"

namespace scorescope::gui {
namespace {

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

}  // namespace

std::string Legend::text() const {
  std::string out;
  for (const LegendRow& row : rows) {
    for (const LegendSwatch& s : row.swatches) out += s.label + " ";
    out += row.text + "\n";
  }
  return out;
}

Legend makeLegend(const LegendInput& in) {
  Legend legend;
  if (in.particles) {
    LegendRow row;
    row.kind = LegendRow::Kind::Swatches;
    if (in.classes > 1) {
      // One dot per class with its index: what tells a lecture hall which mode is which.
      for (int k = 0; k < std::min(in.classes, kMaxLegendClasses); ++k) {
        row.swatches.push_back({render::classColour(k), std::to_string(k)});
      }
      row.text = in.classes > kMaxLegendClasses ? "class (colours repeat)" : "class";
    } else {
      row.swatches.push_back({render::ParticleLayer{}.colour, ""});
      row.text = "a sample (no classes)";
    }
    legend.rows.push_back(std::move(row));
    if (in.guidedClass >= 0) {
      LegendRow guided;
      guided.kind = LegendRow::Kind::Swatches;
      guided.swatches.push_back({render::classColour(in.guidedClass), std::to_string(in.guidedClass)});
      guided.text = "guided towards this class";
      legend.rows.push_back(std::move(guided));
    }
  }
  if (in.arrows) {
    LegendRow length;
    const std::string& f = in.arrowField;
    length.text = in.trueArrowLength ? "arrow length " + number(in.arrowGain) + " × |" + f + "| (max 1.5 cells)"
                                     : "arrow: " + f + " direction (length fixed)";
    legend.rows.push_back(std::move(length));
    LegendRow scale;
    scale.kind = LegendRow::Kind::ArrowScale;
    scale.text = "|" + f + "| 0 .. " + number(in.maxScore);
    legend.rows.push_back(std::move(scale));
  }
  return legend;
}

}  // namespace scorescope::gui
