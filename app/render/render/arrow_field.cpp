#include "render/arrow_field.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace scorescope::render {

GridNodes makeGridNodes(const WorldRect& rect, int n) { return makeGridNodes(rect, n, n); }

GridNodes makeGridNodes(const WorldRect& rect, int columns, int rows) {
  assert(columns > 0 && rows > 0 && "makeGridNodes(): expected columns, rows > 0");
  GridNodes g;
  g.cellWidth = rect.width() / columns;
  g.cellHeight = rect.height() / rows;
  g.xs.reserve(static_cast<std::size_t>(columns * rows));
  g.ys.reserve(static_cast<std::size_t>(columns * rows));
  for (int j = 0; j < rows; ++j) {
    for (int i = 0; i < columns; ++i) {
      g.xs.push_back(rect.xMin + (i + 0.5) * g.cellWidth);
      g.ys.push_back(rect.yMin + (j + 0.5) * g.cellHeight);
    }
  }
  return g;
}

SquareCells squareCells(const WorldRect& visible, int along) {
  assert(along > 0 && "squareCells(): expected along > 0");
  SquareCells c;
  const double w = visible.width(), h = visible.height();
  c.cell = std::max(w, h) / along;
  c.columns = w >= h ? along : std::max(1, static_cast<int>(std::lround(w / c.cell)));
  c.rows = h > w ? along : std::max(1, static_cast<int>(std::lround(h / c.cell)));
  const double cx = 0.5 * (visible.xMin + visible.xMax), cy = 0.5 * (visible.yMin + visible.yMax);
  const double hw = 0.5 * c.columns * c.cell, hh = 0.5 * c.rows * c.cell;
  c.rect = {cx - hw, cy - hh, cx + hw, cy + hh};
  return c;
}

double maxArrowNorm(const double* vx, const double* vy, std::size_t n) {
  double maxNorm = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const double m = std::hypot(vx[k], vy[k]);
    if (std::isfinite(m)) maxNorm = std::max(maxNorm, m);
  }
  return maxNorm;
}

std::vector<ArrowInstance> makeArrows(const GridNodes& nodes, const double* vx, const double* vy,
                                      const ArrowStyle& style) {
  const std::size_t n = nodes.xs.size();
  const double maxNorm = style.colourScale > 0.0 ? style.colourScale : maxArrowNorm(vx, vy, n);
  const double cell = std::min(nodes.cellWidth, nodes.cellHeight);
  std::vector<ArrowInstance> arrows;
  arrows.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double m = std::hypot(vx[k], vy[k]);
    if (!(m > 0.0) || !std::isfinite(m)) continue;  // no direction to draw
    const double length = style.length == ArrowLength::Normalised
                              ? 0.7 * cell
                              : std::min(style.gain * m, style.maxCells * cell);
    const double ux = vx[k] / m, uy = vy[k] / m;
    // The arrow is centred on its node, so neighbouring arrows do not collide.
    arrows.push_back({static_cast<float>(nodes.xs[k] - 0.5 * length * ux),
                      static_cast<float>(nodes.ys[k] - 0.5 * length * uy),
                      static_cast<float>(length * ux), static_cast<float>(length * uy),
                      static_cast<float>(maxNorm > 0.0 ? std::min(1.0, m / maxNorm) : 0.0)});
  }
  return arrows;
}

}  // namespace scorescope::render
