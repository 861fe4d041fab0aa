#include "gui/gui_main.hpp"

#include <QApplication>
#include <QSaveFile>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QMenuBar>
#include <QOpenGLContext>
#include <QSurfaceFormat>
#include <QTextStream>
#include <QTimer>
#include <cmath>
#include <cstdio>

#include "gui/frame_stats.hpp"
#include "gui/main_window.hpp"
#include "gui/ui_scale.hpp"
#include "gui/viewport_flags.hpp"
#include "gui/viewport_window.hpp"
#include "io/text_file.hpp"
#include "io/viewport_options.hpp"
#include "scorescope/presets.hpp"

namespace scorescope::gui {
namespace {

int fail(const QString& message) {
  QTextStream(stderr) << "scorescope: " << message << Qt::endl;
  return 2;
}

// Sizes the window so the viewport (not the window) is w x h.
void sizeCanvas(MainWindow& window, int w, int h) {
  window.resize(w, h + window.menuBar()->sizeHint().height());
}

void waitUntilReady(MainWindow& window) {
  QElapsedTimer t;
  t.start();
  while (!window.viewport()->ready() && t.elapsed() < 10000) {
    QApplication::processEvents(QEventLoop::AllEvents, 20);
  }
}

// Renders frames as fast as the platform allows and times the interval between swaps.
struct BenchResult {
  FrameStats frame, paint, build, offscreen;
};
BenchResult bench(MainWindow& window, int frames, int particles) {
  ViewportWindow* v = window.viewport();
  Session& session = v->session();
  session.edit([&](Scene& s) { s.sampled.particles = particles; });
  session.waitForRuns();
  session.timeline().setPlaying(true);
  v->setAutoAnimate(false);
  std::vector<double> times, paints, builds;
  QElapsedTimer clock;
  qint64 last = -1;
  const int warmup = 10;
  int seen = 0;
  QEventLoop loop;
  auto connection = QObject::connect(v, &QOpenGLWindow::frameSwapped, v, [&] {
    const qint64 now = clock.nsecsElapsed();
    if (last >= 0 && seen >= warmup) {
      times.push_back(static_cast<double>(now - last) * 1e-6);
      paints.push_back(v->controller().lastPaintSeconds() * 1e3);
      builds.push_back(v->controller().lastBuildSeconds() * 1e3);
    }
    last = now;
    if (++seen >= frames + warmup) loop.quit();
    else v->update();
  });
  clock.start();
  v->update();
  loop.exec();
  QObject::disconnect(connection);
  v->setAutoAnimate(true);
  BenchResult result{frameStats(times), frameStats(paints), frameStats(builds), {}};
  result.offscreen = frameStats(v->benchOffscreen(frames));
  return result;
}

}  // namespace

int runGui(int argc, char** argv) {
  // Without a display Qt would abort inside QApplication; say what to do instead.
  if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
      qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
    std::fprintf(stderr,
                 "scorescope: no display for the viewport (DISPLAY is not set). Run a command "
                 "(scorescope --help lists them) or start the viewport under xvfb-run.\n");
    return 2;
  }
  QSurfaceFormat::setDefaultFormat(viewportFormat());

  // Qt holds every requestUpdate() back by 5 ms (QT_QPA_UPDATE_IDLE_TIME) to coalesce repaints;
  // our own animation timer paces frames, so that wait only adds latency (measured: 100k-particle
  // frames 20.5 ms -> 16.7 ms median under Xvfb). A user's explicit setting wins.
  if (!qEnvironmentVariableIsSet("QT_QPA_UPDATE_IDLE_TIME")) qputenv("QT_QPA_UPDATE_IDLE_TIME", "0");
  QApplication app(argc, argv);
  QApplication::setOrganizationName("Scorescope");  // QSettings: recent files, UI scale
  QApplication::setApplicationName("Scorescope");
  QString error;
  const std::optional<ViewportFlags> flags = parseViewportFlags(QApplication::arguments(), error);
  if (!flags) return fail(error);
  if (flags->help) {
    QTextStream(stdout) << io::viewportOptionsHelp();
    return 0;
  }
  for (const QString& warning : flags->warnings) QTextStream(stderr) << "scorescope: warning: " << warning << Qt::endl;
  const Scene& scene = flags->scene;
  const int w = flags->width, h = flags->height;

  // Qt's QOpenGLWindow crashes painting when it cannot make its context: probe first.
  QOpenGLContext probe;
  probe.setFormat(viewportFormat());
  const QSurfaceFormat made = probe.create() ? probe.format() : QSurfaceFormat();
  if (!probe.isValid() || made.majorVersion() * 10 + made.minorVersion() < 33) {
    return fail("could not create an OpenGL 3.3 context for the viewport (under no display, run it with "
                "xvfb-run; Mesa's llvmpipe renders without a GPU)");
  }

  MainWindow window;
  // The flag wins for this run only; without it, the scale chosen last time.
  window.viewport()->controller().setUiScale(flags->uiScale > 0.0f ? flags->uiScale : loadUiScale());
  window.viewport()->controller().setPanelsHidden(flags->panelsHidden);
  Session& session = window.viewport()->session();
  session.adoptModels(flags->models);
  // The file's scene is the document (what Save writes back to); the other flags then edit it.
  if (flags->lecture) window.openLecture(*flags->lecture);
  else if (!flags->sceneFile.isEmpty()) window.showScene(flags->fileScene, flags->sceneFile, flags->sceneTitle);
  session.setScene(scene);
  if (flags->trainSteps > 0) {
    std::fprintf(stderr, "scorescope: training %lld steps...\n", flags->trainSteps);
    if (const std::string problem = session.trainNow(flags->trainSteps); !problem.empty()) {
      return fail("--train-steps: " + QString::fromStdString(problem));
    }
  }
  sizeCanvas(window, w, h);
  window.show();
  waitUntilReady(window);
  if (!window.viewport()->ready()) return fail("could not create an OpenGL 3.3 context");

  if (flags->benchFrames > 0) {
    const int frames = flags->benchFrames;
    const std::vector<int> counts = flags->particlesGiven ? std::vector<int>{scene.sampled.particles}
                                                   : std::vector<int>{100000, 1000000};
    const CanvasLayout layout{window.viewport()->width(), window.viewport()->height()};
    for (int n : counts) {
      const BenchResult r = bench(window, frames, n);
      const Scene now = session.scene();
      std::printf("bench: lesson %d, %dx%d, %d particles, %dx%d arrows, density %s: %d frames, median %.2f ms, p95 %.2f ms (paintGL median %.2f ms, of which CPU scene %.2f ms)\n",
                  static_cast<int>(now.sampled.lesson), layout.windowWidth, layout.windowHeight, n,
                  now.display.arrowGrid, now.display.arrowGrid, now.display.layers.density ? "on" : "off", frames,
                  r.frame.median, r.frame.p95, r.paint.median, r.build.median);
      std::printf("bench:   same scene, renderers only into an offscreen FBO (%dx%d, as headless export): median %.2f ms, p95 %.2f ms\n",
                  layout.canvasWidth(), layout.canvasHeight(), r.offscreen.median, r.offscreen.p95);
      std::fflush(stdout);
    }
    return 0;
  }

  if (!flags->screenshot.isEmpty()) {
    session.waitForRuns();
    const double position = flags->position;
    // --position, else the scene file's own play head, else the end of a run (or t = 0.35).
    const bool fromFile = !flags->sceneFile.isEmpty() || flags->lecture.has_value();
    session.timeline().scrubTo(position >= 0.0 ? position
                               : fromFile      ? flags->scene.display.playback.position
                               : session.timeline().discrete() ? 1.0
                                                               : 0.35);
    session.timeline().setPlaying(false);
    QImage image;
    for (int i = 0; i < 4; ++i) {  // let ImGui settle; a frame may start a likelihood map
      image = window.viewport()->grabFrame();
      session.waitForRuns();
    }
    // QSaveFile: the PNG appears complete or not at all.
    QSaveFile file(flags->screenshot);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
      return fail("--screenshot: cannot write " + flags->screenshot + " (" + file.errorString() + ")");
    }
    return 0;
  }
  return app.exec();
}

}  // namespace scorescope::gui
