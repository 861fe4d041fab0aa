#include "export/render_command.hpp"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QElapsedTimer>
#include <QTextStream>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <unistd.h>

#include "export/export_job.hpp"
#include "gui/viewport_flags.hpp"
#include "io/lecture_file.hpp"
#include "io/scene_file.hpp"
#include "io/text_file.hpp"
#include "render/headless_context.hpp"

namespace scorescope::exporting {
namespace {

// Ctrl+C, a kill or a closed terminal stop the export cleanly: the loop sees the flag, cancels
// the job (removing the partial output and stopping ffmpeg) and exits 128 + the signal.
volatile std::sig_atomic_t gStopSignal = 0;
extern "C" void onStopSignal(int signal) { gStopSignal = signal; }

void catchStopSignals() {
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal, &action, nullptr);
}

int fail(const QString& message) {
  QTextStream(stderr) << "scorescope render: " << message << Qt::endl;
  return 2;
}

bool readNumber(const QCommandLineParser& parser, const QString& name, double lo, double hi, double& out, QString& error) {
  if (!parser.isSet(name)) return true;
  bool ok = false;
  const double v = parser.value(name).toDouble(&ok);
  if (!ok || !(v >= lo && v <= hi)) {
    error = QString("--%1: expected a number in [%2, %3], got '%4'").arg(name).arg(lo).arg(hi).arg(io::clip(parser.value(name)));
    return false;
  }
  out = v;
  return true;
}

}  // namespace

int runRenderCommand(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "scorescope render SCENE.json --out FILE|FOLDER [options]: export a scene without a display.\n"
      "The output's name picks the format: .mp4 (H.264) or .gif through the ffmpeg program, .png one picture\n"
      "(the scene's moment, or --start), anything else a folder of PNG frames. The same scene and seed give\n"
      "byte-identical frames every time.");
  parser.addHelpOption();
  parser.addPositionalArgument("render", "The command.", "render");
  parser.addPositionalArgument("SCENE.json", "A scene file (File > Save in the app, or resources/scenes/).");
  parser.addOptions({
      {"out", "Output: anim.mp4, anim.gif, still.png or a folder for PNG frames (required).", "FILE"},
      {"size", QString("Frame size WxH, each side in [%1, %2] (default 1280x720; MP4 needs even sides).")
                   .arg(kMinExportSide).arg(kMaxExportSide), "WxH"},
      {"fps", QString("Frames per second in [%1, %2] (default 30).").arg(kMinFps).arg(kMaxFps), "N"},
      {"seconds", QString("Length of the animation in (0, %1] (default 10).").arg(kMaxSeconds), "S"},
      {"start", "Timeline position of the first frame in [0, 1] (default: the scene's play head; for a PNG of a\n"
                "sampler's result, --start 1).", "U"},
      {"quality", "MP4: x264 CRF in [0, 51], lower is better (default 18). GIF: palette colours in [2, 256] (default 256).", "Q"},
      {"ui-scale", "Size of text, lines and points in [1, 3] (default 1; 2 suits 4K).", "X"},
      {"model", "A trained score network (a file of `scorescope train`).", "FILE"},
      {"classifier", "A trained noisy classifier.", "FILE"},
  });
  if (!parser.parse(QCoreApplication::arguments())) return fail(io::clip(parser.errorText(), 200));
  if (parser.isSet("help")) {
    QTextStream(stdout) << parser.helpText();
    return 0;
  }
  const QStringList positional = parser.positionalArguments();  // "render" SCENE.json
  if (positional.size() != 2) return fail("expected one scene file: scorescope render SCENE.json --out FILE (see --help)");
  if (!parser.isSet("out")) return fail("--out: required (anim.mp4, anim.gif, still.png or a folder)");

  const QString scenePath = positional[1];
  QString error;
  const std::optional<QByteArray> bytes = io::readFileBounded(scenePath, io::kMaxJsonBytes, "scene file", error);
  if (!bytes) return fail(error);
  if (io::looksLikeLecture(*bytes)) return fail(scenePath + " is a lecture; render one of the scene files it lists");
  const std::optional<io::SceneFile> file = io::readSceneFile(scenePath, error);
  if (!file) return fail(error);
  for (const QString& warning : file->warnings) QTextStream(stderr) << "scorescope render: warning: " << warning << Qt::endl;

  ExportSettings settings;
  settings.out = parser.value("out");
  if (!formatFromPath(settings.out, settings.format, error)) return fail("--" + error);
  // Absolute, so "." and ".." name a real folder whose sibling can hold the partial output.
  settings.out = QDir::cleanPath(QFileInfo(settings.out).absoluteFilePath());
  if (parser.isSet("size") && !io::parseSize(parser.value("size"), settings.width, settings.height)) {
    return fail("--size: expected WxH such as 1920x1080, got '" + io::clip(parser.value("size")) + "'");
  }
  double uiScale = 1.0, quality = -1.0;
  if (!readNumber(parser, "fps", kMinFps, kMaxFps, settings.fps, error) ||
      !readNumber(parser, "seconds", -1e300, 1e300, settings.seconds, error) ||
      !readNumber(parser, "start", 0.0, 1.0, settings.start, error) || !readNumber(parser, "ui-scale", 1.0, 3.0, uiScale, error) ||
      !readNumber(parser, "quality", -1e9, 1e9, quality, error)) {
    return fail(error);
  }
  // The ranges of --seconds and --quality depend on the format: validateExportSettings says them.
  if (parser.isSet("seconds") && !(settings.seconds > 0.0 && settings.seconds <= kMaxSeconds)) {
    return fail(QString("--seconds: expected a number in (0, %1], got '%2'").arg(kMaxSeconds).arg(io::clip(parser.value("seconds"))));
  }
  settings.uiScale = static_cast<float>(uiScale);
  if (parser.isSet("quality")) {
    if (quality != std::floor(quality)) return fail("--quality: expected a whole number, got '" + io::clip(parser.value("quality")) + "'");
    settings.quality = static_cast<int>(quality);
  }
  if (QString problem = validateExportSettings(settings); !problem.isEmpty()) return fail("--" + problem);

  LearnedModels models;
  if (parser.isSet("model") && !(models.score = gui::readModelFlag(parser, "model", NetworkRole::Score, error))) return fail(error);
  if (parser.isSet("classifier") &&
      !(models.classifier = gui::readModelFlag(parser, "classifier", NetworkRole::Classifier, error))) {
    return fail(error);
  }

  const render::HeadlessContext context;
  if (!context.ok()) return fail("no OpenGL without a display: " + QString::fromStdString(context.error()));
  QElapsedTimer clock;
  clock.start();
  int frames = 0;
  {
    ExportJob job(file->scene, models, settings);
    if (QString problem = job.start(); !problem.isEmpty()) return fail(problem);
    frames = job.frameCount();
    const bool terminal = isatty(fileno(stderr));
    int lastPercent = -1;
    catchStopSignals();
    for (bool more = true; more;) {
      if (gStopSignal != 0) {
        job.cancel();
        std::fprintf(stderr, "%sscorescope render: stopped by signal %d; nothing written\n", terminal ? "\n" : "",
                     static_cast<int>(gStopSignal));
        return 128 + gStopSignal;
      }
      more = job.step();
      if (!job.error().isEmpty()) break;
      const int percent = 100 * job.framesWritten() / frames;
      // A terminal gets one line rewritten in place; a log a line every 10%.
      if (terminal) std::fprintf(stderr, "\rrender: frame %d / %d (%d%%)", job.framesWritten(), frames, percent);
      else if (percent / 10 != lastPercent / 10) std::fprintf(stderr, "render: frame %d / %d (%d%%)\n", job.framesWritten(), frames, percent);
      lastPercent = percent;
    }
    if (terminal) std::fprintf(stderr, "\n");
    if (!job.error().isEmpty()) return fail(job.error());
    if (QString problem = job.finish(); !problem.isEmpty()) return fail(problem);
  }
  const double seconds = static_cast<double>(clock.nsecsElapsed()) * 1e-9;
  if (settings.format == ExportFormat::Png) {
    QTextStream(stdout) << QString("wrote %1: %2x%3 in %4 s\n").arg(settings.out).arg(settings.width).arg(settings.height)
                               .arg(seconds, 0, 'f', 2);
    return 0;
  }
  QTextStream(stdout) << QString("wrote %1: %2 frames at %3x%4, %5 fps, in %6 s (%7 frames/s)\n")
                             .arg(settings.out)
                             .arg(frames)
                             .arg(settings.width)
                             .arg(settings.height)
                             .arg(settings.fps)
                             .arg(seconds, 0, 'f', 2)
                             .arg(frames / seconds, 0, 'f', 1);
  return 0;
}

}  // namespace scorescope::exporting
