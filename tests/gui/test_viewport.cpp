// The viewport with synthetic Qt events: ImGui widgets react to real clicks and drags, the canvas
// pans and zooms only when ImGui does not want the mouse, a mixture mode can be dragged, points
// can be drawn, and stale sampling work is cancelled. Needs a GL context (xvfb-run in CI).
#include <QApplication>
#include <QMouseEvent>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include "gl_test_main.hpp"
#include <QWheelEvent>
#include <atomic>
#include <cmath>
#include <memory>

#include <imgui.h>

#include "gui/imgui_bridge.hpp"
#include "gui/viewport.hpp"
#include "gui/viewport_window.hpp"

using namespace scorescope;
using namespace scorescope::gui;

class TestViewport : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<Viewport> v_;

  void frame() { (void)v_->grabFramebuffer(); }  // runs paintGL: ImGui sees the input
  void mouse(QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons) {
    QMouseEvent e(type, pos, v_->mapToGlobal(pos), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(v_.get(), &e);
    frame();
  }
  void drag(QPointF from, QPointF to, int steps = 6) {
    mouse(QEvent::MouseMove, from, Qt::NoButton, Qt::NoButton);
    mouse(QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    for (int i = 1; i <= steps; ++i) {
      mouse(QEvent::MouseMove, from + (to - from) * (double(i) / steps), Qt::NoButton, Qt::LeftButton);
    }
    mouse(QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
  }
  QPointF canvasPixel(double x, double y) const {
    const Pane& p = v_->scene().panes().front();
    const glm::dvec2 px = p.view.worldToPixel({x, y});
    return {px.x + kSidebarWidth + p.x, px.y + p.y};
  }
  void setLesson(Lesson l) {
    SceneSettings s = v_->scene().settings();
    s.lesson = l;
    v_->scene().setSettings(s);
    v_->scene().waitForSampling();
    v_->scene().timeline().setPlaying(false);
    frame();
    frame();
  }

 private slots:
  void initTestCase() {
    QOpenGLContext probe;
    if (!probe.create()) SCORESCOPE_GL_UNAVAILABLE("no OpenGL context (run under xvfb-run)");
    v_ = std::make_unique<Viewport>();
    v_->setAutoAnimate(false);
    v_->resize(1280, 720);
    v_->show();
    QVERIFY(QTest::qWaitForWindowExposed(v_.get()));
    frame();
    if (!v_->ready()) SCORESCOPE_GL_UNAVAILABLE("viewport could not initialise OpenGL");
  }

  void init() {
    v_->scene().resetCamera();
    setLesson(Lesson::ScoreField);
  }

  void draggingTheTimeSliderChangesT() {
    frame();
    const QRectF r = v_->panels().widgetRect("t");
    QVERIFY2(!r.isEmpty(), "the t slider was not drawn");
    v_->scene().timeline().scrubTo(0.1);
    frame();
    drag({r.left() + 0.1 * r.width(), r.center().y()}, {r.left() + 0.75 * r.width(), r.center().y()});
    const double t = v_->scene().timeline().position();
    QVERIFY2(std::abs(t - 0.75) < 0.05, qPrintable(QString("t after the drag: %1, expected about 0.75").arg(t)));
    QVERIFY(!v_->scene().timeline().playing());  // scrubbing pauses
  }

  void draggingTheArrowGridSliderChangesTheScene() {
    const QRectF r = v_->panels().widgetRect("arrow grid");
    QVERIFY2(!r.isEmpty(), "the arrow grid slider was not drawn");
    QCOMPARE(v_->scene().settings().arrowGrid, 32);
    drag(r.center(), {r.right() + 40, r.center().y()});
    QCOMPARE(v_->scene().settings().arrowGrid, 64);
    frame();
    QCOMPARE(v_->scene().panes().front().arrows.size(), std::size_t(64 * 64));
    SceneSettings s = v_->scene().settings();
    s.arrowGrid = 32;
    v_->scene().setSettings(s);
  }

  void clickingALessonSwitchesIt() {
    const QRectF r = v_->panels().widgetRect("lesson 4");
    QVERIFY(!r.isEmpty());
    mouse(QEvent::MouseMove, r.center(), Qt::NoButton, Qt::NoButton);
    mouse(QEvent::MouseButtonPress, r.center(), Qt::LeftButton, Qt::LeftButton);
    mouse(QEvent::MouseButtonRelease, r.center(), Qt::LeftButton, Qt::NoButton);
    QCOMPARE(v_->scene().settings().lesson, Lesson::ReverseVsOde);
    v_->scene().waitForSampling();
    frame();
    QCOMPARE(v_->scene().panes().size(), std::size_t(2));  // SDE and ODE side by side
  }

  void draggingTheCanvasPans() {
    const Camera before = v_->scene().camera();
    const double u = v_->scene().panes().front().view.unitsPerPixel();
    drag({900, 300}, {1000, 350});
    const Camera& after = v_->scene().camera();
    QVERIFY2(std::abs((after.centreX - before.centreX) - (-100 * u)) < 1e-9,
             qPrintable(QString("centre x moved by %1, expected %2").arg(after.centreX - before.centreX).arg(-100 * u)));
    QVERIFY(std::abs((after.centreY - before.centreY) - (50 * u)) < 1e-9);
  }

  void aFocusedTextFieldKeepsTheShortcutKeys() {
    // Space, '.', ',' and Home are application shortcuts; Qt fires them unless the focus object
    // accepts the ShortcutOverride it sends first.
    auto overridden = [&](Qt::Key key, const QString& text) {
      QKeyEvent e(QEvent::ShortcutOverride, key, Qt::NoModifier, text);
      e.ignore();
      QApplication::sendEvent(v_.get(), &e);
      return e.isAccepted();
    };
    QVERIFY(!overridden(Qt::Key_Space, " "));  // nothing focused: the shortcut fires
    const QRectF r = v_->panels().widgetRect("seed");
    QVERIFY2(!r.isEmpty(), "the seed field was not drawn");
    const QPointF field(r.left() + 20, r.center().y());
    mouse(QEvent::MouseMove, field, Qt::NoButton, Qt::NoButton);
    mouse(QEvent::MouseButtonPress, field, Qt::LeftButton, Qt::LeftButton);
    mouse(QEvent::MouseButtonRelease, field, Qt::LeftButton, Qt::NoButton);
    frame();
    QVERIFY2(overridden(Qt::Key_Space, " "), "Space would fire play/pause while the seed field is edited");
    QVERIFY(overridden(Qt::Key_Period, "."));
    QVERIFY(overridden(Qt::Key_Home, ""));
    // Clicking the canvas ends the edit: the shortcuts work again.
    const QPointF canvas(900, 300);
    mouse(QEvent::MouseMove, canvas, Qt::NoButton, Qt::NoButton);
    mouse(QEvent::MouseButtonPress, canvas, Qt::LeftButton, Qt::LeftButton);
    mouse(QEvent::MouseButtonRelease, canvas, Qt::LeftButton, Qt::NoButton);
    frame();
    QVERIFY(!overridden(Qt::Key_Space, " "));
  }

  void theStatusLineIsOnScreen() {
    // At 1280 x 720 the sidebar scrolls; an error at its bottom would be out of sight.
    SceneSettings s = v_->scene().settings();
    s.lesson = Lesson::ReverseVsOde;
    s.steps = 0;  // invalid
    v_->scene().setSettings(s);
    v_->scene().waitForSampling();
    frame();
    frame();
    const QRectF r = v_->panels().widgetRect("status");
    QVERIFY2(!r.isEmpty(), "the status line was not drawn");
    QVERIFY2(r.top() >= 0 && r.bottom() <= v_->height() && r.left() >= 0 && r.right() <= v_->width(),
             qPrintable(QString("status line at (%1, %2) - (%3, %4), outside the %5 x %6 viewport")
                            .arg(r.left()).arg(r.top()).arg(r.right()).arg(r.bottom()).arg(v_->width()).arg(v_->height())));
    s.steps = 100;
    v_->scene().setSettings(s);
    v_->scene().waitForSampling();
  }

  void theBridgeCapturesTheMouseOverImGuiOnly() {
    // The bridge on its own: a press over an ImGui window is ImGui's, one beside it is not.
    QOpenGLContext context;
    context.setFormat(viewportFormat());
    QVERIFY(context.create());
    QOffscreenSurface surface;
    surface.setFormat(context.format());
    surface.create();
    QVERIFY(context.makeCurrent(&surface));
    QOpenGLFramebufferObject fbo(800, 600);
    fbo.bind();
    ImGuiBridge bridge;
    bridge.initializeGl();
    auto drawFrame = [&] {
      bridge.newFrame(800, 600, 1.0f);
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImVec2(200, 200));
      ImGui::Begin("panel", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoTitleBar);
      ImGui::Button("button", ImVec2(150, 40));
      ImGui::End();
      bridge.render();
    };
    auto event = [](QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons) {
      return QMouseEvent(type, pos, pos, button, buttons, Qt::NoModifier);
    };
    drawFrame();
    bridge.mouseMove(event(QEvent::MouseMove, {60, 25}, Qt::NoButton, Qt::NoButton));
    drawFrame();  // ImGui learns what is hovered during a frame
    QVERIFY2(bridge.mousePress(event(QEvent::MouseButtonPress, {60, 25}, Qt::LeftButton, Qt::LeftButton)),
             "a press on an ImGui button was not captured");
    drawFrame();
    QVERIFY(bridge.mouseRelease(event(QEvent::MouseButtonRelease, {60, 25}, Qt::LeftButton, Qt::NoButton)));
    drawFrame();
    bridge.mouseMove(event(QEvent::MouseMove, {500, 400}, Qt::NoButton, Qt::NoButton));
    drawFrame();
    QVERIFY2(!bridge.mousePress(event(QEvent::MouseButtonPress, {500, 400}, Qt::LeftButton, Qt::LeftButton)),
             "a press beside every ImGui window was captured");
    drawFrame();
    QVERIFY(!bridge.mouseRelease(event(QEvent::MouseButtonRelease, {500, 400}, Qt::LeftButton, Qt::NoButton)));
    bridge.releaseGl();
    fbo.release();
    context.doneCurrent();
  }

  void draggingOverAPanelDoesNotPan() {
    const Camera before = v_->scene().camera();
    drag({150, 650}, {250, 600});  // inside the sidebar
    QCOMPARE(v_->scene().camera().centreX, before.centreX);
    QCOMPARE(v_->scene().camera().centreY, before.centreY);
  }

  void wheelZoomKeepsThePointUnderTheCursor() {
    const QPointF cursor(1000, 200);
    mouse(QEvent::MouseMove, cursor, Qt::NoButton, Qt::NoButton);
    // Copies: panes() is rebuilt in place by the next frame.
    const Pane p = v_->scene().panes().front();
    const double halfBefore = v_->scene().camera().halfExtent;
    const glm::dvec2 before = p.view.pixelToWorld({cursor.x() - kSidebarWidth - p.x, cursor.y() - p.y});
    QWheelEvent e(cursor, v_->mapToGlobal(cursor), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                  Qt::NoScrollPhase, false);
    QApplication::sendEvent(v_.get(), &e);
    frame();
    const Pane& q = v_->scene().panes().front();
    // Two notches in: 1.0015^240 ~ 1.43 times closer.
    const double zoom = p.view.unitsPerPixel() / q.view.unitsPerPixel();
    QVERIFY2(std::abs(zoom - std::pow(1.0015, 240)) < 1e-6 && v_->scene().camera().halfExtent < halfBefore,
             qPrintable(QString("zoomed by %1, expected %2").arg(zoom).arg(std::pow(1.0015, 240))));
    const glm::dvec2 after = q.view.pixelToWorld({cursor.x() - kSidebarWidth - q.x, cursor.y() - q.y});
    QVERIFY2(std::hypot(after.x - before.x, after.y - before.y) < 1e-6,
             qPrintable(QString("point under the cursor moved from (%1, %2) to (%3, %4)")
                            .arg(before.x).arg(before.y).arg(after.x).arg(after.y)));
    // And within a pixel on screen: the old world point maps back to the cursor.
    const glm::dvec2 px = q.view.worldToPixel(before);
    QVERIFY2(std::hypot(px.x + kSidebarWidth + q.x - cursor.x(), px.y + q.y - cursor.y()) < 1.0,
             qPrintable(QString("the point under the cursor is now at pixel (%1, %2), expected (%3, %4)")
                            .arg(px.x + kSidebarWidth + q.x).arg(px.y + q.y).arg(cursor.x()).arg(cursor.y())));
  }

  void draggingAModeMovesTheMixtureMean_data() {
    QTest::addColumn<double>("t");
    QTest::newRow("t = 0 (a = 1: handles at the means)") << 0.0;
    QTest::newRow("t = 0.5") << 0.5;
    QTest::newRow("t = 0.999 (a ~ 0: no handles)") << 0.999;
  }
  void draggingAModeMovesTheMixtureMean() {
    QFETCH(double, t);
    setLesson(Lesson::ScoreField);
    v_->scene().timeline().scrubTo(t);
    frame();
    const double a = v_->scene().process().a(t);
    const auto handles = v_->scene().handlePositions();
    QVERIFY(!handles.empty());
    const QPointF from = canvasPixel(handles[0][0], handles[0][1]);
    const QPointF to = canvasPixel(1.0, 1.0);
    drag(from, to);
    const auto moved = v_->scene().handlePositions();
    QVERIFY2(std::isfinite(moved[0][0]) && std::isfinite(moved[0][1]),
             qPrintable(QString("mode 0 at (%1, %2) after the drag").arg(moved[0][0]).arg(moved[0][1])));
    if (a < Scene::kMinHandleScale) {
      // a(t) ~ 0: the modes have melted into the noise, there is nothing to drag (the drag pans).
      QVERIFY(!v_->scene().hasHandles());
      QVERIFY2(moved[0] == handles[0],
               qPrintable(QString("mode 0 moved from (%1, %2) to (%3, %4) at a(t) = %5")
                              .arg(handles[0][0]).arg(handles[0][1]).arg(moved[0][0]).arg(moved[0][1]).arg(a)));
      return;
    }
    QVERIFY2(std::hypot(moved[0][0] - 1.0, moved[0][1] - 1.0) < 0.05,
             qPrintable(QString("mode 0 at (%1, %2), expected (1, 1)").arg(moved[0][0]).arg(moved[0][1])));
    // The field follows: the density is recomputed for the new target (brightest near (1, 1) is
    // not asserted here; the renderer tests cover pixels). Restore the preset.
    SceneSettings s = v_->scene().settings();
    s.target = "two-moons";
    v_->scene().setSettings(s);
    s.target = "gmm8-ring";
    v_->scene().setSettings(s);
  }

  void clickingAddsPointsToADrawnTarget() {
    SceneSettings s = v_->scene().settings();
    s.target = "draw";
    v_->scene().setSettings(s);
    frame();
    const std::size_t before = v_->scene().drawnPointCount();
    const QPointF at = canvasPixel(-1.5, 2.0);
    mouse(QEvent::MouseMove, at, Qt::NoButton, Qt::NoButton);
    mouse(QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton);
    mouse(QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton);
    QCOMPARE(v_->scene().drawnPointCount(), before + 1);
    s.target = "gmm8-ring";
    v_->scene().setSettings(s);
  }

  void theWindowHostPansAndTakesSliderInput() {
    // The same controller hosted in a QOpenGLWindow (the application's default host).
    ViewportWindow w;
    w.setAutoAnimate(false);
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    (void)w.grabFramebuffer();
    if (!w.ready()) SCORESCOPE_GL_UNAVAILABLE("window host could not initialise OpenGL");
    w.scene().timeline().setPlaying(false);
    // QOpenGLWindow::grabFramebuffer() reads the last frame; render a new one explicitly.
    auto renderFrame = [&] {
      QSignalSpy swapped(&w, &QOpenGLWindow::frameSwapped);
      w.update();
      QVERIFY(swapped.wait(2000));
    };
    auto send = [&](QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons) {
      QMouseEvent e(type, pos, w.mapToGlobal(pos), button, buttons, Qt::NoModifier);
      QApplication::sendEvent(&w, &e);
      renderFrame();
    };
    auto dragOn = [&](QPointF from, QPointF to) {
      send(QEvent::MouseMove, from, Qt::NoButton, Qt::NoButton);
      send(QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
      for (int i = 1; i <= 5; ++i) send(QEvent::MouseMove, from + (to - from) * (i / 5.0), Qt::NoButton, Qt::LeftButton);
      send(QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
    };
    const double before = w.scene().camera().centreX;
    const double u = w.scene().panes().front().view.unitsPerPixel();
    dragOn({900, 300}, {960, 300});
    QVERIFY(std::abs((w.scene().camera().centreX - before) + 60 * u) < 1e-9);
    const QRectF r = w.panels().widgetRect("t");
    QVERIFY(!r.isEmpty());
    dragOn({r.left() + 0.5 * r.width(), r.center().y()}, {r.left() + 0.2 * r.width(), r.center().y()});
    QVERIFY2(std::abs(w.scene().timeline().position() - 0.2) < 0.05,
             qPrintable(QString("t = %1 after the drag, expected about 0.2").arg(w.scene().timeline().position())));
  }

  void aParameterChangeCancelsStaleSampling() {
    SceneSettings s = v_->scene().settings();
    s.lesson = Lesson::ReverseVsOde;
    s.steps = 400;
    s.particles = 50000;
    v_->scene().setSettings(s);  // a long job starts
    s.steps = 10;
    v_->scene().setSettings(s);  // replaces it
    v_->scene().waitForSampling();
    frame();
    // Only the newest job's runs are shown: 10 steps (+ the final denoising step).
    QVERIFY2(v_->scene().timeline().lastStep() <= 11,
             qPrintable(QString("last step %1: a stale 400-step run was shown").arg(v_->scene().timeline().lastStep())));
    QCOMPARE(v_->scene().panes().size(), std::size_t(2));
    s.particles = 20000;
    s.steps = 100;
    v_->scene().setSettings(s);
    v_->scene().waitForSampling();
  }

  void aStaleQueuedJobNeverStarts() {
    SamplingWorker worker;
    std::atomic<bool> release{false};
    std::atomic<int> started{0}, staleRan{0}, newestRan{0};
    auto blocking = [&](const JobControl& control) {
      ++started;
      for (int ms = 0; !release && ms < 10000; ++ms) QThread::msleep(1);
      control.setProgress(0.9);  // stale by now: must not show
      return std::vector<SampleRun>{};
    };
    // Both pool threads busy (each submit makes the previous job stale, so wait until it runs).
    for (int k = 1; k <= 2; ++k) {
      worker.submit(blocking);
      QTRY_COMPARE_WITH_TIMEOUT(started.load(), k, 5000);
    }
    worker.submit([&](const JobControl&) {
      ++staleRan;
      return std::vector<SampleRun>{};
    });  // queued
    worker.submit([&](const JobControl& control) {
      ++newestRan;
      control.setProgress(0.25);
      return std::vector<SampleRun>{};
    });  // makes the queued one stale before it starts
    release = true;
    worker.waitForIdle();
    QCOMPARE(staleRan.load(), 0);
    QCOMPARE(newestRan.load(), 1);
    QCOMPARE(worker.progress(), 0.25);
  }

  // Scene-level checks (no viewport): what the sampling lessons show after an edit.
  void anInvalidSettingDropsRunsAndTheRunningJob() {
    Scene scene;
    SceneSettings s = scene.settings();
    s.lesson = Lesson::ReverseVsOde;
    s.particles = 500;
    s.steps = 10;
    scene.setSettings(s);
    scene.waitForSampling();
    QCOMPARE(scene.runCount(), std::size_t(2));
    s.steps = 0;  // rejected by validateSamplerSettings
    scene.setSettings(s);
    scene.waitForSampling();
    QCOMPARE(scene.runCount(), std::size_t(0));  // the old runs are not shown for the new settings
    QCOMPARE(scene.timeline().lastStep(), 0);
    // A long valid job, then an invalid edit while it runs: its result must not be applied.
    s.steps = 400;
    s.particles = 50000;
    scene.setSettings(s);
    s.steps = 0;
    scene.setSettings(s);
    scene.waitForSampling();
    QVERIFY2(scene.runCount() == 0 && scene.timeline().lastStep() == 0,
             qPrintable(QString("%1 runs, last step %2 after an invalid edit: a stale run was applied")
                            .arg(scene.runCount()).arg(scene.timeline().lastStep())));
    QVERIFY2(scene.status().find("steps") != std::string::npos,
             qPrintable(QString("status '%1', expected it to name 'steps'").arg(QString::fromStdString(scene.status()))));
  }

  void guidanceTowardsAClassWithNoDataSaysSo_data() {
    QTest::addColumn<int>("kind");
    QTest::newRow("classifier") << static_cast<int>(GuidanceKind::Classifier);
    QTest::newRow("classifier-free") << static_cast<int>(GuidanceKind::ClassifierFree);
  }
  void guidanceTowardsAClassWithNoDataSaysSo() {
    QFETCH(int, kind);
    Scene scene;
    SceneSettings s = scene.settings();
    s.target = "draw";
    s.lesson = Lesson::Guidance;
    s.guidance = static_cast<GuidanceKind>(kind);
    s.particles = 300;
    s.steps = 8;
    scene.setSettings(s);
    scene.clearDrawnPoints();
    scene.addDrawnPoint(-2.0, 0.0, 0);
    scene.addDrawnPoint(2.0, 0.0, 2);  // labels 0 and 2: class 1 has no points
    s = scene.settings();
    s.guidanceClass = 1;
    scene.setSettings(s);
    scene.waitForSampling();
    QCOMPARE(scene.settings().guidanceClass, 1);
    QCOMPARE(QString::fromStdString(scene.status()), QString("class y = 1 has no data"));
    QCOMPARE(scene.runCount(), std::size_t(0));
    s.guidanceClass = 2;
    scene.setSettings(s);
    scene.waitForSampling();
    QCOMPARE(scene.runCount(), std::size_t(1));
    QVERIFY(scene.status().empty());
  }

  void theGuidanceClassIsClampedToTheTargetsClasses() {
    Scene scene;
    SceneSettings s = scene.settings();
    s.lesson = Lesson::Guidance;
    s.target = "gmm8-ring";
    s.guidanceClass = 7;
    s.particles = 300;
    s.steps = 8;
    scene.setSettings(s);
    scene.waitForSampling();
    QCOMPARE(scene.settings().guidanceClass, 7);
    s.target = "two-moons";  // two classes
    scene.setSettings(s);
    scene.waitForSampling();
    QCOMPARE(scene.settings().guidanceClass, 1);
    QCOMPARE(scene.runCount(), std::size_t(1));
    const std::string title = scene.buildFrame(800, 600).front().title;
    QVERIFY2(title.find("class 1") != std::string::npos,
             qPrintable(QString("pane title '%1', expected it to say class 1").arg(QString::fromStdString(title))));
  }

  void whileResamplingPanesShowTheirOwnRunsModel() {
    auto field = [](const Pane& p) {
      std::vector<float> v;
      for (const render::ArrowInstance& a : p.arrows) v.insert(v.end(), {a.x, a.y, a.dx, a.dy, a.value});
      return v;
    };
    Scene scene;
    SceneSettings s = scene.settings();
    s.lesson = Lesson::Guidance;
    s.particles = 300;
    s.steps = 8;
    s.cfgScale = 3.0;
    scene.setSettings(s);
    scene.waitForSampling();
    QCOMPARE(scene.runCount(), std::size_t(1));
    const Pane before = scene.buildFrame(800, 600).front();
    // A new scale: until its run arrives the pane keeps the old run's title AND field (the
    // result is applied on this thread, so nothing arrives before waitForSampling()).
    s.cfgScale = 7.0;
    scene.setSettings(s);
    const Pane during = scene.buildFrame(800, 600).front();
    QCOMPARE(during.title, before.title);
    QVERIFY2(field(during) == field(before), "the arrows of the new model were drawn over the old run");
    scene.waitForSampling();
    const Pane after = scene.buildFrame(800, 600).front();
    QVERIFY2(after.title.find("w = 7") != std::string::npos, after.title.c_str());
    QVERIFY(field(after) != field(before));
    // Four panes instead of one: the old run is not shown under the new layout.
    s.sweep = true;
    scene.setSettings(s);
    QCOMPARE(scene.runCount(), std::size_t(0));
    QCOMPARE(scene.buildFrame(800, 600).front().title, std::string("sampling..."));
    scene.waitForSampling();
    QCOMPARE(scene.buildFrame(800, 600).size(), std::size_t(4));
  }

  void aStridedRunShowsTheSnapshotAtOrBeforeTheStep_data() {
    QTest::addColumn<int>("step");
    QTest::addColumn<int>("shownStep");
    QTest::newRow("0") << 0 << 0;
    QTest::newRow("between snapshots") << 5 << 4;
    QTest::newRow("on a snapshot") << 8 << 8;
    QTest::newRow("after the last") << 11 << 10;
  }
  void aStridedRunShowsTheSnapshotAtOrBeforeTheStep() {
    QFETCH(int, step);
    QFETCH(int, shownStep);
    Trajectory tr;
    tr.snapshotSteps = {0, 4, 8, 10};  // stride 4, plus the final step
    QCOMPARE(tr.snapshotSteps[shownSnapshot(tr, step)], shownStep);
  }

  void anUnknownTargetIsRejectedAndItsErrorStays() {
    // The check --target uses.
    QVERIFY(targetNameError("gmm8-ring").empty());
    QVERIFY(targetNameError("draw").empty());
    const QString e = QString::fromStdString(targetNameError("bogus"));
    QVERIFY2(e.startsWith("unknown 'bogus'; expected one of ") && e.contains("two-moons") && e.endsWith("draw"),
             qPrintable("targetNameError(\"bogus\") = '" + e + "'"));
    // A scene given an unknown name shows a preset but keeps saying so across re-sampling.
    Scene scene;
    SceneSettings s = scene.settings();
    s.target = "bogus";
    scene.setSettings(s);
    QVERIFY2(QString::fromStdString(scene.status()).contains("unknown 'bogus'"),
             qPrintable(QString::fromStdString("status '" + scene.status() + "'")));
    s.lesson = Lesson::ReverseVsOde;
    s.particles = 300;
    s.steps = 8;
    scene.setSettings(s);
    scene.waitForSampling();
    QCOMPARE(scene.runCount(), std::size_t(2));
    QVERIFY2(QString::fromStdString(scene.status()).contains("unknown 'bogus'"),
             qPrintable(QString::fromStdString("status after re-sampling '" + scene.status() + "'")));
    s.target = "two-moons";
    scene.setSettings(s);
    scene.waitForSampling();
    QVERIFY2(scene.status().empty(), qPrintable(QString::fromStdString("status '" + scene.status() + "'")));
  }
};

SCORESCOPE_GL_TEST_MAIN(TestViewport)
#include "test_viewport.moc"
