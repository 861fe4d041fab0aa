#include "cli/bench.hpp"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTextStream>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "cli/bench_export.hpp"
#include "cli/bench_quality.hpp"
#include "cli/command_support.hpp"
#include "cli/options.hpp"
#include "io/text_file.hpp"
#include "scorescope/parallel.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/rng.hpp"
#include "scorescope/samplers.hpp"
#include "scorescope/score_model.hpp"
#include "scorescope/score_training.hpp"
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

// Runs a PyTorch script with `arguments`; returns the number after `key` in its output line, or a
// negative number with `why` set.
double runBaseline(const QString& script, const QStringList& arguments, const QString& key, QString& why) {
  if (!QFileInfo::exists(script)) {
    why = "script not found: " + script;
    return -1.0;
  }
  const QString python = QFileInfo::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  QProcess process;
  process.start(python, QStringList{script} + arguments);
  if (!process.waitForFinished(30 * 60 * 1000) || process.exitCode() != 0) {
    why = python + " failed: " + QString::fromUtf8(process.readAllStandardError()).trimmed().split('\n').last();
    return -1.0;
  }
  const QStringList fields = QString::fromUtf8(process.readAllStandardOutput()).simplified().split(' ');
  const int at = static_cast<int>(fields.indexOf(key));
  bool ok = false;
  const double seconds = at >= 0 ? fields.value(at + 1).toDouble(&ok) : -1.0;
  if (!ok) why = "unexpected output from the baseline script";
  return ok ? seconds : -1.0;
}

int fail(const QString& message) {
  QTextStream(stderr) << "scorescope bench: " << oneLine(message) << Qt::endl;
  return 2;
}

// The mode's own options, then those both modes have.
void addOptions(QCommandLineParser& parser, const QList<QCommandLineOption>& own, const QString& script) {
  parser.addHelpOption();
  parser.addOptions(own);
  parser.addOptions({{"repeats", "Timed runs; the median is reported (default 5).", "N"},
                     {"threads", "Worker threads (default: one per core).", "N"},
                     {"baseline", "PyTorch script (default " + script + " of the source tree).", "FILE"},
                     {"no-baseline", "Skip the PyTorch baseline."}});
}

// An explicit --baseline must exist (checked before the timed runs); the default script of the
// source tree may be absent in an installed build, which only skips the comparison.
void checkBaselineOptions(const QCommandLineParser& parser, OptionReader& read) {
  const bool explicitBaseline = parser.isSet("baseline");
  if (!read.failed() && explicitBaseline && parser.isSet("no-baseline")) {
    read.fail("--baseline: cannot be combined with --no-baseline");
  }
  if (!read.failed() && explicitBaseline && !QFileInfo(parser.value("baseline")).isFile()) {
    read.fail("--baseline: script not found: '" + io::clip(parser.value("baseline")) +
              "'; expected a readable .py file (or --no-baseline)");
  }
}

// The baseline's median seconds, or a negative number after printing why it is missing (to
// stdout when the default script is unavailable, to stderr with `status` 1 when an explicit
// --baseline failed).
double baselineSeconds(const QCommandLineParser& parser, const QString& defaultScript, const QStringList& arguments,
                       const QString& key, QTextStream& out, int& status) {
  const QString script = parser.isSet("baseline") ? parser.value("baseline")
                                                  : QStringLiteral(SCORESCOPE_SOURCE_DIR "/") + defaultScript;
  QString why;
  const double seconds = runBaseline(script, arguments, key, why);
  status = 0;
  if (seconds >= 0.0) return seconds;
  if (parser.isSet("baseline")) {  // asked for and failed: an error, not a footnote
    out.flush();
    QTextStream(stderr) << "scorescope bench: --baseline: " << oneLine(io::clip(why, 200)) << Qt::endl;
    status = 1;
  } else {
    out << "pytorch baseline: unavailable (" << why << ")\n";
  }
  return -1.0;
}

// Plain Eigen float products with the forward shapes of an MLP, W_l (sizes[l+1] x sizes[l]) times
// X_l (sizes[l] x batch): the rate a training step is compared with. Compiled with OpenMP like
// the core, so Eigen splits each product over the same threads.
class GemmReference {
 public:
  GemmReference(const std::vector<int>& sizes, Eigen::Index batch) {
    const CounterRng rng(1);
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
      weights_.push_back(random(sizes[l + 1], sizes[l], rng.derive(2 * l)));
      inputs_.push_back(random(sizes[l], batch, rng.derive(2 * l + 1)));
      outputs_.emplace_back(sizes[l + 1], batch);
      flops_ += 2.0 * double(sizes[l]) * sizes[l + 1] * double(batch);
    }
  }
  void run() {
    for (std::size_t l = 0; l < weights_.size(); ++l) outputs_[l].noalias() = weights_[l] * inputs_[l];
  }
  double flops() const { return flops_; }

 private:
  static Eigen::MatrixXf random(Eigen::Index rows, Eigen::Index cols, const CounterRng& rng) {
    return rng.uniforms(rows * cols, 0).cast<float>().reshaped(rows, cols);
  }
  std::vector<Eigen::MatrixXf> weights_, inputs_, outputs_;
  double flops_ = 0.0;
};

int benchPfOde(const QStringList& args) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "scorescope bench [pfode] [options]: PF-ODE Heun throughput (gmm8-ring, VP, uniform grid to t_min)\n"
      "against a PyTorch CPU baseline. scorescope bench train --help: a training step.");
  addOptions(parser, {{"particles", "Particles (default 100000).", "N"}, {"steps", "Heun steps (default 100).", "N"}},
             "bench/pfode_heun_torch.py");
  // args[0] is "PROGRAM bench MODE": support::parse takes the command's arguments after it.
  if (int status = 0; !support::parse(parser, QStringList{QString()} + args, "bench", status)) return status;
  QTextStream out(stdout);
  OptionReader read(parser);
  const int particles = static_cast<int>(read.integer("particles", 100000, 1, 100000000));
  const int steps = static_cast<int>(read.integer("steps", 100, 1, 100000));
  const int repeats = static_cast<int>(read.integer("repeats", 5, 1, 1000));
  const long long threads = read.integer("threads", 0, 1, 256);
  checkBaselineOptions(parser, read);
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
  int status = 0;
  const double baseline = baselineSeconds(parser, "bench/pfode_heun_torch.py",
                                          {"--particles", QString::number(particles), "--steps", QString::number(steps),
                                           "--repeats", QString::number(repeats), "--t-end", QString::number(tEnd, 'g', 17)},
                                          "median_seconds", out, status);
  if (baseline < 0.0) return status;
  out << QStringLiteral("%1 %2 %3\n").arg("pytorch CPU (float64)", -26).arg(baseline, 10, 'f', 4).arg(work / baseline, 18, 'e', 3);
  out << QStringLiteral("\nratio (pytorch / scorescope time): %1x\n").arg(baseline / ours, 0, 'f', 1);
  return 0;
}

// Median seconds of one PF-ODE Heun re-sampling of `x0` under the exact score of `target`.
double medianPfOdeSeconds(const std::shared_ptr<const Target>& target, const Points& x0, const std::vector<double>& ts,
                          int repeats, bool& finite) {
  const ExactScore model(target, Process(ProcessKind::Vp));
  samplePfOde(model, x0.topRows(std::min<Eigen::Index>(x0.rows(), 500)), ts, OdeMethod::Heun);  // warm-up
  std::vector<double> seconds;
  for (int r = 0; r < repeats; ++r) {
    QElapsedTimer timer;
    timer.start();
    const Points x = samplePfOde(model, x0, ts, OdeMethod::Heun);
    seconds.push_back(static_cast<double>(timer.nsecsElapsed()) * 1e-9);
    finite = finite && x.allFinite();
  }
  return median(seconds);
}

// A point-set target against the mixture, timed back to back in one process: re-sampling after
// a slider change is one PF-ODE run, and on a point set every step evaluates the exact
// empirical score (a softmax over the data) instead of 8 Gaussians.
int benchPointSet(const QStringList& args) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "scorescope bench pointset [options]: PF-ODE Heun re-sampling (VP, uniform grid to t_min) under the exact\n"
      "score of a point-set target and of gmm8-ring, back to back, and their ratio.");
  parser.addHelpOption();
  parser.addOptions({{"target", "Point-set preset (default two-moons).", "NAME"},
                     {"particles", "Particles (default 20000).", "N"},
                     {"steps", "Heun steps (default 100).", "N"},
                     {"repeats", "Timed runs of each target; the median is reported (default 5).", "N"},
                     {"threads", "Worker threads (default: one per core).", "N"}});
  if (int status = 0; !support::parse(parser, QStringList{QString()} + args, "bench", status)) return status;
  QTextStream out(stdout);
  OptionReader read(parser);
  const int particles = static_cast<int>(read.integer("particles", 20000, 1, 10000000));
  const int steps = static_cast<int>(read.integer("steps", 100, 1, 100000));
  const int repeats = static_cast<int>(read.integer("repeats", 5, 1, 1000));
  const long long threads = read.integer("threads", 0, 1, 256);
  const QString name = parser.isSet("target") ? parser.value("target") : QStringLiteral("two-moons");
  std::shared_ptr<const Target> pointSet(makePreset(name.toStdString()));
  if (!read.failed() && (!pointSet || name == "gmm8-ring")) {
    read.fail("--target: unknown point set '" + io::clip(name) + "'; expected one of " +
              QString::fromStdString(presetNames()) + " other than gmm8-ring");
  }
  if (read.failed()) return fail(read.error());
  setThreadCount(static_cast<int>(threads));

  const Process process(ProcessKind::Vp);
  const std::vector<double> ts = makeTimeGrid(process, steps, defaultTMin(process));
  const Points x0 = samplePrior(process, particles, CounterRng(0));
  bool finite = true;
  const double mixture = medianPfOdeSeconds(std::shared_ptr<const Target>(makeGmm8Ring()), x0, ts, repeats, finite);
  const double points = medianPfOdeSeconds(pointSet, x0, ts, repeats, finite);
  if (!finite) {
    QTextStream(stderr) << "scorescope bench: non-finite result" << Qt::endl;
    return 1;
  }
  out << "PF-ODE Heun re-sampling, VP, " << particles << " particles, " << steps << " steps, " << threadCount()
      << " threads, median of " << repeats << "\n\n";
  out << QStringLiteral("%1 %2\n").arg("target", -40).arg("median s", 10);
  out << QStringLiteral("%1 %2\n").arg("gmm8-ring (8 components)", -40).arg(mixture, 10, 'f', 4);
  out << QStringLiteral("%1 %2\n").arg(QString::fromStdString(name.toStdString() + " (" + pointSet->describe() + ")"), -40)
             .arg(points, 10, 'f', 4);
  out << QStringLiteral("\nratio (point set / mixture time): %1x\n").arg(points / mixture, 0, 'f', 2);
  return 0;
}

int benchTrain(const QStringList& args) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "scorescope bench train [options]: seconds per ScoreTrainer step (gmm8-ring, VP, eps loss, MLP 2-128x3-2\n"
      "with 16 time features, batch 1024, float), its GFLOP/s against plain Eigen products of the same\n"
      "shapes, and a PyTorch CPU baseline of the same step (bench/train_torch.py).");
  addOptions(parser, {{"steps", "Training steps per timed run (default 20).", "N"}}, "bench/train_torch.py");
  // args[0] is "PROGRAM bench MODE": support::parse takes the command's arguments after it.
  if (int status = 0; !support::parse(parser, QStringList{QString()} + args, "bench", status)) return status;
  QTextStream out(stdout);
  OptionReader read(parser);
  const int steps = static_cast<int>(read.integer("steps", 20, 1, 100000));
  const int repeats = static_cast<int>(read.integer("repeats", 5, 1, 1000));
  const long long threads = read.integer("threads", 0, 1, 256);
  checkBaselineOptions(parser, read);
  if (read.failed()) return fail(read.error());
  setThreadCount(static_cast<int>(threads));

  const int warmup = 3;
  TrainingSettings settings;
  settings.loss = TrainingLoss::Noise;
  settings.network = NetworkSpec{};  // score network, width 128, depth 3, 16 time features
  settings.batch = 1024;
  settings.steps = warmup + static_cast<long long>(steps) * repeats;
  const Process process(ProcessKind::Vp);
  ScoreTrainer trainer(std::shared_ptr<const Target>(makeGmm8Ring()), process, settings, "gmm8-ring");
  const std::vector<int> sizes = networkLayerSizes(settings.network);
  GemmReference gemm(sizes, settings.batch);
  double loss = 0.0;
  for (int i = 0; i < warmup; ++i) {
    loss = trainer.step();
    gemm.run();
  }
  // Blocks of training steps and of the reference products, interleaved so that both see the
  // same machine; each reported as the median over its blocks.
  std::vector<double> stepSeconds, gemmSeconds;
  for (int r = 0; r < repeats; ++r) {
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < steps; ++i) loss = trainer.step();
    stepSeconds.push_back(static_cast<double>(timer.nsecsElapsed()) * 1e-9 / steps);
    timer.restart();
    for (int i = 0; i < steps; ++i) gemm.run();
    gemmSeconds.push_back(static_cast<double>(timer.nsecsElapsed()) * 1e-9 / steps);
  }
  if (!std::isfinite(loss)) {
    QTextStream(stderr) << "scorescope bench: non-finite training loss" << Qt::endl;
    return 1;
  }
  const double ours = median(stepSeconds), gemmTime = median(gemmSeconds);
  const double flops = trainer.flopsPerStep(), batch = settings.batch;
  const double oursRate = flops / ours * 1e-9, gemmRate = gemm.flops() / gemmTime * 1e-9;
  QStringList shape;
  for (int size : sizes) shape << QString::number(size);
  out << "Training step: gmm8-ring, VP, eps loss, MLP " << shape.join('-') << " (16 time features), batch "
      << settings.batch << ", float, " << threadCount() << " threads, median of " << repeats << " runs of " << steps
      << " steps\n\n";
  out << QStringLiteral("%1 %2 %3 %4\n").arg("implementation", -30).arg("median s/step", 14).arg("samples/s", 12).arg("GFLOP/s", 9);
  out << QStringLiteral("%1 %2 %3 %4\n").arg("scorescope (C++/Eigen)", -30).arg(ours, 14, 'f', 5)
             .arg(batch / ours, 12, 'e', 3).arg(oursRate, 9, 'f', 1);
  out << QStringLiteral("%1 %2 %3 %4\n").arg("plain Eigen GEMM, fwd shapes", -30).arg("", 14).arg("", 12).arg(gemmRate, 9, 'f', 1);
  out << QStringLiteral("\ntraining step / plain GEMM rate: %1%\n").arg(100.0 * oursRate / gemmRate, 0, 'f', 0);
  if (parser.isSet("no-baseline")) return 0;
  out.flush();
  int status = 0;
  const double baseline = baselineSeconds(parser, "bench/train_torch.py",
                                          {"--steps", QString::number(steps), "--repeats", QString::number(repeats),
                                           "--threads", QString::number(threadCount()), "--batch",
                                           QString::number(settings.batch), "--t-min",
                                           QString::number(trainingTMin(process), 'g', 17)},
                                          "median_seconds_per_step", out, status);
  if (baseline < 0.0) return status;
  out << QStringLiteral("%1 %2 %3 %4\n").arg("pytorch CPU (float32)", -30).arg(baseline, 14, 'f', 5)
             .arg(batch / baseline, 12, 'e', 3).arg(flops / baseline * 1e-9, 9, 'f', 1);
  out << QStringLiteral("ratio (pytorch / scorescope time): %1x\n").arg(baseline / ours, 0, 'f', 1);
  return 0;
}

}  // namespace

int bench(const QStringList& args) {
  // args: the program, "bench", then an optional mode and the mode's options.
  QStringList rest = args.mid(2);
  QString mode = "pfode";
  if (!rest.isEmpty() && !rest.first().startsWith('-')) mode = rest.takeFirst();
  const QStringList parserArgs = QStringList{args.value(0) + " bench " + mode} + rest;
  if (mode == "pfode") return benchPfOde(parserArgs);
  if (mode == "train") return benchTrain(parserArgs);
  if (mode == "quality") return benchQuality(parserArgs);
  if (mode == "pointset") return benchPointSet(parserArgs);
  if (mode == "export") return benchExport(parserArgs);
  return fail("unknown mode '" + io::clip(mode) + "'; expected pfode (the default), train, quality, pointset or export");
}

}  // namespace scorescope::cli
