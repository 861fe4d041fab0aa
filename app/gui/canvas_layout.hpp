#pragma once
// Where things sit in the viewport window (logical pixels, y down): the sidebar on the left, the
// timeline strip along the bottom, and the canvas (the plot panes) in the rest. Every conversion
// between window and canvas coordinates goes through this one value.
#include <QPointF>
#include <algorithm>

namespace scorescope::gui {

struct CanvasLayout {
  static constexpr int kSidebarWidth = 330;
  static constexpr int kTimelineHeight = 62;

  int windowWidth = 1280, windowHeight = 720;

  int canvasLeft() const { return kSidebarWidth; }
  int canvasWidth() const { return std::max(1, windowWidth - kSidebarWidth); }
  int canvasHeight() const { return std::max(1, windowHeight - kTimelineHeight); }
  QPointF toCanvas(QPointF window) const { return {window.x() - kSidebarWidth, window.y()}; }
  QPointF toWindow(QPointF canvas) const { return {canvas.x() + kSidebarWidth, canvas.y()}; }
};

}  // namespace scorescope::gui
