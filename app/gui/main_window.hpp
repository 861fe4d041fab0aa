#pragma once
// The Qt shell: window, menus, shortcuts, the screenshot dialog and the full-screen
// presentation mode around the Viewport. Panels for parameters live inside the viewport (ImGui).
#include <QMainWindow>

namespace scorescope::gui {

class ViewportHost;

// Which Qt class hosts the GL canvas: a QOpenGLWindow in a window container (the default, no
// widget compositor in the frame) or a QOpenGLWidget.
enum class ViewportKind { Window, Widget };

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(ViewportKind kind = ViewportKind::Window, QWidget* parent = nullptr);
  ViewportHost* viewport() const { return viewport_; }

 private:
  void saveScreenshot();
  ViewportHost* viewport_ = nullptr;
};

}  // namespace scorescope::gui
