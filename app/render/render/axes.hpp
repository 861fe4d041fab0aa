#pragma once
// Grid lines, axes and tick positions for the data plane: a "nice" step (1, 2 or 5 times a power
// of ten) chosen so ticks are about `targetPixels` apart at the current zoom. Labels are text,
// drawn by the host (ImGui in the GUI) at the returned positions. GL-free.
#include <vector>

#include "render/frame_data.hpp"

namespace scorescope::render {

// The nice step for a wanted spacing in data units (e.g. 0.73 -> 1, 0.3 -> 0.5, 0.13 -> 0.2).
double niceStep(double wanted);

struct Ticks {
  double step = 1.0;
  std::vector<double> xs, ys;  // tick positions inside the visible rect
};
Ticks makeTicks(const View2D& view, double targetPixels = 90.0);

// Minor grid lines at every tick, axis lines through 0 (brighter), for the visible rect.
std::vector<Segment> makeGridSegments(const View2D& view, const Ticks& ticks);

}  // namespace scorescope::render
