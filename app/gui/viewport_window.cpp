#include "gui/viewport_window.hpp"

#include <QOpenGLFramebufferObject>

namespace scorescope::gui {

QImage ViewportWindow::grabFrame() {
  makeCurrent();  // creates the context on first use
  if (!controller_.ready()) initializeGL();
  const qreal dpr = devicePixelRatio();
  QOpenGLFramebufferObject fbo(size() * dpr);
  fbo.bind();
  controller_.paint(width(), height(), static_cast<float>(dpr));
  QImage image = fbo.toImage();
  fbo.release();
  doneCurrent();
  return image;
}

QMetaObject::Connection ViewportWindow::onFrameSwapped(std::function<void()> f) {
  return connect(this, &QOpenGLWindow::frameSwapped, this, std::move(f));
}

}  // namespace scorescope::gui
