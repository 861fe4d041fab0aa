// The viewport with synthetic Qt events: ImGui widgets react to real clicks and drags, the canvas
// pans and zooms only when ImGui does not want the mouse, a mixture mode can be dragged, points
// can be drawn; and every widget of every lesson, clicked, dragged, Ctrl+clicked (typed into)
// and scrolled, changes only the scene fields it stands for and never brings the app down.
// Needs a GL context (xvfb-run in CI).
#include <QApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QTest>
#include <QWheelEvent>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <memory>

#include <imgui.h>

#include "gl_test_main.hpp"
#include "gui/imgui_bridge.hpp"
#include "gui/viewport_window.hpp"

using namespace scorescope;
using namespace scorescope::gui;

namespace {

bool allowed(const std::string& path, const std::vector<std::string>& fields) {
  for (const std::string& f : fields) {
    if (path.rfind(f, 0) == 0) return true;
  }
  return false;
}

}  // namespace

class TestViewport : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<ViewportWindow> v_;

  Session& session() { return v_->session(); }
  const std::vector<Pane>& panes() { return v_->controller().panes(); }
  void frame() { (void)v_->grabFrame(); }  // runs a paint: ImGui sees the input
  void mouse(QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons,
             Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
    QMouseEvent e(type, pos, v_->mapToGlobal(pos), button, buttons, modifiers);
    QApplication::sendEvent(v_.get(), &e);
    frame();
  }
  void click(QPointF at, Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
    mouse(QEvent::MouseMove, at, Qt::NoButton, Qt::NoButton);
    mouse(QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton, modifiers);
    mouse(QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton, modifiers);
  }
  void drag(QPointF from, QPointF to, int steps = 6) {
    mouse(QEvent::MouseMove, from, Qt::NoButton, Qt::NoButton);
    mouse(QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    for (int i = 1; i <= steps; ++i) {
      mouse(QEvent::MouseMove, from + (to - from) * (double(i) / steps), Qt::NoButton, Qt::LeftButton);
    }
    mouse(QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
  }
  void wheel(QPointF at, int delta) {
    mouse(QEvent::MouseMove, at, Qt::NoButton, Qt::NoButton);
    QWheelEvent e(at, v_->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                  Qt::NoScrollPhase, false);
    QApplication::sendEvent(v_.get(), &e);
    frame();
  }
  void key(Qt::Key k, const QString& text = {}) {
    QKeyEvent press(QEvent::KeyPress, k, Qt::NoModifier, text);
    QApplication::sendEvent(v_.get(), &press);
    frame();
    QKeyEvent release(QEvent::KeyRelease, k, Qt::NoModifier, text);
    QApplication::sendEvent(v_.get(), &release);
    frame();
  }
  QPointF windowPixel(double x, double y) { return v_->controller().toWindow(panes().front(), x, y); }
  void show(Scene s) {
    s.display.playback.playing = false;
    session().setScene(s);
    session().waitForRuns();
    frame();
  }
  Scene lessonScene(Lesson l, int particles = 20000) {
    Scene s;
    s.sampled = enterLesson(s.sampled, l);
    s.sampled.particles = particles;
    return s;
  }
  // Scrolls the sidebar until the widget is on screen; its rectangle, or empty.
  QRectF reveal(const std::string& name) {
    for (int i = 0; i < 40; ++i) {
      const QRectF r = v_->panels().widgetRect(name);
      if (r.isEmpty()) return r;
      if (r.bottom() > v_->height() - 4) wheel({150, 400}, -120);
      else if (r.top() < 4) wheel({150, 400}, 120);
      else return r;
    }
    return {};
  }

 private slots:
  void initTestCase() {
    QOpenGLContext probe;
    if (!probe.create()) SCORESCOPE_GL_UNAVAILABLE("no OpenGL context (run under xvfb-run)");
    v_ = std::make_unique<ViewportWindow>();
    v_->setAutoAnimate(false);
    v_->resize(1280, 720);
    v_->show();
    QVERIFY(QTest::qWaitForWindowExposed(v_.get()));
    frame();
    if (!v_->ready()) SCORESCOPE_GL_UNAVAILABLE("viewport could not initialise OpenGL");
  }

  void init() { show(lessonScene(Lesson::ScoreField)); }

  void everyWidgetOfEveryLessonChangesOnlyItsOwnFields_data() {
    QTest::addColumn<int>("lesson");
    QTest::addColumn<int>("variant");
    for (int l = 1; l <= kLessonCount; ++l) QTest::newRow(lessonTitle(static_cast<Lesson>(l))) << l << 0;
    QTest::newRow("3 annealed, contours and arrow gain shown") << 3 << 1;
    QTest::newRow("5 classifier, sweep") << 5 << 1;
    QTest::newRow("5 gamma notation, drawn target") << 5 << 2;
  }
  void everyWidgetOfEveryLessonChangesOnlyItsOwnFields() {
    QFETCH(int, lesson);
    QFETCH(int, variant);
    Scene base = lessonScene(static_cast<Lesson>(lesson), 300);
    if (variant == 1) {
      base.display.layers.contours = true;
      base.display.trueArrowLength = true;
      base.sampled.sampler = defaultSamplerSettings(lesson == 3 ? SamplerKind::AnnealedLangevin : SamplerKind::OdeHeun);
      base.sampled.guidance.kind = GuidanceKind::Classifier;
      base.sampled.guidance.sweep = {0.0, 1.0, 3.0, 7.0};
    }
    if (variant == 2) {
      base.display.cfgShowsGamma = true;
      base.sampled.target.source = TargetSource::PointCloud;
      base.sampled.target.points = {{-1.0, 0.0}, {1.0, 0.5}, {0.0, 1.0}};
      base.sampled.target.labels = {0, 1, 1};
    }
    // Lesson 6's Start trains: a network that trains its budget in a fraction of a second.
    base.sampled.training.network.width = 16;
    base.sampled.training.network.depth = 1;
    base.sampled.training.batch = 64;
    base.sampled.training.steps = 150;
    base.sampled.sampler.steps = std::min(base.sampled.sampler.steps, 100);
    if (base.sampled.sampler.kind == SamplerKind::AnnealedLangevin) base.sampled.sampler.stepsPerLevel = 10;
    show(base);
    base = session().scene();
    std::vector<std::string> names;
    for (const WidgetRecord& w : v_->panels().widgets()) names.push_back(w.name);
    QVERIFY(names.size() >= 10);
    enum Action { Click, Drag, CtrlClickType, Scroll };
    int checked = 0;
    for (const std::string& name : names) {
      for (Action action : {Click, Drag, CtrlClickType, Scroll}) {
        show(base);
        const QRectF r = reveal(name);
        if (r.isEmpty()) continue;  // not drawn in this state (e.g. the status line)
        const WidgetRecord* record = nullptr;
        for (const WidgetRecord& w : v_->panels().widgets()) {
          if (w.name == name) record = &w;
        }
        QVERIFY(record);
        const std::vector<std::string> fields = record->fields;
        const Scene before = session().scene();
        const QPointF c = r.center();
        switch (action) {
          case Click: click(c); break;
          case Drag: drag(c, {c.x() + 120, c.y() + 2}, 3); break;
          case CtrlClickType:  // a slider becomes a text field: type past its range
            click(c, Qt::ControlModifier);
            key(Qt::Key_9, "9");
            key(Qt::Key_Return);
            break;
          case Scroll: wheel(c, -240); break;
        }
        key(Qt::Key_Escape);  // ends an unfinished text edit
        // A click on an empty spot of the timeline strip closes a combo's open popup, which
        // would otherwise lie over the next widget.
        click({v_->width() - 8.0, v_->height() - 8.0});
        session().timeline().setPlaying(false);
        const Scene after = session().scene();
        for (const std::string& path : changedSceneFields(before, after)) {
          if (path == "display.playback.position" && before.display.playback.playing != after.display.playback.playing) continue;
          QVERIFY2(allowed(path, fields) || (path == "display.playback.playing" && allowed("display.playback", fields)),
                   qPrintable(QString("widget '%1', action %2 changed %3").arg(name.c_str()).arg(action).arg(path.c_str())));
        }
        // Whatever was typed, the scene stays valid or says which field is wrong.
        QVERIFY(validateDisplayScene(after.display).empty());
        ++checked;
      }
    }
    qInfo("%d widget actions checked over %zu widgets", checked, names.size());
    QVERIFY(checked >= 40);
    session().waitForRuns();
  }

  void lessonSixShowsTheErrorOfTheLearnedFieldAsAHeatMap() {
    Scene s = lessonScene(Lesson::LearnScore, 2000);
    s.sampled.training.network.width = 32;
    s.sampled.training.network.depth = 2;
    s.sampled.training.batch = 256;
    show(s);
    QCOMPARE(session().trainNow(300), std::string());
    session().timeline().scrubTo(0.1);
    frame();
    const QImage image = v_->grabFrame();
    const Pane& learned = panes().front();
    QCOMPARE(learned.frame.densities.size(), std::size_t(1));
    // The error differs over the plane (small where the data is, large far from it): the heat
    // map's values and the rendered pixels both vary.
    const auto [lo, hi] = std::minmax_element(learned.density.begin(), learned.density.end());
    QVERIFY2(*hi - *lo > 0.3f, qPrintable(QString("error map %1 .. %2").arg(*lo).arg(*hi)));
    const double scale = image.width() / static_cast<double>(v_->width());
    QSet<QRgb> colours;
    for (int j = 0; j < 12; ++j) {
      for (int i = 0; i < 12; ++i) {
        // Sample the pane between its arrows' rows, away from the title and caption.
        const double x = learned.x + (i + 0.5) * learned.width / 12.0 + v_->controller().layout().sidebarWidth();
        const double y = learned.y + 60 + (j + 0.5) * (learned.height - 140) / 12.0;
        colours.insert(image.pixel(static_cast<int>(x * scale), static_cast<int>(y * scale)) & 0xf0f0f0);
      }
    }
    QVERIFY2(colours.size() >= 8, qPrintable(QString::number(colours.size())));
    session().scoreTraining().reset();
  }

  void draggingTheParticlesSliderAppliesOnRelease() {
    // Reported crash: an ImGui ID shared by the "particles" slider and the Layers checkbox.
    const QRectF r = reveal("particles");
    QVERIFY(!r.isEmpty());
    drag({r.left() + 0.5 * r.width(), r.center().y()}, {r.left() + 0.3 * r.width(), r.center().y()});
    const int n = session().scene().sampled.particles;
    QVERIFY2(n < 20000 && n >= 100, qPrintable(QString("particles = %1 after dragging left").arg(n)));
    QVERIFY(session().scene().display.layers.particles);
  }

  void theContourLevelsSliderLeavesTheAnnealedLevelsAlone() {
    Scene s = lessonScene(Lesson::Langevin, 300);
    s.sampled.sampler = defaultSamplerSettings(SamplerKind::AnnealedLangevin);
    s.display.layers.contours = true;
    show(s);
    const Scene before = session().scene();
    const QRectF r = reveal("contour levels");
    QVERIFY(!r.isEmpty());
    drag(r.center(), {r.right() + 40, r.center().y()});
    const Scene after = session().scene();
    QCOMPARE(after.display.contourLevels, 20);
    QCOMPARE(after.sampled, before.sampled);
  }

  void theGammaNotationDoesNotChangeTheGuidance() {
    show(lessonScene(Lesson::Guidance, 300));
    const int generation = session().shownGeneration();
    const QRectF r = reveal("slider is gamma");
    QVERIFY(!r.isEmpty());
    click(r.center());
    QVERIFY(session().scene().display.cfgShowsGamma);
    QCOMPARE(session().scene().sampled.guidance.scale, 3.0);  // still w = 3, i.e. gamma = 4
    QVERIFY(!session().busy());
    QCOMPARE(session().shownGeneration(), generation);
    QVERIFY2(panes().front().title.find("γ = 4") != std::string::npos, panes().front().title.c_str());
  }

  void draggingTheTimeSliderChangesT() {
    const QRectF r = v_->panels().widgetRect("t");
    QVERIFY2(!r.isEmpty(), "the t slider was not drawn");
    session().timeline().scrubTo(0.1);
    frame();
    drag({r.left() + 0.1 * r.width(), r.center().y()}, {r.left() + 0.75 * r.width(), r.center().y()});
    const double t = session().timeline().position();
    QVERIFY2(std::abs(t - 0.75) < 0.05, qPrintable(QString("t after the drag: %1, expected about 0.75").arg(t)));
    QVERIFY(!session().timeline().playing());  // scrubbing pauses
  }

  void draggingTheArrowGridSliderChangesTheScene() {
    const QRectF r = reveal("arrow grid");
    QVERIFY2(!r.isEmpty(), "the arrow grid slider was not drawn");
    QCOMPARE(session().scene().display.arrowGrid, 32);
    drag(r.center(), {r.right() + 40, r.center().y()});
    QCOMPARE(session().scene().display.arrowGrid, 64);
    frame();
    // 64 square cells along the pane's longer side, as many as fit along the other.
    const ArrowKey& key = panes().front().arrowKey;
    QCOMPARE(std::max(key.columns, key.rows), 64);
    QCOMPARE(panes().front().arrows.size(), std::size_t(key.columns * key.rows));
  }

  void clickingALessonSwitchesIt() {
    // Revealed: an earlier test may have scrolled the sidebar (lesson 2's panel is taller now).
    const QRectF r = reveal("lesson 4");
    QVERIFY(!r.isEmpty());
    click(r.center());
    QCOMPARE(session().scene().sampled.lesson, Lesson::ReverseVsOde);
    session().waitForRuns();
    frame();
    QCOMPARE(panes().size(), std::size_t(2));  // SDE and ODE side by side
  }

  void draggingTheCanvasPans() {
    const Camera before = session().scene().display.camera;
    const double u = panes().front().view.unitsPerPixel();
    drag({900, 300}, {1000, 350});
    const Camera after = session().scene().display.camera;
    QVERIFY2(std::abs((after.centreX - before.centreX) - (-100 * u)) < 1e-9,
             qPrintable(QString("centre x moved by %1, expected %2").arg(after.centreX - before.centreX).arg(-100 * u)));
    QVERIFY(std::abs((after.centreY - before.centreY) - (50 * u)) < 1e-9);
  }

  void aFocusedTextFieldKeepsTheShortcutKeys() {
    // Space, '.', ',' and Home are application shortcuts; Qt fires them unless the focus object
    // accepts the ShortcutOverride it sends first.
    auto overridden = [&](Qt::Key k, const QString& text) {
      QKeyEvent e(QEvent::ShortcutOverride, k, Qt::NoModifier, text);
      e.ignore();
      QApplication::sendEvent(v_.get(), &e);
      return e.isAccepted();
    };
    QVERIFY(!overridden(Qt::Key_Space, " "));  // nothing focused: the shortcut fires
    const QRectF r = reveal("seed");
    QVERIFY2(!r.isEmpty(), "the seed field was not drawn");
    click({r.left() + 20, r.center().y()});
    frame();
    QVERIFY2(overridden(Qt::Key_Space, " "), "Space would fire play/pause while the seed field is edited");
    QVERIFY(overridden(Qt::Key_Period, "."));
    QVERIFY(overridden(Qt::Key_Home, ""));
    click({900, 300});  // clicking the canvas ends the edit: the shortcuts work again
    frame();
    QVERIFY(!overridden(Qt::Key_Space, " "));
  }

  void theStatusLineIsOnScreen() {
    // At 1280 x 720 the sidebar scrolls; an error at its bottom would be out of sight.
    Scene s = lessonScene(Lesson::ReverseVsOde);
    s.sampled.sampler.steps = 0;  // invalid
    show(s);
    const QRectF r = v_->panels().widgetRect("status");
    QVERIFY2(!r.isEmpty(), "the status line was not drawn");
    QVERIFY2(r.top() >= 0 && r.bottom() <= v_->height() && r.left() >= 0 && r.right() <= v_->width(),
             qPrintable(QString("status line at (%1, %2) - (%3, %4), outside the %5 x %6 viewport")
                            .arg(r.left()).arg(r.top()).arg(r.right()).arg(r.bottom()).arg(v_->width()).arg(v_->height())));
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
    const Camera before = session().scene().display.camera;
    drag({150, 650}, {250, 600});  // inside the sidebar
    QCOMPARE(session().scene().display.camera, before);
  }

  void wheelZoomKeepsThePointUnderTheCursor() {
    const QPointF cursor(1000, 200);
    mouse(QEvent::MouseMove, cursor, Qt::NoButton, Qt::NoButton);
    const Pane p = panes().front();  // a copy: panes are rebuilt in place by the next frame
    const double halfBefore = session().scene().display.camera.halfExtent;
    const QPointF c = v_->controller().layout().toCanvas(cursor);
    const glm::dvec2 before = p.view.pixelToWorld({c.x() - p.x, c.y() - p.y});
    wheel(cursor, 240);
    const Pane& q = panes().front();
    // Two notches in: 1.0015^240 ~ 1.43 times closer.
    const double zoom = p.view.unitsPerPixel() / q.view.unitsPerPixel();
    QVERIFY2(std::abs(zoom - std::pow(1.0015, 240)) < 1e-6 && session().scene().display.camera.halfExtent < halfBefore,
             qPrintable(QString("zoomed by %1, expected %2").arg(zoom).arg(std::pow(1.0015, 240))));
    const QPointF px = v_->controller().toWindow(q, before.x, before.y);
    QVERIFY2(std::hypot(px.x() - cursor.x(), px.y() - cursor.y()) < 1.0,
             qPrintable(QString("the point under the cursor is now at pixel (%1, %2), expected (%3, %4)")
                            .arg(px.x()).arg(px.y()).arg(cursor.x()).arg(cursor.y())));
  }

  void draggingAModeMovesTheMixtureMean_data() {
    QTest::addColumn<double>("t");
    QTest::newRow("t = 0 (a = 1: handles at the means)") << 0.0;
    QTest::newRow("t = 0.5") << 0.5;
    QTest::newRow("t = 0.999 (a ~ 0: no handles)") << 0.999;
  }
  void draggingAModeMovesTheMixtureMean() {
    QFETCH(double, t);
    session().timeline().scrubTo(t);
    frame();
    const double a = session().plan().process.a(t);
    const auto handles = session().handlePositions();
    QVERIFY(!handles.empty());
    drag(windowPixel(handles[0][0], handles[0][1]), windowPixel(1.0, 1.0));
    const auto moved = session().handlePositions();
    QVERIFY2(std::isfinite(moved[0][0]) && std::isfinite(moved[0][1]),
             qPrintable(QString("mode 0 at (%1, %2) after the drag").arg(moved[0][0]).arg(moved[0][1])));
    if (a < Session::kMinHandleScale) {
      // a(t) ~ 0: the modes have melted into the noise, there is nothing to drag (the drag pans).
      QVERIFY(!session().hasHandles());
      QCOMPARE(session().scene().sampled.target.source, TargetSource::Preset);
      return;
    }
    QVERIFY2(std::hypot(moved[0][0] - 1.0, moved[0][1] - 1.0) < 0.05,
             qPrintable(QString("mode 0 at (%1, %2), expected (1, 1)").arg(moved[0][0]).arg(moved[0][1])));
    const TargetSpec& target = session().scene().sampled.target;
    QCOMPARE(target.source, TargetSource::Mixture);
    QVERIFY(std::abs(target.components[0].mean.x() - 1.0 / a) < 0.05 / a);
  }

  // Rows of the frame, within the middle half of the first pane's width, holding near-white
  // pixels (the title text is (225, 232, 245) on a dark box; nothing else there is that bright
  // with the grid, arrows and particles off): the height of the title's glyphs.
  int titleGlyphHeight(const QImage& image) {
    const Pane& p = panes().front();
    const int left = v_->controller().layout().canvasLeft() + p.x;
    int first = -1, last = -1;
    for (int y = p.y; y < p.y + p.height / 3; ++y) {
      for (int x = left + p.width / 4; x < left + 3 * p.width / 4; ++x) {
        const QRgb c = image.pixel(x, y);
        if (std::min({qRed(c), qGreen(c), qBlue(c)}) > 170) {
          if (first < 0) first = y;
          last = y;
          break;
        }
      }
    }
    return first < 0 ? 0 : last - first + 1;
  }

  void theUiScaleEnlargesTextStripsAndPoints() {
    Scene s = lessonScene(Lesson::ScoreField);
    s.sampled.target.preset = "two-moons";  // no mode handles (white rings) near the title
    s.display.layers.grid = s.display.layers.arrows = s.display.layers.particles = s.display.layers.density = false;
    s.display.equationOverlay = false;
    show(s);
    const QImage one = v_->grabFrame();
    const int height1 = titleGlyphHeight(one);
    const int sidebar1 = v_->controller().layout().sidebarWidth();
    v_->controller().setUiScale(2.0f);
    frame();  // the atlas is rebuilt at the start of this frame
    const QImage two = v_->grabFrame();
    const int height2 = titleGlyphHeight(two);
    const CanvasLayout layout = v_->controller().layout();
    v_->controller().setUiScale(1.0f);
    frame();
    // "score  ∇ log pₜ  over  pₜ": cap height to descender, ~15 px at the 16 px font.
    QVERIFY2(height1 >= 10 && height1 <= 22, qPrintable(QString("title glyphs %1 px high at 1x").arg(height1)));
    const double ratio = static_cast<double>(height2) / height1;
    QVERIFY2(ratio > 1.75 && ratio < 2.25, qPrintable(QString("title glyphs %1 px at 1x, %2 px at 2x").arg(height1).arg(height2)));
    QCOMPARE(sidebar1, CanvasLayout::kSidebarWidth);
    QCOMPARE(layout.sidebarWidth(), 2 * CanvasLayout::kSidebarWidth);
    QCOMPARE(layout.timelineHeight(), 2 * CanvasLayout::kTimelineHeight);
    // The sidebar's background reaches the new width: the panel colour, not the canvas's, just
    // inside its right edge at the bottom of the window.
    const QRgb inside = two.pixel(layout.sidebarWidth() - 3, two.height() - 3);
    const QRgb canvas = one.pixel(layout.sidebarWidth() - 3, one.height() / 2);
    QVERIFY2(inside != canvas, "the sidebar did not widen");
    QCOMPARE(qRed(inside), static_cast<int>(std::lround(kPanelColour[0] * 255)));
  }

  void tabHidesAndShowsThePanels() {
    QVERIFY(!v_->controller().panelsHidden());
    key(Qt::Key_Tab);
    QVERIFY(v_->controller().panelsHidden());
    const CanvasLayout layout = v_->controller().layout();
    QCOMPARE(layout.canvasLeft(), 0);
    QCOMPARE(layout.canvasWidth(), v_->width());
    QCOMPARE(layout.canvasHeight(), v_->height());
    // The panes cover the window and no widget is drawn.
    int width = 0;
    for (const Pane& p : panes()) {
      if (p.y == 0) width += p.width;
    }
    QCOMPARE(width, v_->width());
    QCOMPARE(panes().front().height, v_->height());
    QVERIFY(v_->panels().widgets().empty());
    // With the panels gone, a drag at the old sidebar's place pans the canvas.
    const Camera before = session().scene().display.camera;
    drag({100, 300}, {160, 300});
    QVERIFY(!(session().scene().display.camera == before));
    key(Qt::Key_Tab);
    QVERIFY(!v_->controller().panelsHidden());
    QCOMPARE(v_->controller().layout().canvasLeft(), CanvasLayout::kSidebarWidth);
    QVERIFY(!v_->panels().widgets().empty());
  }

  void tabInATextFieldStaysWithTheField() {
    const QRectF r = reveal("seed");
    QVERIFY2(!r.isEmpty(), "the seed field was not drawn");
    click({r.left() + 20, r.center().y()});
    frame();
    key(Qt::Key_Tab);
    QVERIFY2(!v_->controller().panelsHidden(), "Tab in the seed field hid the panels");
    click({900, 300});
  }

  void clickingAddsPointsToADrawnTarget() {
    Scene s = lessonScene(Lesson::ScoreField);
    s.sampled.target.source = TargetSource::PointCloud;
    s.sampled.target.points = {{0.0, 0.0}};
    s.sampled.target.labels = {0};
    show(s);
    click(windowPixel(-1.5, 2.0));
    const TargetSpec& target = session().scene().sampled.target;
    QCOMPARE(target.points.size(), std::size_t(2));
    QVERIFY(std::hypot(target.points[1].x() + 1.5, target.points[1].y() - 2.0) < 0.05);
  }
};

SCORESCOPE_GL_TEST_MAIN(TestViewport)
#include "test_viewport.moc"
