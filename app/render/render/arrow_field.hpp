#pragma once
// Turning a vector field sampled on a grid (values the core computed, e.g. the exact score
// grad log p_t) into arrows to draw. Two length modes a lecturer switches between:
//   Normalised: every arrow has the same length (0.7 cell), the direction field alone;
//   TrueLength: length = gain * |v|, capped at maxCells cells so a huge score near a sharp
//               mode does not cover the picture.
// The colour value is |v| / max |v| over the grid (or over several grids: ArrowStyle::colourScale),
// so colour carries the magnitude in both modes. GL-free.
#include <vector>

#include "render/frame_data.hpp"

namespace scorescope::render {

// Grid nodes at cell centres of `rect` divided into n x n cells: node (i, j) (column i, row j)
// is at (xMin + (i + 0.5) w / n, yMin + (j + 0.5) h / n). Returned as xs then ys, row-major.
struct GridNodes {
  std::vector<double> xs, ys;
  double cellWidth = 0.0, cellHeight = 0.0;
};
GridNodes makeGridNodes(const WorldRect& rect, int n);
// The same over `rect` divided into columns x rows cells.
GridNodes makeGridNodes(const WorldRect& rect, int columns, int rows);

// A grid of square cells over a whole visible rectangle: `along` cells on its longer side, as
// many on the shorter side as fit (at least 1), the cells' union centred on the rectangle (it
// overhangs or falls short by under half a cell at each end of the shorter side).
struct SquareCells {
  WorldRect rect;  // the union of the cells
  int columns = 1, rows = 1;
  double cell = 1.0;
};
SquareCells squareCells(const WorldRect& visible, int along);

enum class ArrowLength { Normalised, TrueLength };

struct ArrowStyle {
  ArrowLength length = ArrowLength::Normalised;
  double gain = 0.1;      // TrueLength: data units per unit of |v|
  double maxCells = 1.5;  // TrueLength: cap in cells
  // The |v| that maps to full colour. 0: the grid's own max |v|. Panes compared side by side
  // (a guidance sweep) pass one shared value, so equal colours mean equal magnitudes.
  double colourScale = 0.0;
};
// max |v| over the finite values: the colour scale makeArrows uses by default.
double maxArrowNorm(const double* vx, const double* vy, std::size_t n);

// One arrow per node; vx, vy are the field values at the nodes (same order as nodes).
std::vector<ArrowInstance> makeArrows(const GridNodes& nodes, const double* vx, const double* vy,
                                      const ArrowStyle& style);

}  // namespace scorescope::render
