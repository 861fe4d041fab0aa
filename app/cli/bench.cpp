#include "cli/bench.hpp"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTextStream>
#include <algorithm>
#include <vector>

#include "cli/options.hpp"
#include "io/text_file.hpp"
#include "scorescope/parallel.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/samplers.hpp"
#include "scorescope/time_grid.hpp"

#ifndef SCORESCOPE_SOURCE_DIR
#define SCORESCOPE_SOURCE_DIR "."
#endif

namespace scorescope::cli {
namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

// Runs the PyTorch script; returns its median seconds or a negative number with `why` set.
double runBaseline(const QString& script, int particles, int steps, int repeats, double tEnd,
                   QString& why) {
  if (!QFileInfo::exists(script)) {
    why = "script not found: " + script;
    return -1.0;
  }
  const QString python = QFileInfo::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  QProcess process;
  process.start(python, {script, "--particles", QString::number(particles), "--steps",
                         QString::number(steps), "--repeats", QString::number(repeats), "--t-end",
                         QString::number(tEnd, 'g', 17)});
  if (!process.waitForFinished(30 * 60 * 1000) || process.exitCode() != 0) {
    why = python + " failed: " + QString::fromUtf8(process.readAllStandardError()).trimmed().split('\n').last();
    return -1.0;
  }
  const QStringList fields = QString::fromUtf8(process.readAllStandardOutput()).split(' ');
  const int at = static_cast<int>(fields.indexOf("median_seconds"));
  bool ok = false;
  const double seconds = at >= 0 ? fields.value(at + 1).toDouble(&ok) : -1.0;
  if (!ok) why = "unexpected output from the baseline script";
  return ok ? seconds : -1.0;
}

}  // namespace

int bench(const QStringList& args) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "PF-ODE Heun throughput (gmm8-ring, VP, uniform grid to t_min) against a PyTorch CPU baseline.");
  parser.addHelpOption();
  parser.addOptions({{"particles", "Particles (default 100000).", "N"},
                     {"steps", "Heun steps (default 100).", "N"},
                     {"repeats", "Timed runs; the median is reported (default 5).", "N"},
                     {"threads", "Worker threads (default: one per core).", "N"},
                     {"baseline", "PyTorch script (default bench/pfode_heun_torch.py of the source tree).", "FILE"},
                     {"no-baseline", "Skip the PyTorch baseline."}});
  const auto fail = [](const QString& message) {
    QTextStream(stderr) << "scorescope bench: " << oneLine(message) << Qt::endl;
    return 2;
  };
  if (!parser.parse(args.mid(1))) return fail(io::clip(parser.errorText(), 120));
  QTextStream out(stdout);
  if (parser.isSet("help")) {
    out << parser.helpText();
    return 0;
  }
  if (const QString invalid = checkArguments(parser); !invalid.isEmpty()) return fail(invalid);
  OptionReader read(parser);
  const int particles = static_cast<int>(read.integer("particles", 100000, 1, 100000000));
  const int steps = static_cast<int>(read.integer("steps", 100, 1, 100000));
  const int repeats = static_cast<int>(read.integer("repeats", 5, 1, 1000));
  const long long threads = read.integer("threads", 0, 1, 256);
  // An explicit --baseline must exist (checked before the timed runs); the default script of the
  // source tree may be absent in an installed build, which only skips the comparison.
  const bool explicitBaseline = parser.isSet("baseline");
  if (!read.failed() && explicitBaseline && parser.isSet("no-baseline")) {
    read.fail("--baseline: cannot be combined with --no-baseline");
  }
  if (!read.failed() && explicitBaseline && !QFileInfo(parser.value("baseline")).isFile()) {
    read.fail("--baseline: script not found: '" + io::clip(parser.value("baseline")) +
              "'; expected a readable .py file (or --no-baseline)");
  }
  if (read.failed()) return fail(read.error());
  setThreadCount(static_cast<int>(threads));

  const ExactScore model(makeGmm8Ring(), Process(ProcessKind::Vp));
  const double tEnd = defaultTMin(model.process());
  const std::vector<double> ts = makeTimeGrid(model.process(), steps, tEnd);
  const Points x0 = samplePrior(model.process(), particles, CounterRng(0));
  samplePfOde(model, x0.topRows(std::min(particles, 1000)), ts, OdeMethod::Heun);  // warm-up
  std::vector<double> seconds;
  for (int r = 0; r < repeats; ++r) {
    QElapsedTimer timer;
    timer.start();
    const Points x = samplePfOde(model, x0, ts, OdeMethod::Heun);
    seconds.push_back(static_cast<double>(timer.nsecsElapsed()) * 1e-9);
    if (!x.allFinite()) {
      QTextStream(stderr) << "scorescope bench: non-finite result" << Qt::endl;
      return 1;
    }
  }
  const double ours = median(seconds);
  const double work = static_cast<double>(particles) * steps;
  out << "PF-ODE Heun, gmm8-ring (8 components), VP, " << particles << " particles, " << steps
      << " steps, " << threadCount() << " threads, median of " << repeats << "\n\n";
  out << QStringLiteral("%1 %2 %3\n").arg("implementation", -26).arg("median s", 10).arg("particle-steps/s", 18);
  out << QStringLiteral("%1 %2 %3\n").arg("scorescope (C++/Eigen)", -26).arg(ours, 10, 'f', 4).arg(work / ours, 18, 'e', 3);
  if (parser.isSet("no-baseline")) return 0;
  out.flush();
  const QString script = parser.isSet("baseline")
                             ? parser.value("baseline")
                             : QStringLiteral(SCORESCOPE_SOURCE_DIR "/bench/pfode_heun_torch.py");
  QString why;
  const double baseline = runBaseline(script, particles, steps, repeats, tEnd, why);
  if (baseline < 0.0) {
    if (explicitBaseline) {  // asked for and failed: an error, not a footnote
      out.flush();
      QTextStream(stderr) << "scorescope bench: --baseline: " << oneLine(io::clip(why, 200)) << Qt::endl;
      return 1;
    }
    out << "pytorch baseline: unavailable (" << why << ")\n";
    return 0;
  }
  out << QStringLiteral("%1 %2 %3\n").arg("pytorch CPU (float64)", -26).arg(baseline, 10, 'f', 4).arg(work / baseline, 18, 'e', 3);
  out << QStringLiteral("\nratio (pytorch / scorescope time): %1x\n").arg(baseline / ours, 0, 'f', 1);
  return 0;
}

}  // namespace scorescope::cli
