#pragma once
// A pane's legend as plain rows (no ImGui, so the frame builder fills it and tests read it):
// what a particle's colour means (its class, with the class indices, or one colour for every
// sample), what an arrow's length and brightness mean (the normalised direction with |score| in
// its colour and the numbers of that scale, or the true length), and in the guidance lessons
// which class the run steers towards. legend_overlay.hpp draws it.
#include <string>
#include <vector>

#include "render/colormap.hpp"

namespace scorescope::gui {

struct LegendSwatch {
  render::Rgba8 colour;
  std::string label;  // "0", "1", ... or empty
  bool operator==(const LegendSwatch&) const = default;
};

struct LegendRow {
  enum class Kind {
    Swatches,    // coloured dots, each followed by its label, then the text
    ArrowScale,  // the arrow colour map as a bar, then the text (its numbers)
    Text,
  };
  Kind kind = Kind::Text;
  std::vector<LegendSwatch> swatches;
  std::string text;
  bool operator==(const LegendRow&) const = default;
};

struct Legend {
  std::vector<LegendRow> rows;
  bool empty() const { return rows.empty(); }
  // All rows' text and swatch labels, one row a line (tests and tool tips).
  std::string text() const;
  bool operator==(const Legend&) const = default;
};

// What the legend of one pane is made from.
struct LegendInput {
  bool particles = false;     // particles drawn in the pane
  int classes = 0;            // > 1: particles coloured by class 0..classes-1
  int guidedClass = -1;       // >= 0: the run steers towards this class
  bool arrows = false;        // score arrows drawn
  bool trueArrowLength = false;
  double arrowGain = 0.0;     // true length: data units per unit of |score|
  double maxScore = 0.0;      // the largest |field| over the arrow grid (brightest colour)
  std::string arrowField = "score";  // what the arrows show, in the legend's words
};

// The class palette repeats after this many colours; more classes are named as a range.
inline constexpr int kMaxLegendClasses = 10;

Legend makeLegend(const LegendInput& in);

}  // namespace scorescope::gui
