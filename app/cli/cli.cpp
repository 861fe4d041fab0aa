#include "cli/cli.hpp"

#include <QCommandLineParser>
#include <QTextStream>
#include <cstdio>
#include <stdexcept>

#include "cli/bench.hpp"
#include "cli/command_support.hpp"
#include "cli/sample_command.hpp"
#include "cli/options.hpp"
#include "cli/train_command.hpp"
#include "io/viewport_options.hpp"
#include "io/points_csv.hpp"
#include "io/text_file.hpp"
#include "scorescope/guidance.hpp"
#include "scorescope/learned_score.hpp"
#include "scorescope/score_training.hpp"
#include "scorescope/metrics.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/scene_plan.hpp"
#include "scorescope/time_grid.hpp"

namespace scorescope::cli {
namespace {

using namespace support;

int forward(const QStringList& args) {
  const QString command = "forward";
  QCommandLineParser parser;
  addCommon(parser, "Noise data samples: x_t = a(t) x0 + s(t) eps (labels are the data's classes).");
  addProcess(parser);
  parser.addOptions({{"t", "(required) Time in [0, 1] (DDPM uses t = k/T).", "TIME"},
                     {"n", "Number of samples (default " + QString::number(SampledScene{}.particles) + ").", "N"},
                     {"seed", "Random seed (default 0).", "S"},
                     {"out", "(required) Output CSV: x,y,label." + kOutNote, "FILE"}});
  int status = 0;
  if (!parse(parser, args, command, status)) return status;
  OptionReader read(parser);
  applyThreads(read);
  const auto seed = static_cast<std::uint64_t>(read.integer("seed", 0, 0, static_cast<long long>(kMaxSeed)));
  const std::shared_ptr<const Target> target = read.target(seed);
  const Process process(read.process());
  const double t = read.time();
  const auto n = static_cast<Eigen::Index>(read.integer("n", SampledScene{}.particles, 1, kMaxParticles));
  const QString outPath = read.outputPath();
  if (read.failed()) return failWith(command, read.error());

  // The forward lesson's data and noise, so this CSV is what the viewport shows at t.
  const ForwardData data = sampleForwardData(*target, n, seed);
  const Points xt = process.noised(data.x0, data.eps, t);
  const QString error = writePoints(outPath, xt, data.labels.size() > 0 ? &data.labels : nullptr);
  if (!error.isEmpty()) return failWith(command, error);
  out() << QStringLiteral("wrote %1 noised samples at t = %2 (a = %3, s = %4) to %5\n")
               .arg(n).arg(t).arg(process.a(t)).arg(process.s(t)).arg(outPath);
  out().flush();
  return 0;
}

// Shared by score and nll: --points FILE (read only when everything before it was valid).
std::optional<Points> readPoints(OptionReader& read) {
  const QString path = read.text("points", true);
  if (read.failed()) return std::nullopt;
  QString error;
  auto csv = io::readPointsCsv(path, error);
  if (!csv) {
    read.fail("--points: " + error);
    return std::nullopt;
  }
  return std::move(csv->points);
}

int score(const QStringList& args) {
  const QString command = "score";
  QCommandLineParser parser;
  addCommon(parser, "Exact score grad log p_t at given points (with --model: the learned score).");
  addProcess(parser, true);
  addModelOptions(parser, false);
  parser.addOptions({{"t", "(required) Time in [0, 1] (point-set targets need s(t) > 0).", "TIME"},
                     {"points", "(required) Input CSV with header x,y[,label].", "FILE"},
                     {"out", "(required) Output CSV: x,y,sx,sy." + kOutNote, "FILE"}});
  int status = 0;
  if (!parse(parser, args, command, status)) return status;
  OptionReader read(parser);
  applyThreads(read);
  const std::shared_ptr<const Target> target = read.target(0);
  LearnedModels learned;
  const Process process(readProcessAndModels(parser, read, learned));
  if (learned.score) checkModelTargets(parser, read.targetSpec(), learned, read);
  const double t = read.time();
  const std::optional<Points> points = readPoints(read);
  const QString outPath = read.outputPath();
  if (!read.failed() && learned.score && t < trainingTMin(process)) {
    read.fail(QStringLiteral("--t: the learned score was trained for t in [%1, 1] (s/a >= 0.01); got %2")
                  .arg(trainingTMin(process), 0, 'g', 4)
                  .arg(t, 0, 'g', 4));
  }
  if (!read.failed() && process.s(t) == 0.0 && !target->hasDensityAtZeroNoise()) {
    read.fail(QStringLiteral("--t: a point-set target has no score at s(t) = 0; expected t in (0, 1]"));
  }
  if (read.failed()) return failWith(command, read.error());

  const Points score = learned.score ? LearnedScore(learned.score).score(*points, t)
                                     : target->evaluate(*points, process.a(t), process.s(t), {.score = true}).score;
  const Eigen::VectorXd xs = points->col(0), ys = points->col(1), sx = score.col(0), sy = score.col(1);
  const QString error = io::writeCsv(outPath, {"x", "y", "sx", "sy"}, {&xs, &ys, &sx, &sy});
  if (!error.isEmpty()) return failWith(command, error);
  out() << QStringLiteral("wrote %1 scores at t = %2 to %3\n").arg(points->rows()).arg(t).arg(outPath);
  out().flush();
  return 0;
}

int nll(const QStringList& args) {
  const QString command = "nll";
  QCommandLineParser parser;
  addCommon(parser, "Negative log-likelihood -log p_t0(x) by the probability-flow ODE with the exact "
                    "score and exact 2D divergence, integrated with RK4 from t0 = t_min (where "
                    "s/a = 0.01) to 1. With --model the learned score (divergence by central differences).");
  addProcess(parser, true);
  addModelOptions(parser, false);
  parser.addOptions({{"points", "(required) Input CSV with header x,y[,label].", "FILE"},
                     {"steps", "RK4 steps (default 200).", "N"},
                     {"prior", "log p_1 used at t = 1: gaussian N(0, s(1)^2 I) (default) or exact.", "P"},
                     {"out", "(required) Output CSV: x,y,nll." + kOutNote, "FILE"}});
  int status = 0;
  if (!parse(parser, args, command, status)) return status;
  OptionReader read(parser);
  applyThreads(read);
  const std::shared_ptr<const Target> target = read.target(0);
  LearnedModels learned;
  const Process process(readProcessAndModels(parser, read, learned));
  if (learned.score) checkModelTargets(parser, read.targetSpec(), learned, read);
  const int steps = static_cast<int>(read.integer("steps", 200, 1, 100000));
  const QString prior = parser.isSet("prior") ? parser.value("prior") : "gaussian";
  if (prior != "gaussian" && prior != "exact") read.fail("--prior: unknown '" + io::clip(prior) + "'; expected gaussian or exact");
  const std::optional<Points> points = readPoints(read);
  const QString outPath = read.outputPath();
  if (read.failed()) return failWith(command, read.error());

  std::shared_ptr<const ScoreModel> model = std::make_shared<ExactScore>(target, process);
  if (learned.score) model = std::make_shared<LearnedScore>(learned.score);
  LogDensityFn logPrior = gaussianPrior(process);
  if (prior == "exact") {
    logPrior = [&](const Points& x) {
      return target->evaluate(x, process.a(1.0), process.s(1.0), {.logDensity = true}).logDensity;
    };
  }
  const Eigen::VectorXd nll = -pfOdeLogLikelihood(*model, *points, defaultTMin(process), steps, logPrior);
  const Eigen::VectorXd xs = points->col(0), ys = points->col(1);
  const QString error = io::writeCsv(outPath, {"x", "y", "nll"}, {&xs, &ys, &nll});
  if (!error.isEmpty()) return failWith(command, error);
  out() << QStringLiteral("wrote %1 log-likelihoods to %2 (mean nll %3)\n").arg(points->rows()).arg(outPath).arg(nll.mean());
  out().flush();
  return 0;
}

const QStringList kCommands{"sample", "train", "forward", "score", "nll", "bench", "render"};
const QStringList kHelp{"help", "--help", "-h"};

int usage() {
  out() << "usage: scorescope [FILE.json] [viewport options]   open the viewport (default: lesson 2 on gmm8-ring)\n"
           "       scorescope <command> [options]             run headless\n\n"
           "viewport options:\n"
        << io::viewportOptionsHelp().section("Options:\n", 1).section("\nArguments:", 0, 0) << "\n"
           "commands:\n"
           "  sample   draw samples with a sampler driven by the exact (or a learned) score\n"
           "  train    train a score network or a noisy classifier; write a model file\n"
           "  forward  noise data samples to time t\n"
           "  score    exact (or learned) score grad log p_t at given points\n"
           "  nll      PF-ODE negative log-likelihood at given points\n"
           "  bench    PF-ODE (default) or training-step (bench train) throughput against PyTorch CPU\n"
           "  render   export a scene file as MP4, GIF or PNG frames without a display\n\n"
           "scorescope <command> --help lists the command's options and defaults.\n";
  out().flush();
  return 0;
}

}  // namespace

bool isCommand(const QStringList& args) {
  if (args.size() < 2) return false;
  const QString& first = args[1];
  // The viewport takes flags (--lesson 3 ...) and scene or lecture .json files; anything else is a
  // command, so a misspelt one gets the list of commands instead of a window.
  return kHelp.contains(first) || (!first.startsWith('-') && !first.endsWith(".json", Qt::CaseInsensitive));
}

namespace {

int dispatch(const QStringList& args) {
  const QString command = args.value(1);
  if (kHelp.contains(command)) return usage();
  if (command == "sample") return sample(args);
  if (command == "train") return train(args);
  if (command == "forward") return forward(args);
  if (command == "score") return score(args);
  if (command == "nll") return nll(args);
  if (command == "bench") return bench(args);
  QTextStream(stderr) << "scorescope: unknown command '" << io::clip(command) << "'; commands: "
                      << kCommands.join(", ") << ", help (scorescope help describes them)" << Qt::endl;
  return 2;
}

}  // namespace

int run(const QStringList& args) {
  // Nothing escapes as an abort: a check that only core makes (invalid_argument) is bad input,
  // exit 2; anything else (bad_alloc, runtime_error) is a failure of the run, exit 1.
  const QString command = io::clip(args.value(1));
  try {
    return dispatch(args);
  } catch (const std::invalid_argument& e) {
    QTextStream(stderr) << "scorescope " << command << ": " << oneLine(QString::fromUtf8(e.what())) << Qt::endl;
    return 2;
  } catch (const std::exception& e) {
    QTextStream(stderr) << "scorescope " << command << ": " << oneLine(QString::fromUtf8(e.what())) << Qt::endl;
    return 1;
  }
}

}  // namespace scorescope::cli
