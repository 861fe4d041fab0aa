#pragma once
// The viewport as a QOpenGLWindow, embedded in the main window with
// QWidget::createWindowContainer: it renders straight into the window's back buffer. On Mesa
// llvmpipe under Xvfb a clear-only frame costs ~7 ms this way against 14-38 ms through
// QOpenGLWidget's compositor (measured on the 2-core machine), so this is the default host.
#include <QOpenGLWindow>

#include "gui/gl_host.hpp"

namespace scorescope::gui {

class ViewportWindow : public GlHost<QOpenGLWindow> {
 public:
  ViewportWindow() = default;

  // Renders a fresh frame into an offscreen FBO (QOpenGLWindow::grabFramebuffer only reads the
  // back buffer, which is undefined after a swap).
  QImage grabFrame() override;
  QMetaObject::Connection onFrameSwapped(std::function<void()> f) override;

 protected:
  float devicePixelRatioOf() const override { return static_cast<float>(devicePixelRatio()); }
};

}  // namespace scorescope::gui
