#include "cli/bench_export.hpp"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <algorithm>
#include <vector>

#include "cli/command_support.hpp"
#include "cli/options.hpp"
#include "io/text_file.hpp"

#ifndef SCORESCOPE_SOURCE_DIR
#define SCORESCOPE_SOURCE_DIR "."
#endif

namespace scorescope::cli {
namespace {

int fail(const QString& message) {
  QTextStream(stderr) << "scorescope bench: " << oneLine(message) << Qt::endl;
  return 2;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// Wall seconds of `program args` (a failed run: negative, with `why`).
double timedRun(const QString& program, const QStringList& args, QString& why) {
  QProcess process;
  QElapsedTimer clock;
  clock.start();
  process.start(program, args);
  if (!process.waitForFinished(60 * 60 * 1000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
    why = QFileInfo(program).fileName() + " failed: " +
          QString::fromUtf8(process.readAllStandardError()).trimmed().split('\n').last();
    return -1.0;
  }
  return static_cast<double>(clock.nsecsElapsed()) * 1e-9;
}

}  // namespace

int benchExport(const QStringList& args) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "scorescope bench export [options]: `scorescope render` of resources/scenes/benchmark-pfode-100k.json to MP4\n"
      "(100k particles, 32x32 arrows, density), timed as a whole process, back to back with a matplotlib\n"
      "FuncAnimation of the same content written with ffmpeg (bench/export_matplotlib.py); then the export's\n"
      "frames per second at 1920x1080 and 3840x2160.");
  parser.addHelpOption();
  parser.addOptions({{"frames", "Frames of the compared exports (default 300, at 30 fps).", "N"},
                     {"size", "Size of the compared exports (default 1280x720).", "WxH"},
                     {"repeats", "Timed runs of each; the median is reported (default 1).", "N"},
                     {"baseline", "The matplotlib script (default bench/export_matplotlib.py of the source tree).", "FILE"},
                     {"no-baseline", "Skip the matplotlib baseline."},
                     {"no-large", "Skip the 1080p and 4K runs."}});
  if (int status = 0; !support::parse(parser, QStringList{QString()} + args, "bench", status)) return status;
  OptionReader read(parser);
  const int frames = static_cast<int>(read.integer("frames", 300, 1, 36000));
  const int repeats = static_cast<int>(read.integer("repeats", 1, 1, 100));
  QString size = parser.isSet("size") ? parser.value("size") : QString("1280x720");
  int width = 0, height = 0;
  if (!read.failed() && (!io::parseSize(size, width, height) || width < 16 || height < 16)) {
    read.fail("--size: expected WxH such as 1280x720, got '" + io::clip(size) + "'");
  }
  const QString script = parser.isSet("baseline") ? parser.value("baseline")
                                                  : QStringLiteral(SCORESCOPE_SOURCE_DIR "/bench/export_matplotlib.py");
  if (!read.failed() && parser.isSet("baseline") && parser.isSet("no-baseline")) read.fail("--baseline: cannot be combined with --no-baseline");
  if (!read.failed() && parser.isSet("baseline") && !QFileInfo(script).isFile()) read.fail("--baseline: script not found: '" + io::clip(script) + "'");
  const QString scene = QStringLiteral(SCORESCOPE_SOURCE_DIR "/resources/scenes/benchmark-pfode-100k.json");
  if (!read.failed() && !QFileInfo(scene).isFile()) read.fail("the benchmark scene is missing: " + scene);
  if (read.failed()) return fail(read.error());

  QTemporaryDir dir;
  const QString self = QCoreApplication::applicationFilePath();
  const double fps = 30.0;
  const QString seconds = QString::number(frames / fps, 'g', 10);
  const QString python = QFileInfo::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const bool baseline = !parser.isSet("no-baseline") && QFileInfo(script).isFile();
  QTextStream out(stdout);
  out << "Export of benchmark-pfode-100k.json: " << frames << " frames at " << size << " to MP4, median of " << repeats
      << (baseline ? ", scorescope and matplotlib back to back" : "") << "\n\n";
  out.flush();
  std::vector<double> ours, theirs;
  QString why;
  for (int r = 0; r < repeats; ++r) {
    const double s = timedRun(self, {"render", scene, "--out", dir.filePath("ours.mp4"), "--size", size, "--seconds", seconds,
                                     "--fps", "30"}, why);
    if (s < 0.0) return fail(why);
    ours.push_back(s);
    if (baseline) {
      const double m = timedRun(python, {script, "--out", dir.filePath("matplotlib.mp4"), "--frames", QString::number(frames),
                                         "--size", size, "--fps", "30"}, why);
      if (m < 0.0) {
        if (parser.isSet("baseline")) return fail("--baseline: " + why);
        out << "matplotlib baseline: unavailable (" << why << ")\n";
        break;
      }
      theirs.push_back(m);
    }
  }
  out << QStringLiteral("%1 %2 %3\n").arg("", -34).arg("seconds", 9).arg("frames/s", 9);
  const double a = median(ours);
  out << QStringLiteral("%1 %2 %3\n").arg("scorescope render", -34).arg(a, 9, 'f', 2).arg(frames / a, 9, 'f', 1);
  if (!theirs.empty()) {
    const double b = median(theirs);
    out << QStringLiteral("%1 %2 %3\n").arg("matplotlib FuncAnimation + ffmpeg", -34).arg(b, 9, 'f', 2).arg(frames / b, 9, 'f', 1);
    out << QStringLiteral("\nratio (matplotlib / scorescope time): %1x\n").arg(b / a, 0, 'f', 1);
  } else if (!baseline) {
    out << "matplotlib baseline: skipped\n";
  }
  out.flush();
  if (parser.isSet("no-large")) return 0;
  out << "\n";
  for (const auto& [large, count] : {std::pair{QString("1920x1080"), 90}, std::pair{QString("3840x2160"), 30}}) {
    const double s = timedRun(self, {"render", scene, "--out", dir.filePath("large.mp4"), "--size", large, "--seconds",
                                     QString::number(count / fps, 'g', 10), "--ui-scale", large.startsWith("3840") ? "2" : "1"},
                              why);
    if (s < 0.0) return fail(why);
    out << QStringLiteral("%1 %2 frames: %3 s, %4 frames/s (whole process, MP4)\n").arg("scorescope render " + large, -34)
               .arg(count).arg(s, 0, 'f', 2).arg(count / s, 0, 'f', 1);
    out.flush();
  }
  return 0;
}

}  // namespace scorescope::cli
