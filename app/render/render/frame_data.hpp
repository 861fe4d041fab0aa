#pragma once
// Everything one frame of the canvas shows, as plain data the core computed: pointers and counts
// for the big arrays (the caller keeps them alive during draw; nothing is copied, as in ImPlot),
// small vectors for the rest. The GUI fills it every frame; a headless exporter can fill the
// same struct and hand it to the same SceneRenderer. GL-free.
#include <cstddef>
#include <vector>

#include "render/colormap.hpp"
#include "render/view2d.hpp"

namespace scorescope::render {

// A batch of points in data coordinates, stored like core::Points (all x, then all y).
struct ParticleLayer {
  const double* xs = nullptr;
  const double* ys = nullptr;
  std::size_t count = 0;
  const int* labels = nullptr;  // optional: colour by classColour(label)
  Rgba8 colour{220, 230, 255, 255};  // used when labels is null
  float pointSizePx = 2.5f;
  float alpha = 0.7f;
};

// Scalar values on a regular grid over `rect` (row-major, row 0 at yMin), already scaled to
// [0, 1] for display (see DensityImage), drawn through a colour map with optional contours.
struct DensityLayer {
  const float* values = nullptr;
  int columns = 0, rows = 0;
  WorldRect rect;
  ColormapKind colormap = ColormapKind::Ice;
  int contourLevels = 0;  // 0: none
  float opacity = 1.0f;
};

// One arrow per instance: base point, vector (data units, already scaled for display) and a
// colour value in [0, 1] (normally the relative magnitude of the true vector).
struct ArrowInstance {
  float x, y, dx, dy, value;
};
struct ArrowLayer {
  const ArrowInstance* arrows = nullptr;
  std::size_t count = 0;
  float shaftWidth = 0.02f;  // data units
  float headLength = 0.1f;   // data units (shortened for short arrows)
  ColormapKind colormap = ColormapKind::Ember;
  float opacity = 0.95f;
};

// Thick line segments with a colour (and alpha) at each end: trails, paths, grid lines, axes.
struct Segment {
  float x0, y0, x1, y1;
  Rgba8 c0, c1;
};
struct SegmentLayer {
  const Segment* segments = nullptr;
  std::size_t count = 0;
  float widthPx = 1.5f;
};

struct FrameData {
  Rgba8 background{14, 17, 23, 255};
  std::vector<DensityLayer> densities;
  std::vector<SegmentLayer> underlays;  // grid and axes, drawn below particles
  std::vector<ParticleLayer> particles;
  std::vector<SegmentLayer> lines;      // trails and paths, above particles
  std::vector<ArrowLayer> arrows;
};

}  // namespace scorescope::render
