#pragma once
// The viewport as a QOpenGLWidget. The widget compositor adds a full-window texture pass to
// every frame (14-38 ms for a clear-only frame on llvmpipe under Xvfb, measured), so the
// application hosts the same controller in a ViewportWindow by default; this host is kept for
// embedding in widget layouts (--widget-viewport) and is what the interaction tests drive.
#include <QOpenGLWidget>

#include "gui/gl_host.hpp"

namespace scorescope::gui {

class Viewport : public GlHost<QOpenGLWidget> {
 public:
  explicit Viewport(QWidget* parent = nullptr);

  QImage grabFrame() override { return grabFramebuffer(); }  // renders a fresh frame
  QMetaObject::Connection onFrameSwapped(std::function<void()> f) override;

 protected:
  float devicePixelRatioOf() const override { return static_cast<float>(devicePixelRatioF()); }
};

}  // namespace scorescope::gui
