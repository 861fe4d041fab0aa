#include "render/view2d.hpp"

#include <algorithm>
#include <cassert>

namespace scorescope::render {

void View2D::resize(int widthPx, int heightPx) {
  width_ = std::max(1, widthPx);
  height_ = std::max(1, heightPx);
}

void View2D::fit(const WorldRect& rect) {
  assert(rect.width() > 0.0 && rect.height() > 0.0 && "View2D::fit(): expected a non-empty rect");
  centre_ = {0.5 * (rect.xMin + rect.xMax), 0.5 * (rect.yMin + rect.yMax)};
  unitsPerPixel_ = std::max(rect.width() / width_, rect.height() / height_);
}

void View2D::panPixels(double dx, double dy) {
  // Dragging right moves the content right, so the centre moves left; y is flipped.
  centre_.x -= dx * unitsPerPixel_;
  centre_.y += dy * unitsPerPixel_;
}

void View2D::zoomAt(glm::dvec2 pixel, double factor) {
  assert(factor > 0.0 && "View2D::zoomAt(): expected factor > 0");
  const glm::dvec2 anchor = pixelToWorld(pixel);
  unitsPerPixel_ = std::clamp(unitsPerPixel_ / factor, 1e-6, 1e3);
  const glm::dvec2 moved = pixelToWorld(pixel);
  centre_ += anchor - moved;
}

glm::dvec2 View2D::worldToPixel(glm::dvec2 world) const {
  return {0.5 * width_ + (world.x - centre_.x) / unitsPerPixel_,
          0.5 * height_ - (world.y - centre_.y) / unitsPerPixel_};
}

glm::dvec2 View2D::pixelToWorld(glm::dvec2 pixel) const {
  return {centre_.x + (pixel.x - 0.5 * width_) * unitsPerPixel_,
          centre_.y - (pixel.y - 0.5 * height_) * unitsPerPixel_};
}

WorldRect View2D::visibleRect() const {
  const double hw = 0.5 * width_ * unitsPerPixel_, hh = 0.5 * height_ * unitsPerPixel_;
  return {centre_.x - hw, centre_.y - hh, centre_.x + hw, centre_.y + hh};
}

glm::vec2 View2D::ndcScale() const {
  return {static_cast<float>(2.0 / (width_ * unitsPerPixel_)),
          static_cast<float>(2.0 / (height_ * unitsPerPixel_))};
}

}  // namespace scorescope::render
