#pragma once
// The Qt shell: window, menus, shortcuts, the screenshot dialog and full screen around the
// ViewportWindow. Panels for parameters live inside the viewport (ImGui).
#include <QMainWindow>

namespace scorescope::gui {

class ViewportWindow;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ViewportWindow* viewport() const { return viewport_; }

 private:
  void saveScreenshot();
  ViewportWindow* viewport_ = nullptr;
};

}  // namespace scorescope::gui
