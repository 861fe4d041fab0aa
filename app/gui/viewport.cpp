#include "gui/viewport.hpp"

namespace scorescope::gui {

Viewport::Viewport(QWidget* parent) : GlHost<QOpenGLWidget>(parent) {
  setMouseTracking(true);  // hover feedback in the panels and the coordinate readout
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(640, 400);
}

QMetaObject::Connection Viewport::onFrameSwapped(std::function<void()> f) {
  return connect(this, &QOpenGLWidget::frameSwapped, this, std::move(f));
}

}  // namespace scorescope::gui
