#include "cli/train_command.hpp"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>

#include "cli/command_support.hpp"
#include "io/model_file_io.hpp"
#include "io/text_file.hpp"
#include "scorescope/learned_score.hpp"
#include "scorescope/metrics.hpp"
#include "scorescope/scene_plan.hpp"
#include "scorescope/score_training.hpp"

namespace scorescope::cli {
namespace {

using namespace support;

// What the model file records as the target: the preset name or the mixture file's name.
std::string targetName(const TargetSpec& spec, const QString& given) {
  if (spec.source == TargetSource::Preset) return spec.preset;
  return io::clip(QFileInfo(given).fileName(), 80).toStdString();
}

}  // namespace

int train(const QStringList& args) {
  const QString command = "train";
  QCommandLineParser parser;
  addCommon(parser, "Train a score network by denoising score matching on a target (fresh samples every "
                    "step), or with --classifier a noisy classifier p(y | x_t, t), and write a model file. "
                    "A progress line goes to stderr; the summary (with the weighted score error against "
                    "the exact score) to stdout.");
  addProcess(parser);
  const TrainingSettings d;
  parser.addOptions({
      {"loss", "Loss: " + QString::fromStdString(lossNames()) + " (default eps). x0 and score weight the "
               "score error by s^4/a^2 and predict large values near t_min: they train slower and are worst "
               "at small t (samples come out shrunk), which is why eps is the default; ncsn is meaningful "
               "at its levels only (annealed-langevin).", "L"},
      {"steps", "Adam steps (default " + QString::number(d.steps) + ").", "N"},
      {"seed", "Random seed for the initial weights and every batch (default 0).", "S"},
      {"width", "Hidden units per layer (default " + QString::number(d.network.width) + ").", "W"},
      {"depth", "Hidden layers (default " + QString::number(d.network.depth) + ").", "D"},
      {"time-features", "Sinusoidal noise-level features, even (default " + QString::number(d.network.timeFeatures) + ").", "F"},
      {"batch", "Batch size (default " + QString::number(d.batch) + ").", "B"},
      {"lr", "Adam learning rate (default " + QString::number(d.adam.learningRate) + ").", "R"},
      {"schedule", "Learning-rate schedule: cosine (default: 2% warm-up, decay to 1%) or constant.", "S"},
      {"classes", "Class-conditional network with a null token (for classifier-free guidance)."},
      {"p-empty", "With --classes: probability of training on the null token (default " + QString::number(d.pEmpty) + ").", "P"},
      {"ncsn-levels", "With --loss ncsn: number of noise levels L (default " + QString::number(d.ncsnLevels) + ").", "L"},
      {"ema", "Decay of the weight average that is sampled and saved, in [0, 1); 0: raw weights (default " +
                  QString::number(d.emaDecay) + ").", "D"},
      {"classifier", "Train a noisy classifier p(y | x_t, t) instead of a score network."},
      {"out", "(required) Output model file." + kOutNote, "FILE"},
  });
  int status = 0;
  if (!parse(parser, args, command, status)) return status;

  OptionReader read(parser);
  applyThreads(read);
  TrainingSettings settings;
  const bool classifier = parser.isSet("classifier");
  for (const char* option : {"loss", "classes", "p-empty", "ncsn-levels"}) {
    if (classifier && parser.isSet(option)) read.fail(QStringLiteral("option --%1 does not apply with --classifier").arg(option));
  }
  const QString lossText = parser.isSet("loss") ? parser.value("loss") : "eps";
  if (!parseLoss(lossText.toStdString(), settings.loss)) {
    read.fail("--loss: unknown '" + io::clip(lossText) + "'; expected one of " + QString::fromStdString(lossNames()));
  }
  if (parser.isSet("ncsn-levels") && settings.loss != TrainingLoss::Ncsn) read.fail("option --ncsn-levels applies only to --loss ncsn");
  if (parser.isSet("p-empty") && !parser.isSet("classes")) read.fail("option --p-empty applies only with --classes");
  settings.steps = read.integer("steps", settings.steps, 1, kMaxTrainingSteps);
  settings.seed = static_cast<std::uint64_t>(read.integer("seed", 0, 0, static_cast<long long>(kMaxSeed)));
  settings.network.width = static_cast<int>(read.integer("width", d.network.width, 1, kMaxNetworkWidth));
  settings.network.depth = static_cast<int>(read.integer("depth", d.network.depth, 1, kMaxNetworkDepth));
  settings.network.timeFeatures = static_cast<int>(read.integer("time-features", d.network.timeFeatures, 0, kMaxTimeFeatures));
  if (settings.network.timeFeatures % 2 != 0) read.fail("--time-features: expected an even number in [0, 64]");
  settings.batch = static_cast<int>(read.integer("batch", d.batch, 1, kMaxBatch));
  settings.adam.learningRate = read.number("lr", d.adam.learningRate, 1e-8, 1.0);
  const QString schedule = parser.isSet("schedule") ? parser.value("schedule") : "cosine";
  if (!parseSchedule(schedule.toStdString(), settings.adam.schedule)) {
    read.fail("--schedule: unknown '" + io::clip(schedule) + "'; expected cosine or constant");
  }
  settings.pEmpty = read.number("p-empty", d.pEmpty, 0.0, 1.0);
  settings.emaDecay = read.number("ema", d.emaDecay, 0.0, 0.999999);
  settings.ncsnLevels = static_cast<int>(read.integer("ncsn-levels", d.ncsnLevels, 2, kMaxNcsnLevels));
  const TargetSpec spec = read.targetSpec();
  const Process process(read.process());
  const QString outPath = read.outputPath();
  std::shared_ptr<const Target> target;
  if (!read.failed()) {
    std::string error;
    target = buildTarget(spec, settings.seed, error);
    if (!target) read.fail("--" + QString::fromStdString(error));
  }
  if (!read.failed() && (classifier || parser.isSet("classes"))) {
    if (target->labelCount() < 2) {
      read.fail(QStringLiteral("--%1: the target '%2' has no class labels").arg(classifier ? "classifier" : "classes",
                                                                                 io::clip(parser.value("target"))));
    }
    settings.network.classes = target->labelCount();
  }
  if (classifier) settings.network.role = NetworkRole::Classifier;
  if (read.failed()) return failWith(command, read.error());

  ScoreTrainer trainer(target, process, settings, targetName(spec, parser.value("target")));
  QElapsedTimer timer, lastReport;
  timer.start();
  lastReport.start();
  QTextStream err(stderr);
  double recent = 0.0;  // mean loss of the last steps, for the progress line and the summary
  const auto report = [&](bool last) {
    const double seconds = std::max(1e-9, double(timer.nsecsElapsed()) * 1e-9);
    err << QStringLiteral("\rtrain: step %1/%2  loss %3  %4 samples/s ")
               .arg(trainer.stepsDone())
               .arg(settings.steps)
               .arg(recent, 0, 'f', 4)
               .arg(double(trainer.stepsDone()) * settings.batch / seconds, 0, 'f', 0);
    if (last) err << '\n';
    err.flush();
  };
  while (!trainer.finished()) {
    const double loss = trainer.step();
    if (!std::isfinite(loss)) {
      err << '\n';
      return failWith(command, QStringLiteral("the loss became non-finite at step %1; try a smaller --lr")
                                   .arg(trainer.stepsDone()));
    }
    recent = trainer.stepsDone() == 1 ? loss : 0.98 * recent + 0.02 * loss;
    if (lastReport.elapsed() >= 500) {
      report(false);
      lastReport.restart();
    }
  }
  report(true);
  const double seconds = double(timer.nsecsElapsed()) * 1e-9;
  const std::shared_ptr<const TrainedNetwork> network = trainer.snapshot();
  const QString error = io::writeModelFile(outPath, *network);
  if (!error.isEmpty()) return failWith(command, error);

  QString quality;
  if (classifier) {
    quality = "noisy classifier";
  } else {
    const LearnedScore learned(network);
    const ExactScore exact(target, process);
    const double scoreError =
        weightedScoreError(learned, exact, *target, 20, 2000, trainingTMin(process), CounterRng(settings.seed).derive(7));
    quality = QStringLiteral("%1 loss, weighted score error %2").arg(lossName(settings.loss).data()).arg(scoreError, 0, 'f', 4);
  }
  out() << QStringLiteral("wrote %1 (%2, %3, %4, %5 steps, final loss %6, %7 s)\n")
               .arg(outPath, quality, QString::fromUtf8(processName(process.kind()).data()),
                    QString::fromStdString(network->targetName))
               .arg(trainer.stepsDone())
               .arg(recent, 0, 'f', 4)
               .arg(seconds, 0, 'f', 1);
  out().flush();
  return 0;
}

}  // namespace scorescope::cli
