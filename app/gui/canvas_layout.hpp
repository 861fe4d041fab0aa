#pragma once
// Where things sit in the viewport window (logical pixels, y down): the sidebar on the left, the
// timeline strip along the bottom, and the canvas (the plot panes) in the rest. Every conversion
// between window and canvas coordinates goes through this one value. The strips grow with the UI
// scale (ui_scale.hpp); with the panels hidden (Tab) the canvas is the whole window.
#include <QPointF>
#include <algorithm>
#include <cmath>

namespace scorescope::gui {

struct CanvasLayout {
  // At UI scale 1.
  static constexpr int kSidebarWidth = 330;
  static constexpr int kTimelineHeight = 62;
  // The sidebar never takes more than this share of the window: at 3x on a small window the
  // canvas keeps the rest (the sidebar scrolls).
  static constexpr double kMaxSidebarShare = 0.6;

  int windowWidth = 1280, windowHeight = 720;
  float uiScale = 1.0f;
  bool panelsHidden = false;

  int sidebarWidth() const {
    if (panelsHidden) return 0;
    return std::min(static_cast<int>(std::lround(kSidebarWidth * uiScale)),
                    static_cast<int>(kMaxSidebarShare * windowWidth));
  }
  int timelineHeight() const { return panelsHidden ? 0 : static_cast<int>(std::lround(kTimelineHeight * uiScale)); }
  int canvasLeft() const { return sidebarWidth(); }
  int canvasWidth() const { return std::max(1, windowWidth - sidebarWidth()); }
  int canvasHeight() const { return std::max(1, windowHeight - timelineHeight()); }
  QPointF toCanvas(QPointF window) const { return {window.x() - sidebarWidth(), window.y()}; }
  QPointF toWindow(QPointF canvas) const { return {canvas.x() + sidebarWidth(), canvas.y()}; }
};

}  // namespace scorescope::gui
