#pragma once
// What the main window and the benchmark need from a viewport, whichever Qt class hosts the GL
// surface (Viewport: QOpenGLWidget; ViewportWindow: QOpenGLWindow in a window container).
#include <QImage>
#include <QMetaObject>
#include <functional>
#include <vector>

namespace scorescope::gui {

class ViewportController;

class ViewportHost {
 public:
  virtual ~ViewportHost() = default;
  virtual ViewportController& controller() = 0;
  // Renders a frame now and returns it (upright, logical size times the device-pixel ratio).
  virtual QImage grabFrame() = 0;
  virtual void requestFrame() = 0;
  // When false, frames come only on input or requestFrame() (benchmarks drive frames).
  virtual void setAutoAnimate(bool on) = 0;
  virtual QMetaObject::Connection onFrameSwapped(std::function<void()> f) = 0;
  virtual std::vector<double> benchOffscreen(int frames) = 0;
  virtual int canvasWidth() const = 0;
  virtual int canvasHeight() const = 0;
};

}  // namespace scorescope::gui
