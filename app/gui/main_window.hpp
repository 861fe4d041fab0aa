#pragma once
// The Qt shell around the ViewportWindow: the File menu (scene files, recent files, drag and
// drop, the question on close), the Lectures menu (built-in lecture scenes, lecture files and the
// clicker keys that step through them), View (play, full screen, lessons) and Help (every
// shortcut). Panels for parameters live inside the viewport (ImGui).
#include <QMainWindow>
#include <optional>

#include "gui/document.hpp"
#include "io/lecture_file.hpp"

class QAction;
class QMenu;

namespace scorescope::gui {

class ViewportWindow;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ViewportWindow* viewport() const { return viewport_; }

  // Opens a scene or a lecture file (told apart by its "format"). Empty on success; otherwise
  // one line naming the file and the bad field, and the scene on show is untouched. Asks nothing:
  // the menu actions ask about unsaved changes first.
  QString openFile(const QString& path);
  // Shows `scene` as the document `path` (empty: not saved yet) titled `title`.
  void showScene(const Scene& scene, const QString& path, const QString& title);
  // Writes the scene on show; empty on success, else one line (and nothing is replaced).
  QString saveScene(const QString& path);
  const Document& document() const { return document_; }

  // Lectures: the open one (if any) and the slide on show; moving shows that slide's scene as saved.
  void openLecture(io::Lecture lecture);
  const std::optional<io::Lecture>& lecture() const { return lecture_; }
  int slide() const { return slide_; }
  void showSlide(int index);

  // The lecture scenes built into the app (resources/scenes), and the course that lists them.
  static QStringList builtInScenes();
  static QString builtInCourse();

  // Every shortcut and gesture, as the Help window lists them: {keys, what it does}.
  QList<QPair<QString, QString>> shortcutList() const;

 protected:
  void closeEvent(QCloseEvent* e) override;
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;

 private:
  void buildFileMenu();
  void buildLecturesMenu();
  void buildViewMenu();
  void buildHelpMenu();
  // Asks about unsaved changes: true when the caller may go on (saved, discarded, or none).
  bool maySetSceneAside();
  void openWithDialogs(const QString& path);
  bool save();
  bool saveAs();
  void newScene();
  void rememberRecent(const QString& path);
  void rebuildRecentMenu();
  void updateTitle();
  void updateLectureActions();
  void saveScreenshot();

  ViewportWindow* viewport_ = nullptr;
  Document document_;
  std::optional<io::Lecture> lecture_;
  int slide_ = 0;
  QMenu* recentMenu_ = nullptr;
  QList<QAction*> lectureActions_;  // next, previous, first, last: enabled while a lecture is open
};

}  // namespace scorescope::gui
