#include "gui/main_window.hpp"

#include <QAction>
#include <QActionGroup>
#include <QFileDialog>
#include <QKeySequence>
#include <QSaveFile>
#include <cmath>
#include <QMenuBar>
#include <QMessageBox>

#include "gui/ui_scale.hpp"
#include "gui/viewport_window.hpp"

namespace scorescope::gui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("Scorescope");
  viewport_ = new ViewportWindow;  // owned by the container
  QWidget* container = QWidget::createWindowContainer(viewport_, this);
  container->setFocusPolicy(Qt::StrongFocus);
  container->setMinimumSize(640, 400);
  setCentralWidget(container);
  Session& session = viewport_->session();

  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("Save &screenshot...", QKeySequence::Save, this, &MainWindow::saveScreenshot);
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

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
  reset->setShortcut(Qt::Key_Home);
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

  QMenu* help = menuBar()->addMenu("&Help");
  help->addAction("&About Scorescope", this, [this] {
    QMessageBox::about(this, "Scorescope",
                       "Scorescope teaches diffusion and score-based generative models on 2D toy "
                       "distributions with exact scores.\n\nDrag the canvas to pan, wheel to zoom, "
                       "drag a ring handle to move a mixture mode.");
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
