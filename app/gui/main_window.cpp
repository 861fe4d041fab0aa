#include "gui/main_window.hpp"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QDialog>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QRegularExpression>
#include <QSaveFile>
#include <cmath>
#include <QSettings>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>

#include "gui/export_dialog.hpp"
#include "gui/ui_scale.hpp"
#include "gui/viewport_window.hpp"
#include "io/text_file.hpp"

namespace scorescope::gui {
namespace {

constexpr const char* kRecentKey = "recentFiles";
constexpr const char* kSceneFilter = "Scorescope scenes and lectures (*.json);;All files (*)";

// A scene file's own title without failing on a broken one (menus list what they can).
QString sceneTitle(const QString& path) {
  QString error;
  const std::optional<io::SceneFile> file = io::readSceneFile(path, error);
  return file && !file->title.isEmpty() ? file->title : QFileInfo(path).completeBaseName();
}

void showWarnings(QWidget* parent, const QString& path, const QStringList& warnings) {
  if (warnings.isEmpty()) return;
  QStringList shown = warnings.mid(0, 12);
  if (warnings.size() > shown.size()) shown << QStringLiteral("... and %1 more").arg(warnings.size() - shown.size());
  QMessageBox::information(parent, "Scorescope",
                           QFileInfo(path).fileName() + " opened; this Scorescope ignored:\n\n" + shown.join('\n'));
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  viewport_ = new ViewportWindow;  // owned by the container
  QWidget* container = QWidget::createWindowContainer(viewport_, this);
  container->setFocusPolicy(Qt::StrongFocus);
  container->setMinimumSize(640, 400);
  setCentralWidget(container);
  setAcceptDrops(true);
  viewport_->fileDropped = [this](const QString& path) { openWithDialogs(path); };

  buildFileMenu();
  buildLecturesMenu();
  buildViewMenu();
  buildHelpMenu();
  document_.reset(viewport_->session().scene(), {}, {});
  connect(&viewport_->session(), &Session::changed, this, &MainWindow::updateTitle);
  updateTitle();
}

// ---- Files -----------------------------------------------------------------------------------

QString MainWindow::openFile(const QString& path) {
  QString error;
  const std::optional<QByteArray> bytes = io::readFileBounded(path, io::kMaxJsonBytes, "scene file", error);
  if (!bytes) return error;
  if (io::looksLikeLecture(*bytes)) {
    std::optional<io::Lecture> lecture = io::readLectureFile(path, error);
    if (!lecture) return error;
    if (!path.startsWith(':')) rememberRecent(path);
    openLecture(std::move(*lecture));
    return {};
  }
  const std::optional<io::SceneFile> file = io::readSceneFile(path, error);
  if (!file) return error;
  lecture_.reset();
  updateLectureActions();
  // A built-in scene has no file to save back to: it opens as a new, unsaved document.
  showScene(file->scene, path.startsWith(':') ? QString() : path, file->title);
  if (!path.startsWith(':')) rememberRecent(path);
  return {};
}

void MainWindow::showScene(const Scene& scene, const QString& path, const QString& title) {
  viewport_->session().setScene(scene);
  document_.reset(viewport_->session().scene(), path, title);
  updateTitle();
  viewport_->update();
}

QString MainWindow::saveScene(const QString& path) {
  const Scene scene = viewport_->session().scene();
  if (const QString problem = io::checkOutputPath(path); !problem.isEmpty()) return problem;
  if (const QString problem = io::writeSceneFile(path, scene, document_.title()); !problem.isEmpty()) return problem;
  document_.reset(scene, path, document_.title());
  rememberRecent(path);
  updateTitle();
  return {};
}

void MainWindow::openWithDialogs(const QString& path) {
  if (!maySetSceneAside()) return;
  if (const QString error = openFile(path); !error.isEmpty()) {
    QMessageBox::warning(this, "Scorescope", "Could not open the file; the scene on show is unchanged.\n\n" + error);
    return;
  }
  showWarnings(this, path, lecture_ ? lecture_->warnings : QStringList{});
  if (!lecture_) {
    QString ignored;
    if (const std::optional<io::SceneFile> file = io::readSceneFile(path, ignored)) showWarnings(this, path, file->warnings);
  }
}

bool MainWindow::maySetSceneAside() {
  if (!document_.modified(viewport_->session().scene())) return true;
  const auto answer = QMessageBox::question(this, "Scorescope", "Save the changes to " + document_.name() + "?",
                                            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel,
                                            QMessageBox::Save);
  if (answer == QMessageBox::Save) return save();
  return answer == QMessageBox::Discard;
}

bool MainWindow::save() {
  if (document_.path().isEmpty()) return saveAs();
  if (const QString error = saveScene(document_.path()); !error.isEmpty()) {
    QMessageBox::warning(this, "Scorescope", "Could not save the scene.\n\n" + error);
    return false;
  }
  return true;
}

bool MainWindow::saveAs() {
  QString suggested = document_.path();
  if (suggested.isEmpty()) {
    QString stem = document_.title().toLower();
    stem.replace(QRegularExpression("[^a-z0-9]+"), "-");
    suggested = QDir::home().filePath((stem.isEmpty() || stem == "-" ? QString("scene") : stem) + ".json");
  }
  QString path = QFileDialog::getSaveFileName(this, "Save scene", suggested, kSceneFilter);
  if (path.isEmpty()) return false;
  if (QFileInfo(path).suffix().isEmpty()) path += ".json";
  if (const QString error = saveScene(path); !error.isEmpty()) {
    QMessageBox::warning(this, "Scorescope", "Could not save the scene.\n\n" + error);
    return false;
  }
  return true;
}

void MainWindow::newScene() {
  if (!maySetSceneAside()) return;
  lecture_.reset();
  updateLectureActions();
  showScene(Scene{}, {}, {});
}

void MainWindow::rememberRecent(const QString& path) {
  QSettings settings;
  settings.setValue(kRecentKey, withRecentFile(settings.value(kRecentKey).toStringList(), path));
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList recent = QSettings().value(kRecentKey).toStringList();
  for (const QString& path : recent) {
    recentMenu_->addAction(QFileInfo(path).fileName() + "   (" + QFileInfo(path).path() + ")", this,
                           [this, path] { openWithDialogs(path); });
  }
  if (recent.isEmpty()) recentMenu_->addAction("(none yet)")->setEnabled(false);
  recentMenu_->addSeparator();
  recentMenu_->addAction("Clear the list", this, [this] {
    QSettings().remove(kRecentKey);
    rebuildRecentMenu();
  });
}

void MainWindow::updateTitle() {
  QString title = document_.name() + "[*]";
  if (lecture_) {
    title = QStringLiteral("%1 %2/%3: %4").arg(lecture_->title).arg(slide_ + 1).arg(lecture_->slides.size()).arg(title);
  }
  setWindowTitle(title + " \u2014 Scorescope");
  setWindowModified(document_.modified(viewport_->session().scene()));
}

void MainWindow::closeEvent(QCloseEvent* e) {
  if (maySetSceneAside()) e->accept();
  else e->ignore();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (!droppedFile(*e->mimeData()).isEmpty()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  const QString path = droppedFile(*e->mimeData());
  if (path.isEmpty()) return;
  e->acceptProposedAction();
  openWithDialogs(path);
}

void MainWindow::buildFileMenu() {
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&New scene", QKeySequence::New, this, &MainWindow::newScene);
  file->addAction("&Open scene or lecture...", QKeySequence::Open, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, "Open scene or lecture", QDir::homePath(), kSceneFilter);
    if (!path.isEmpty()) openWithDialogs(path);
  });
  recentMenu_ = file->addMenu("Open &recent");
  rebuildRecentMenu();
  file->addSeparator();
  file->addAction("&Save scene", QKeySequence::Save, this, [this] { save(); });
  file->addAction("Save scene &as...", QKeySequence::SaveAs, this, [this] { saveAs(); });
  file->addSeparator();
  file->addAction("Save s&creenshot...", QKeySequence(Qt::Key_F12), this, &MainWindow::saveScreenshot);
  file->addAction("&Export picture or animation...", QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] {
    ExportDialog(viewport_, this).exec();
  });
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);
}

// ---- Lectures --------------------------------------------------------------------------------

QStringList MainWindow::builtInScenes() {
  QStringList paths;
  // The lecture scenes; benchmark-*.json are for `scorescope bench`, not for teaching.
  for (const QString& name : QDir(":/scenes").entryList({"*.json"}, QDir::Files, QDir::Name)) {
    if (!name.startsWith("benchmark-")) paths << ":/scenes/" + name;
  }
  return paths;
}

QString MainWindow::builtInCourse() { return ":/lectures/diffusion-course.json"; }

void MainWindow::openLecture(io::Lecture lecture) {
  lecture_ = std::move(lecture);
  updateLectureActions();
  showSlide(0);
}

void MainWindow::showSlide(int index) {
  if (!lecture_) return;
  slide_ = std::clamp(index, 0, static_cast<int>(lecture_->slides.size()) - 1);
  const io::LectureSlide& slide = lecture_->slides[slide_];
  // Slides are shown as their files hold them: a clicker must never stop on a question, so
  // changes made on a slide are left behind (Save keeps them first).
  showScene(slide.scene, slide.path.startsWith(':') ? QString() : slide.path, slide.title);
  // Full screen hides the window title: the canvas says which slide this is for a moment.
  viewport_->controller().showBanner(QString("%1 / %2   %3").arg(slide_ + 1).arg(lecture_->slides.size()).arg(slide.title).toStdString());
}

void MainWindow::updateLectureActions() {
  for (QAction* a : lectureActions_) a->setEnabled(lecture_.has_value());
  updateTitle();
}

void MainWindow::buildLecturesMenu() {
  QMenu* menu = menuBar()->addMenu("&Lectures");
  menu->addAction("Open the built-in &course", this, [this] { openWithDialogs(builtInCourse()); });
  menu->addAction("Open &lecture file...", QKeySequence(Qt::CTRL | Qt::Key_L), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, "Open lecture", QDir::homePath(), kSceneFilter);
    if (!path.isEmpty()) openWithDialogs(path);
  });
  menu->addSeparator();
  // What presentation clickers send is Page Down / Page Up; arrows and Home / End do the same.
  auto slideAction = [&](const QString& text, QList<QKeySequence> keys, auto move) {
    QAction* a = menu->addAction(text, this, [this, move] {
      if (lecture_) showSlide(move(slide_, static_cast<int>(lecture_->slides.size())));
    });
    a->setShortcuts(keys);
    a->setShortcutContext(Qt::ApplicationShortcut);
    a->setEnabled(false);
    lectureActions_ << a;
  };
  slideAction("&Next slide", {Qt::Key_PageDown, Qt::Key_Right, Qt::Key_Down}, [](int i, int) { return i + 1; });
  slideAction("&Previous slide", {Qt::Key_PageUp, Qt::Key_Left, Qt::Key_Up}, [](int i, int) { return i - 1; });
  slideAction("&First slide", {Qt::Key_Home}, [](int, int) { return 0; });
  slideAction("&Last slide", {Qt::Key_End}, [](int, int n) { return n - 1; });
  menu->addSeparator();
  QMenu* scenes = menu->addMenu("Built-in &scenes");
  for (const QString& path : builtInScenes()) {
    scenes->addAction(sceneTitle(path), this, [this, path] { openWithDialogs(path); });
  }
}

// ---- View and Help ---------------------------------------------------------------------------

void MainWindow::buildViewMenu() {
  Session& session = viewport_->session();
  QMenu* view = menuBar()->addMenu("&View");
  QAction* play = view->addAction("&Play / pause", this, [&session] {
    Timeline& t = session.timeline();
    t.setPlaying(!t.playing());
  });
  play->setShortcut(Qt::Key_Space);
  QAction* forward = view->addAction("Step &forward", this, [&session] { session.timeline().step(+1); });
  forward->setShortcut(Qt::Key_Period);
  QAction* back = view->addAction("Step &back", this, [&session] { session.timeline().step(-1); });
  back->setShortcut(Qt::Key_Comma);
  QAction* reset = view->addAction("&Reset view", this, [&session] {
    session.edit([](Scene& s) { s.display.camera = Camera{}; });
  });
  reset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  QAction* full = view->addAction("Full &screen", this, [this] {
    if (isFullScreen()) showNormal();
    else showFullScreen();
  });
  full->setShortcut(Qt::Key_F11);
  addUiScaleMenu(view);
  view->addSeparator();
  for (int l = 1; l <= kLessonCount; ++l) {
    QAction* a = view->addAction(lessonTitle(static_cast<Lesson>(l)), this, [&session, l] {
      session.edit([l](Scene& s) {
        if (s.sampled.lesson != static_cast<Lesson>(l)) s.sampled = enterLesson(s.sampled, static_cast<Lesson>(l));
      });
    });
    a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_0 + l)));
  }
  for (QAction* a : view->actions()) a->setShortcutContext(Qt::ApplicationShortcut);
  for (QAction* a : view->actions()) connect(a, &QAction::triggered, this, [this] { viewport_->update(); });
}

QList<QPair<QString, QString>> MainWindow::shortcutList() const {
  QList<QPair<QString, QString>> list;
  std::function<void(const QMenu*)> walk = [&](const QMenu* menu) {
    for (const QAction* a : menu->actions()) {
      if (a->menu()) walk(a->menu());
      if (a->shortcuts().isEmpty()) continue;
      QStringList keys;
      for (const QKeySequence& k : a->shortcuts()) keys << k.toString(QKeySequence::NativeText);
      list.append({keys.join(", "), QString(a->text()).remove('&')});
    }
  };
  for (const QAction* a : menuBar()->actions()) {
    if (a->menu()) walk(a->menu());
  }
  // Keys and gestures the viewport handles itself (no menu action).
  list.append(QPair<QString, QString>("Drag on the plot", "Pan"));
  list.append(QPair<QString, QString>("Wheel on the plot", "Zoom about the cursor"));
  list.append(QPair<QString, QString>("Drag a ring handle", "Move a mixture mode"));
  list.append(QPair<QString, QString>("Click on the plot", "Add a point (drawn targets; the class is chosen in the panel)"));
  list.append(QPair<QString, QString>("Drop a .json file", "Open that scene or lecture"));
  list.append(QPair<QString, QString>("Tab", "Hide / show the panels: the plot fills the window"));
  return list;
}

void MainWindow::buildHelpMenu() {
  QMenu* help = menuBar()->addMenu("&Help");
  QAction* keys = help->addAction("&Keyboard shortcuts", this, [this] {
    QDialog dialog(this);
    dialog.setWindowTitle("Scorescope: keyboard shortcuts");
    auto* table = new QTableWidget(&dialog);
    const auto list = shortcutList();
    table->setColumnCount(2);
    table->setRowCount(static_cast<int>(list.size()));
    table->setHorizontalHeaderLabels({"Keys", "Does"});
    for (int r = 0; r < list.size(); ++r) {
      table->setItem(r, 0, new QTableWidgetItem(list[r].first));
      table->setItem(r, 1, new QTableWidgetItem(list[r].second));
    }
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->resizeColumnsToContents();
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(table);
    dialog.resize(620, 560);
    dialog.exec();
  });
  keys->setShortcut(QKeySequence::HelpContents);
  help->addAction("&About Scorescope", this, [this] {
    QMessageBox::about(this, "Scorescope",
                       "Scorescope teaches diffusion and score-based generative models on 2D toy "
                       "distributions with exact scores.\n\nDrag the canvas to pan, wheel to zoom, "
                       "drag a ring handle to move a mixture mode. Help > Keyboard shortcuts lists every key.");
  });
}

void MainWindow::addUiScaleMenu(QMenu* view) {
  QMenu* menu = view->addMenu("&UI scale");
  uiScaleGroup_ = new QActionGroup(this);
  for (float step : kUiScaleSteps) {
    QAction* a = menu->addAction(QString::number(static_cast<double>(step)) + "x", this, [this, step] { setUiScale(step); });
    a->setCheckable(true);
    a->setData(static_cast<double>(step));
    uiScaleGroup_->addAction(a);
  }
  menu->addSeparator();
  QAction* larger = menu->addAction("&Larger", this, [this] {
    setUiScale(stepUiScale(viewport_->controller().uiScale(), +1));
  });
  larger->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)});
  QAction* smaller = menu->addAction("&Smaller", this, [this] {
    setUiScale(stepUiScale(viewport_->controller().uiScale(), -1));
  });
  smaller->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
  for (QAction* a : menu->actions()) a->setShortcutContext(Qt::ApplicationShortcut);
  // The check mark follows the scale in use (a flag may have set one between the steps).
  connect(menu, &QMenu::aboutToShow, this, [this] {
    const double now = viewport_->controller().uiScale();
    for (QAction* a : uiScaleGroup_->actions()) a->setChecked(std::abs(a->data().toDouble() - now) < 1e-3);
  });
}

void MainWindow::setUiScale(float scale) {
  viewport_->controller().setUiScale(scale);
  saveUiScale(viewport_->controller().uiScale());  // a choice made here is remembered
  viewport_->update();
}

void MainWindow::saveScreenshot() {
  const QString path = QFileDialog::getSaveFileName(this, "Save screenshot", "scorescope.png", "PNG images (*.png)");
  if (path.isEmpty()) return;
  QSaveFile file(path);  // the PNG appears complete or not at all
  if (!file.open(QIODevice::WriteOnly) || !viewport_->grabFrame().save(&file, "PNG") || !file.commit()) {
    QMessageBox::warning(this, "Scorescope", "Could not write " + path + ": " + file.errorString());
  }
}

}  // namespace scorescope::gui
