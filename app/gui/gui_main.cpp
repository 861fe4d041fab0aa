#include "gui/gui_main.hpp"

#include <QApplication>
#include <QSaveFile>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QMenuBar>
#include <QSurfaceFormat>
#include <QTextStream>
#include <QTimer>
#include <cstdio>

#include "gui/frame_stats.hpp"
#include "gui/main_window.hpp"
#include "gui/viewport_controller.hpp"
#include "gui/viewport_host.hpp"

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
  while (!window.viewport()->controller().ready() && t.elapsed() < 10000) {
    QApplication::processEvents(QEventLoop::AllEvents, 20);
  }
}

// Renders frames as fast as the platform allows and times the interval between swaps.
struct BenchResult {
  FrameStats frame, paint, build, offscreen;
};
BenchResult bench(MainWindow& window, int frames, int particles) {
  ViewportHost* v = window.viewport();
  Scene& scene = v->controller().scene();
  SceneSettings s = scene.settings();
  s.particles = particles;
  scene.setSettings(s);
  scene.timeline().setPlaying(true);
  v->setAutoAnimate(false);
  std::vector<double> times, paints, builds;
  QElapsedTimer clock;
  qint64 last = -1;
  const int warmup = 10;
  int seen = 0;
  QEventLoop loop;
  auto connection = v->onFrameSwapped([&] {
    const qint64 now = clock.nsecsElapsed();
    if (last >= 0 && seen >= warmup) {
      times.push_back(static_cast<double>(now - last) * 1e-6);
      paints.push_back(v->controller().lastPaintSeconds() * 1e3);
      builds.push_back(v->controller().lastBuildSeconds() * 1e3);
    }
    last = now;
    if (++seen >= frames + warmup) loop.quit();
    else v->requestFrame();
  });
  clock.start();
  v->requestFrame();
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
  QApplication::setApplicationName("Scorescope");
  QCommandLineParser parser;
  parser.setApplicationDescription("Scorescope: an interactive viewport for diffusion models.");
  parser.addHelpOption();
  parser.addOptions({
      {"lesson", "Lesson 1..5 (default 2).", "N"},
      {"target", "Target preset or 'draw'.", "NAME"},
      {"process", "Forward process: ddpm, ddpm-cosine, vp, subvp, ve, ou.", "NAME"},
      {"particles", "Number of particles.", "N"},
      {"seed", "Random seed.", "S"},
      {"screenshot", "Render one frame to this PNG and exit.", "FILE"},
      {"position", "Timeline position in [0, 1] for --screenshot.", "U"},
      {"size", "Canvas size WxH (default 1280x720).", "WxH"},
      {"bench-frames", "Render N frames of the playing scene and print frame times.", "N"},
      {"sweep", "Lesson 5: show the guidance sweep (scales 0, 1, 3, 7) side by side."},
      {"annealed", "Lesson 3: annealed Langevin (NCSN) instead of plain Langevin."},
      {"contours", "Draw iso-density contour lines."},
      {"widget-viewport", "Host the canvas in a QOpenGLWidget instead of a QOpenGLWindow (slower: widget compositor)."},
  });
  parser.process(app);

  MainWindow window(parser.isSet("widget-viewport") ? ViewportKind::Widget : ViewportKind::Window);
  Scene& scene = window.viewport()->controller().scene();
  SceneSettings s = scene.settings();
  bool ok = true;
  if (parser.isSet("lesson")) {
    const int l = parser.value("lesson").toInt(&ok);
    if (!ok || l < 1 || l > kLessonCount) return fail("--lesson: expected 1..5, got '" + parser.value("lesson") + "'");
    s.lesson = static_cast<Lesson>(l);
  }
  if (parser.isSet("target")) {
    s.target = parser.value("target").toStdString();
    const std::string problem = targetNameError(s.target);
    if (!problem.empty()) return fail("--target: " + QString::fromStdString(problem));
  }
  if (parser.isSet("process") && !parseProcessKind(parser.value("process").toStdString(), s.process)) {
    return fail("--process: unknown '" + parser.value("process") + "'; expected " +
                QString::fromStdString(processNames()));
  }
  if (parser.isSet("particles")) {
    s.particles = parser.value("particles").toInt(&ok);
    if (!ok || s.particles < 1 || s.particles > 2000000) return fail("--particles: expected 1..2000000");
  }
  if (parser.isSet("seed")) {
    s.seed = parser.value("seed").toInt(&ok);
    if (!ok || s.seed < 0) return fail("--seed: expected an integer >= 0");
  }
  if (parser.isSet("sweep")) s.sweep = true;
  if (parser.isSet("annealed")) s.annealed = true;
  if (parser.isSet("contours")) s.layers.contours = true;
  int w = 1280, h = 720;
  if (parser.isSet("size")) {
    const QStringList parts = parser.value("size").split('x');
    bool okW = false, okH = false;
    if (parts.size() == 2) {
      w = parts[0].toInt(&okW);
      h = parts[1].toInt(&okH);
    }
    if (!okW || !okH || w < 640 || h < 400) return fail("--size: expected WxH with W >= 640, H >= 400");
  }
  scene.setSettings(s);
  sizeCanvas(window, w, h);
  window.show();
  waitUntilReady(window);
  if (!window.viewport()->controller().ready()) return fail("could not create an OpenGL 3.3 context");

  if (parser.isSet("bench-frames")) {
    const int frames = parser.value("bench-frames").toInt(&ok);
    if (!ok || frames < 1) return fail("--bench-frames: expected an integer >= 1");
    std::vector<int> counts = parser.isSet("particles") ? std::vector<int>{s.particles}
                                                        : std::vector<int>{100000, 1000000};
    for (int n : counts) {
      const BenchResult r = bench(window, frames, n);
      const FrameStats& st = r.frame;
      std::printf("bench: lesson %d, %dx%d, %d particles, %dx%d arrows, density %s: %d frames, median %.2f ms, p95 %.2f ms (paintGL median %.2f ms, of which CPU scene %.2f ms)\n",
                  static_cast<int>(scene.settings().lesson), window.viewport()->canvasWidth(), window.viewport()->canvasHeight(), n,
                  scene.settings().arrowGrid, scene.settings().arrowGrid,
                  scene.settings().layers.density ? "on" : "off", frames, st.median, st.p95, r.paint.median,
                  r.build.median);
      std::printf("bench:   same scene, renderers only into an offscreen FBO (%dx%d, as headless export): median %.2f ms, p95 %.2f ms\n",
                  window.viewport()->canvasWidth() - kSidebarWidth, window.viewport()->canvasHeight() - kTimelineHeight,
                  r.offscreen.median, r.offscreen.p95);
      std::fflush(stdout);
    }
    return 0;
  }

  if (parser.isSet("screenshot")) {
    scene.waitForSampling();
    if (parser.isSet("position")) {
      const double u = parser.value("position").toDouble(&ok);
      if (!ok || u < 0.0 || u > 1.0) return fail("--position: expected a number in [0, 1]");
      scene.timeline().scrubTo(u);
    } else {
      scene.timeline().scrubTo(scene.timeline().discrete() ? 1.0 : 0.35);
    }
    scene.timeline().setPlaying(false);
    QImage image;
    for (int i = 0; i < 4; ++i) image = window.viewport()->grabFrame();  // let ImGui settle
    // QSaveFile: the PNG appears complete or not at all.
    QSaveFile file(parser.value("screenshot"));
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
      return fail("--screenshot: cannot write " + parser.value("screenshot") + " (" + file.errorString() + ")");
    }
    return 0;
  }
  return app.exec();
}

}  // namespace scorescope::gui
