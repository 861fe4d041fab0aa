#include "gui/viewport_window.hpp"

#include <QDropEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QUrl>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QSurfaceFormat>
#include <QWheelEvent>

namespace scorescope::gui {

ViewportWindow::ViewportWindow() {
  setFormat(viewportFormat());
  connect(&animation_, &QTimer::timeout, this, [this] {
    if (controller_.wantsAnimation()) update();
  });
  connect(&controller_.session(), &Session::changed, this, [this] { update(); });
  animation_.start(kFrameIntervalMs);
}

ViewportWindow::~ViewportWindow() {
  // The context outlives this object's members (QOpenGLWindow's destructor tears it down and
  // would fire aboutToBeDestroyed after controller_ is gone): disconnect first, release now.
  QObject::disconnect(contextConnection_);
  releaseGl();
}

void ViewportWindow::releaseGl() {
  if (!context() || !controller_.ready()) return;
  makeCurrent();
  controller_.releaseGl();
  doneCurrent();
}

namespace {

// An OpenGL 3.3 context is current (the shaders are #version 330 core). Without one, nothing
// may touch GL: the loaders abort the process instead of failing.
bool usableContext() {
  const QOpenGLContext* c = QOpenGLContext::currentContext();
  if (!c || !c->isValid()) return false;
  const QSurfaceFormat f = c->format();
  return f.majorVersion() > 3 || (f.majorVersion() == 3 && f.minorVersion() >= 3);
}

}  // namespace

void ViewportWindow::initializeGL() {
  if (!usableContext()) return;  // ready() stays false: the caller reports it
  QObject::disconnect(contextConnection_);
  contextConnection_ = connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] { releaseGl(); });
  controller_.initializeGl();
}

void ViewportWindow::paintGL() {
  if (controller_.ready()) controller_.paint(width(), height(), static_cast<float>(devicePixelRatio()));
}

QImage ViewportWindow::grabFrame() {
  makeCurrent();  // creates the context on first use
  if (!controller_.ready()) initializeGL();
  if (!controller_.ready()) return {};
  const qreal dpr = devicePixelRatio();
  QOpenGLFramebufferObject fbo(size() * dpr);
  fbo.bind();
  controller_.paint(width(), height(), static_cast<float>(dpr));
  QImage image = fbo.toImage();
  fbo.release();
  doneCurrent();
  return image;
}

void ViewportWindow::setAutoAnimate(bool on) {
  if (on) animation_.start(kFrameIntervalMs);
  else animation_.stop();
}

std::vector<double> ViewportWindow::benchOffscreen(int frames) {
  makeCurrent();
  if (!controller_.ready()) return {};
  std::vector<double> times = controller_.benchOffscreen(frames, width(), height());
  doneCurrent();
  return times;
}

QString droppedFile(const QMimeData& data) {
  const QList<QUrl> urls = data.urls();
  if (urls.size() != 1 || !urls.front().isLocalFile()) return {};
  return urls.front().toLocalFile();
}

bool ViewportWindow::event(QEvent* e) {
  // Qt asks the focus object before it fires a shortcut; accepting delivers the key as a
  // KeyPress instead, here to ImGui's active text field or slider.
  if (e->type() == QEvent::ShortcutOverride && controller_.wantsKeyboard()) {
    e->accept();
    return true;
  }
  // A file dragged onto the plot: an embedded QWindow gets drag events itself, not its container.
  if (e->type() == QEvent::DragEnter || e->type() == QEvent::DragMove) {
    auto* drag = static_cast<QDropEvent*>(e);
    if (fileDropped && droppedFile(*drag->mimeData()).size()) drag->acceptProposedAction();
    return true;
  }
  if (e->type() == QEvent::Drop) {
    auto* drop = static_cast<QDropEvent*>(e);
    const QString path = droppedFile(*drop->mimeData());
    if (fileDropped && !path.isEmpty()) {
      drop->acceptProposedAction();
      fileDropped(path);
    }
    return true;
  }
  return QOpenGLWindow::event(e);
}

// Every input event asks for a frame: ImGui reacts to input on the next one.
void ViewportWindow::mousePressEvent(QMouseEvent* e) {
  controller_.mousePress(*e);
  update();
}
void ViewportWindow::mouseMoveEvent(QMouseEvent* e) {
  controller_.mouseMove(*e);
  update();
}
void ViewportWindow::mouseReleaseEvent(QMouseEvent* e) {
  controller_.mouseRelease(*e);
  update();
}
void ViewportWindow::wheelEvent(QWheelEvent* e) {
  controller_.wheel(*e);
  e->accept();
  update();
}
void ViewportWindow::keyPressEvent(QKeyEvent* e) {
  update();
  if (!controller_.keyPress(*e)) QOpenGLWindow::keyPressEvent(e);
}
void ViewportWindow::keyReleaseEvent(QKeyEvent* e) {
  controller_.keyRelease(*e);
  update();
}
void ViewportWindow::focusOutEvent(QFocusEvent* e) {
  controller_.focusOut();
  QOpenGLWindow::focusOutEvent(e);
}

}  // namespace scorescope::gui
