#pragma once
// The part of a viewport host that does not depend on which Qt class owns the GL surface: it
// forwards input to the ViewportController, animates while the timeline plays or a sampler
// runs, and releases GL objects while the context still lives. Viewport (QOpenGLWidget) and
// ViewportWindow (QOpenGLWindow) are this template plus what differs: grabbing and swaps.
#include <QFocusEvent>
#include <QKeyEvent>
#include <QMetaObject>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QTimer>
#include <QWheelEvent>
#include <utility>

#include "gui/viewport_controller.hpp"
#include "gui/viewport_host.hpp"

namespace scorescope::gui {

template <typename Base>
class GlHost : public Base, public ViewportHost {
 public:
  template <typename... Args>
  explicit GlHost(Args&&... args) : Base(std::forward<Args>(args)...) {
    this->setFormat(viewportFormat());
    QObject::connect(&animation_, &QTimer::timeout, this, [this] {
      if (controller_.wantsAnimation()) this->update();
    });
    QObject::connect(&controller_.scene(), &Scene::changed, this, [this] { this->update(); });
    animation_.start(kFrameIntervalMs);
  }
  ~GlHost() override {
    // The context outlives this object (Base's destructor tears it down and would fire the
    // aboutToBeDestroyed handler after controller_ is gone): disconnect first, release now.
    QObject::disconnect(contextConnection_);
    releaseGl();
  }

  Scene& scene() { return controller_.scene(); }
  const Panels& panels() const { return controller_.panels(); }
  bool ready() const { return controller_.ready(); }

  ViewportController& controller() override { return controller_; }
  void requestFrame() override { this->update(); }
  void setAutoAnimate(bool on) override {
    if (on) animation_.start(kFrameIntervalMs);
    else animation_.stop();
  }
  std::vector<double> benchOffscreen(int frames) override {
    this->makeCurrent();
    std::vector<double> times = controller_.benchOffscreen(frames, this->width(), this->height());
    this->doneCurrent();
    return times;
  }
  int canvasWidth() const override { return this->width(); }
  int canvasHeight() const override { return this->height(); }

 protected:
  virtual float devicePixelRatioOf() const = 0;

  void initializeGL() override {
    // GL objects die with the context (a widget reparent re-creates it): release them first.
    if (this->context() != watchedContext_) {
      QObject::disconnect(contextConnection_);
      watchedContext_ = this->context();
      contextConnection_ =
          QObject::connect(this->context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] { releaseGl(); });
    }
    controller_.initializeGl();
  }
  bool event(QEvent* e) override {
    // Qt asks the focus object before it fires a shortcut; accepting delivers the key as a
    // KeyPress instead, here to ImGui's active text field or slider.
    if (e->type() == QEvent::ShortcutOverride && controller_.wantsKeyboard()) {
      e->accept();
      return true;
    }
    return Base::event(e);
  }
  void paintGL() override { controller_.paint(this->width(), this->height(), devicePixelRatioOf()); }

  void mousePressEvent(QMouseEvent* e) override { forward([&] { controller_.mousePress(*e); }); }
  void mouseMoveEvent(QMouseEvent* e) override { forward([&] { controller_.mouseMove(*e); }); }
  void mouseReleaseEvent(QMouseEvent* e) override { forward([&] { controller_.mouseRelease(*e); }); }
  void wheelEvent(QWheelEvent* e) override {
    forward([&] { controller_.wheel(*e); });
    e->accept();
  }
  void keyPressEvent(QKeyEvent* e) override {
    this->update();
    if (!controller_.keyPress(*e)) Base::keyPressEvent(e);
  }
  void keyReleaseEvent(QKeyEvent* e) override { forward([&] { controller_.keyRelease(*e); }); }
  void focusOutEvent(QFocusEvent* e) override {
    controller_.focusOut();
    Base::focusOutEvent(e);
  }

  ViewportController controller_;

 private:
  static constexpr int kFrameIntervalMs = 15;

  template <typename F>
  void forward(F&& f) {
    f();
    this->update();  // ImGui reacts to input on the next frame
  }
  void releaseGl() {
    if (!this->context()) return;
    this->makeCurrent();
    controller_.releaseGl();
    this->doneCurrent();
  }

  QTimer animation_;
  const QOpenGLContext* watchedContext_ = nullptr;
  QMetaObject::Connection contextConnection_;
};

}  // namespace scorescope::gui
