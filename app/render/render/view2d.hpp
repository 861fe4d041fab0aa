#pragma once
// The mapping between data coordinates (the plane the particles live in, y up) and pixels of a
// viewport (y down, origin top-left, logical pixels). Pan and zoom keep the data coordinates
// right: zooming about the cursor keeps the data point under the cursor fixed. GL-free.
#include <glm/vec2.hpp>

namespace scorescope::render {

struct WorldRect {
  double xMin = -4.0, yMin = -4.0, xMax = 4.0, yMax = 4.0;
  double width() const { return xMax - xMin; }
  double height() const { return yMax - yMin; }
  bool operator==(const WorldRect&) const = default;
};

class View2D {
 public:
  View2D() = default;
  View2D(int widthPx, int heightPx) { resize(widthPx, heightPx); }

  void resize(int widthPx, int heightPx);
  int widthPx() const { return width_; }
  int heightPx() const { return height_; }

  // Shows `rect` entirely, centred, with equal scale on both axes (circles stay round).
  void fit(const WorldRect& rect);
  // Moves the content by a pixel offset (a drag of the canvas by (dx, dy) pixels).
  void panPixels(double dx, double dy);
  // Multiplies the magnification by `factor` (> 1 zooms in) keeping the data point under `pixel` fixed.
  void zoomAt(glm::dvec2 pixel, double factor);

  glm::dvec2 worldToPixel(glm::dvec2 world) const;
  glm::dvec2 pixelToWorld(glm::dvec2 pixel) const;
  // The data rectangle the viewport shows.
  WorldRect visibleRect() const;

  glm::dvec2 centre() const { return centre_; }
  double unitsPerPixel() const { return unitsPerPixel_; }

  // For shaders: ndc = (world - centre) * ndcScale.
  glm::vec2 ndcScale() const;

 private:
  int width_ = 1, height_ = 1;
  glm::dvec2 centre_{0.0, 0.0};
  double unitsPerPixel_ = 8.0 / 720.0;
};

}  // namespace scorescope::render
