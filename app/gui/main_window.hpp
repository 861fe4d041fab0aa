#pragma once
// The Qt shell: window, menus, shortcuts, the screenshot dialog and full screen around the
// ViewportWindow. Panels for parameters live inside the viewport (ImGui).
#include <QMainWindow>

class QActionGroup;
class QMenu;

namespace scorescope::gui {

class ViewportWindow;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ViewportWindow* viewport() const { return viewport_; }

 private:
  void saveScreenshot();
  // View > UI scale: the steps as a radio group, Ctrl+= / Ctrl+- (remembered with QSettings).
  void addUiScaleMenu(QMenu* view);
  void setUiScale(float scale);
  ViewportWindow* viewport_ = nullptr;
  QActionGroup* uiScaleGroup_ = nullptr;
};

}  // namespace scorescope::gui
