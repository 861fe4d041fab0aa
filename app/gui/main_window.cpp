#include "gui/main_window.hpp"

#include <QAction>
#include <QFileDialog>
#include <QKeySequence>
#include <QSaveFile>
#include <QMenuBar>
#include <QMessageBox>

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

void MainWindow::saveScreenshot() {
  const QString path = QFileDialog::getSaveFileName(this, "Save screenshot", "scorescope.png", "PNG images (*.png)");
  if (path.isEmpty()) return;
  QSaveFile file(path);  // the PNG appears complete or not at all
  if (!file.open(QIODevice::WriteOnly) || !viewport_->grabFrame().save(&file, "PNG") || !file.commit()) {
    QMessageBox::warning(this, "Scorescope", "Could not write " + path + ": " + file.errorString());
  }
}

}  // namespace scorescope::gui
