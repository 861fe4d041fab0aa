#pragma once
// The viewport's Qt host: a QOpenGLWindow (embedded in the main window with
// QWidget::createWindowContainer) that renders straight into the window's back buffer. On Mesa
// llvmpipe under Xvfb a clear-only frame costs ~7 ms this way against 14-38 ms through
// QOpenGLWidget's compositor (measured on the 2-core machine). It forwards input to the
// ViewportController, animates while the timeline plays or a run samples, and releases GL
// objects while the context still lives.
#include <QOpenGLWindow>
#include <QTimer>
#include <functional>
#include <vector>

#include "gui/viewport_controller.hpp"

class QMimeData;

namespace scorescope::gui {

// The one local file a drag carries, or empty.
QString droppedFile(const QMimeData& data);

class ViewportWindow : public QOpenGLWindow {
 public:
  ViewportWindow();
  ~ViewportWindow() override;

  ViewportController& controller() { return controller_; }
  Session& session() { return controller_.session(); }
  const Panels& panels() const { return controller_.panels(); }
  bool ready() const { return controller_.ready(); }

  // Renders a fresh frame into an offscreen FBO and returns it (upright, logical size times the
  // device-pixel ratio). QOpenGLWindow::grabFramebuffer only reads the back buffer, which is
  // undefined after a swap.
  QImage grabFrame();
  // When false, frames come only on input or update() (benchmarks and tests drive frames).
  void setAutoAnimate(bool on);
  // Times `frames` renders of the playing scene into an offscreen FBO (see ViewportController).
  std::vector<double> benchOffscreen(int frames);
  // Called with the path of a single local file dropped on the plot (the main window opens it).
  std::function<void(const QString&)> fileDropped;

 protected:
  void initializeGL() override;
  void paintGL() override;
  bool event(QEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;
  void keyReleaseEvent(QKeyEvent* e) override;
  void focusOutEvent(QFocusEvent* e) override;

 private:
  static constexpr int kFrameIntervalMs = 15;
  void releaseGl();

  ViewportController controller_;
  QTimer animation_;
  QMetaObject::Connection contextConnection_;
};

}  // namespace scorescope::gui
