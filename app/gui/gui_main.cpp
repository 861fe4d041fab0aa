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
#include <cmath>
#include <cstdio>

#include "gui/frame_stats.hpp"
#include "gui/main_window.hpp"
#include "gui/viewport_window.hpp"
#include "io/text_file.hpp"
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

// Reads an integer flag in [lo, hi]; false (with `error` naming the flag) when it is not one.
bool readInt(const QCommandLineParser& parser, const QString& name, long long lo, long long hi, long long& out,
             QString& error) {
  bool ok = false;
  out = parser.value(name).toLongLong(&ok);
  if (ok && out >= lo && out <= hi) return true;
  error = QStringLiteral("--%1: expected an integer in [%2, %3], got '%4'")
              .arg(name).arg(lo).arg(hi).arg(io::clip(parser.value(name)));
  return false;
}

bool readDouble(const QCommandLineParser& parser, const QString& name, double& out, QString& error) {
  bool ok = false;
  out = parser.value(name).toDouble(&ok);
  if (ok && std::isfinite(out)) return true;
  error = QStringLiteral("--%1: expected a number, got '%2'").arg(name, io::clip(parser.value(name)));
  return false;
}

// Applies the scene flags to `s`; an empty string, or the first bad flag with its allowed range.
QString applyFlags(const QCommandLineParser& parser, Scene& s) {
  QString error;
  long long v = 0;
  SampledScene& x = s.sampled;
  if (parser.isSet("lesson")) {
    if (!readInt(parser, "lesson", 1, kLessonCount, v, error)) return error;
    x = enterLesson(x, static_cast<Lesson>(v));
  }
  if (parser.isSet("target")) {
    const std::string name = parser.value("target").toStdString();
    if (name == "draw") {
      x.target = threePointsDrawing();
    } else if (makePreset(name)) {
      x.target.preset = name;
    } else {
      return "--target: unknown '" + io::clip(parser.value("target")) + "'; expected one of " +
             QString::fromStdString(presetNames()) + ", draw";
    }
  }
  if (parser.isSet("process") && !parseProcessKind(parser.value("process").toStdString(), x.process)) {
    return "--process: unknown '" + io::clip(parser.value("process")) + "'; expected one of " +
           QString::fromStdString(processNames());
  }
  if (parser.isSet("particles")) {
    if (!readInt(parser, "particles", 1, kMaxParticles, v, error)) return error;
    x.particles = static_cast<int>(v);
  }
  if (parser.isSet("seed")) {
    if (!readInt(parser, "seed", 0, 1'000'000'000, v, error)) return error;
    x.seed = static_cast<std::uint64_t>(v);
  }
  if (parser.isSet("sampler")) {
    SamplerKind kind{};
    if (!parseSamplerKind(parser.value("sampler").toStdString(), kind)) {
      return "--sampler: unknown '" + io::clip(parser.value("sampler")) + "'; expected one of " +
             QString::fromStdString(samplerNames());
    }
    x.sampler = defaultSamplerSettings(kind);
  }
  if (parser.isSet("annealed")) x.sampler = defaultSamplerSettings(SamplerKind::AnnealedLangevin);
  if (x.lesson == Lesson::Langevin) x.sampler.denoiseFinal = false;
  if (parser.isSet("steps")) {
    if (!readInt(parser, "steps", 1, kMaxSamplerSteps, v, error)) return error;
    x.sampler.steps = x.comparison.steps = static_cast<int>(v);
  }
  if (parser.isSet("class")) {
    if (!readInt(parser, "class", 0, kMaxLabel, v, error)) return error;
    x.guidance.label = static_cast<int>(v);
  }
  if (parser.isSet("scale") && !readDouble(parser, "scale", x.guidance.scale, error)) return error;
  if (parser.isSet("sweep")) x.guidance.sweep = {0.0, 1.0, 3.0, 7.0};
  if (parser.isSet("contours")) s.display.layers.contours = true;
  // What needs the whole scene: ranges of the sampler settings, the class exists, ...
  if (const ScenePlan plan = planScene(x); !plan.ok()) return "--" + QString::fromStdString(plan.error);
  return {};
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
      {"process", QString::fromStdString("Forward process: " + processNames() + "."), "NAME"},
      {"particles", QStringLiteral("Number of particles, 1..%1 (default %2).").arg(kMaxParticles).arg(SampledScene{}.particles), "N"},
      {"seed", "Random seed, 0..1000000000.", "S"},
      {"sampler", QString::fromStdString("Sampler (lessons 3-5): " + samplerNames() + "."), "NAME"},
      {"steps", "Sampler steps.", "N"},
      {"class", "Lesson 5: the class to guide towards.", "Y"},
      {"scale", "Lesson 5: guidance scale (classifier gamma, or CFG w).", "S"},
      {"sweep", "Lesson 5: show the guidance sweep (scales 0, 1, 3, 7) side by side."},
      {"annealed", "Lesson 3: annealed Langevin (NCSN) instead of plain Langevin."},
      {"contours", "Draw iso-density contour lines."},
      {"screenshot", "Render one frame to this PNG and exit.", "FILE"},
      {"position", "Timeline position in [0, 1] for --screenshot.", "U"},
      {"size", "Canvas size WxH (default 1280x720).", "WxH"},
      {"bench-frames", "Render N frames of the playing scene and print frame times.", "N"},
  });
  parser.process(app);
  if (!parser.positionalArguments().isEmpty()) {
    return fail("unexpected argument '" + parser.positionalArguments().first().left(60) +
                "' (scorescope --help lists the viewport's options, scorescope help the commands)");
  }

  Scene scene;
  if (const QString error = applyFlags(parser, scene); !error.isEmpty()) return fail(error);
  int w = 1280, h = 720;
  if (parser.isSet("size")) {
    const QStringList parts = parser.value("size").split('x');
    bool okW = false, okH = false;
    if (parts.size() == 2) {
      w = parts[0].toInt(&okW);
      h = parts[1].toInt(&okH);
    }
    if (!okW || !okH || w < 640 || h < 400 || w > 8192 || h > 8192) {
      return fail("--size: expected WxH with W in [640, 8192] and H in [400, 8192], got '" +
                  io::clip(parser.value("size")) + "'");
    }
  }
  double position = -1.0;
  if (parser.isSet("position")) {
    bool ok = false;
    position = parser.value("position").toDouble(&ok);
    if (!ok || !(position >= 0.0 && position <= 1.0)) return fail("--position: expected a number in [0, 1]");
  }
  // The output path is checked before anything is sampled (and never replaces a device node).
  if (parser.isSet("screenshot")) {
    if (const QString problem = io::checkOutputPath(parser.value("screenshot")); !problem.isEmpty()) {
      return fail("--screenshot: " + problem);
    }
  }
  long long frames = 0;
  QString error;
  if (parser.isSet("bench-frames") && !readInt(parser, "bench-frames", 1, 100000, frames, error)) return fail(error);

  MainWindow window;
  Session& session = window.viewport()->session();
  session.setScene(scene);
  sizeCanvas(window, w, h);
  window.show();
  waitUntilReady(window);
  if (!window.viewport()->ready()) return fail("could not create an OpenGL 3.3 context");

  if (frames > 0) {
    const std::vector<int> counts = parser.isSet("particles") ? std::vector<int>{scene.sampled.particles}
                                                              : std::vector<int>{100000, 1000000};
    const CanvasLayout layout{window.viewport()->width(), window.viewport()->height()};
    for (int n : counts) {
      const BenchResult r = bench(window, static_cast<int>(frames), n);
      const Scene now = session.scene();
      std::printf("bench: lesson %d, %dx%d, %d particles, %dx%d arrows, density %s: %lld frames, median %.2f ms, p95 %.2f ms (paintGL median %.2f ms, of which CPU scene %.2f ms)\n",
                  static_cast<int>(now.sampled.lesson), layout.windowWidth, layout.windowHeight, n,
                  now.display.arrowGrid, now.display.arrowGrid, now.display.layers.density ? "on" : "off", frames,
                  r.frame.median, r.frame.p95, r.paint.median, r.build.median);
      std::printf("bench:   same scene, renderers only into an offscreen FBO (%dx%d, as headless export): median %.2f ms, p95 %.2f ms\n",
                  layout.canvasWidth(), layout.canvasHeight(), r.offscreen.median, r.offscreen.p95);
      std::fflush(stdout);
    }
    return 0;
  }

  if (parser.isSet("screenshot")) {
    session.waitForRuns();
    session.timeline().scrubTo(position >= 0.0 ? position : session.timeline().discrete() ? 1.0 : 0.35);
    session.timeline().setPlaying(false);
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
