#include "cli/bench_quality.hpp"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>

#include "cli/command_support.hpp"
#include "cli/options.hpp"
#include "io/text_file.hpp"
#include "scorescope/learned_score.hpp"
#include "scorescope/metrics.hpp"
#include "scorescope/parallel.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/sampler_run.hpp"
#include "scorescope/score_training.hpp"

namespace scorescope::cli {
namespace {

struct QualityRun {
  double exactW1 = 0.0;
  double learnedW1 = 0.0;
  long long steps = 0;
  double trainingSeconds = 0.0;
  bool reached = false;
};

// Trains with the default settings, checking every `every` steps (the check is not timed).
QualityRun timeToQuality(const std::string& preset, int samples, int every, long long maxSteps, QTextStream& log) {
  const std::shared_ptr<const Target> target = makePreset(preset, 0);
  const Process process(ProcessKind::Vp);
  SamplerSettings heun = defaultSamplerSettings(SamplerKind::OdeHeun);
  heun.steps = 50;
  const Points reference = target->sample(samples, CounterRng(99), nullptr);
  const Points start = initialParticles(process, heun, samples, CounterRng(7));
  const auto w1 = [&](const ScoreModel& model) {
    return slicedWasserstein(runSampler(model, heun, start, CounterRng(7)).final, reference, 1, 128, 3);
  };
  QualityRun run;
  run.exactW1 = w1(ExactScore(target, process));
  TrainingSettings settings;
  settings.steps = maxSteps;
  ScoreTrainer trainer(target, process, settings, preset);
  QElapsedTimer timer;
  while (!trainer.finished()) {
    timer.start();
    for (int i = 0; i < every && !trainer.finished(); ++i) trainer.step();
    run.trainingSeconds += double(timer.nsecsElapsed()) * 1e-9;
    run.steps = trainer.stepsDone();
    run.learnedW1 = w1(LearnedScore(trainer.snapshot()));
    log << QStringLiteral("  %1: step %2, %3 s training, sliced W1 learned %4 (exact %5)\n")
               .arg(QString::fromStdString(preset))
               .arg(run.steps)
               .arg(run.trainingSeconds, 0, 'f', 1)
               .arg(run.learnedW1, 0, 'f', 4)
               .arg(run.exactW1, 0, 'f', 4);
    log.flush();
    if (run.learnedW1 <= 2.0 * run.exactW1) {
      run.reached = true;
      break;
    }
  }
  return run;
}

}  // namespace

int benchQuality(const QStringList& args) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "scorescope bench quality [options]: training seconds until the learned PF-ODE (Heun, 50 steps) samples\n"
      "are within 2x of the exact-score sampler's sliced W1 to exact target samples, on two-moons and\n"
      "gmm8-ring (VP, eps loss, the default network and optimiser of scorescope train).");
  parser.addHelpOption();
  parser.addOptions({{"samples", "Samples on each side of the sliced W1 (default 5000).", "N"},
                     {"every", "Training steps between checks (default 100; checks are not timed).", "N"},
                     {"max-steps", "Give up after this many steps (default 6000).", "N"},
                     {"threads", "Worker threads (default: one per core).", "N"}});
  if (int status = 0; !support::parse(parser, QStringList{QString()} + args, "bench quality", status)) return status;
  QTextStream out(stdout);
  OptionReader read(parser);
  const int samples = static_cast<int>(read.integer("samples", 5000, 100, 1000000));
  const int every = static_cast<int>(read.integer("every", 100, 1, 100000));
  const long long maxSteps = read.integer("max-steps", 6000, 1, kMaxTrainingSteps);
  const long long threads = read.integer("threads", 0, 1, 256);
  if (read.failed()) return support::failWith("bench quality", read.error());
  setThreadCount(static_cast<int>(threads));

  out << "Time to quality, " << threadCount() << " threads, sliced W1 with " << samples << " samples a side\n";
  std::vector<std::pair<std::string, QualityRun>> runs;
  for (const std::string preset : {"two-moons", "gmm8-ring"}) runs.emplace_back(preset, timeToQuality(preset, samples, every, maxSteps, out));
  out << QStringLiteral("\n%1 %2 %3 %4 %5\n").arg("target", -12).arg("exact W1", 9).arg("learned W1", 11).arg("steps", 7).arg("seconds", 9);
  bool all = true;
  for (const auto& [name, run] : runs) {
    out << QStringLiteral("%1 %2 %3 %4 %5%6\n")
               .arg(QString::fromStdString(name), -12)
               .arg(run.exactW1, 9, 'f', 4)
               .arg(run.learnedW1, 11, 'f', 4)
               .arg(run.steps, 7)
               .arg(run.trainingSeconds, 9, 'f', 1)
               .arg(run.reached ? "" : "  (not reached)");
    all = all && run.reached;
  }
  return all ? 0 : 1;
}

}  // namespace scorescope::cli
