#include "cli/cli.hpp"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>
#include <cstdio>
#include <stdexcept>

#include "cli/bench.hpp"
#include "cli/options.hpp"
#include "io/points_csv.hpp"
#include "io/text_file.hpp"
#include "scorescope/guidance.hpp"
#include "scorescope/metrics.hpp"
#include "scorescope/parallel.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/sampler_run.hpp"
#include "scorescope/scene_plan.hpp"
#include "scorescope/time_grid.hpp"

namespace scorescope::cli {
namespace {

// --out is always a regular file: written under a temporary name and renamed when complete;
// stdout carries the summary line, so "-" and devices (/dev/stdout, /dev/null) are refused.
const QString kOutNote = " A regular file, replaced atomically; '-' and devices are refused.";

QTextStream& out() {
  static QTextStream stream(stdout);
  return stream;
}

int failWith(const QString& command, const QString& message) {
  QTextStream(stderr) << "scorescope " << command << ": " << oneLine(message) << Qt::endl;
  return 2;
}

void addCommon(QCommandLineParser& parser, const QString& summary) {
  parser.setApplicationDescription(summary);
  parser.addHelpOption();
  parser.addOption({"target", "(required) Preset (" + QString::fromStdString(presetNames()) +
                                  ") or a mixture .json file.", "T"});
  parser.addOption({"threads", "Worker threads (default: one per core).", "N"});
}

void addProcess(QCommandLineParser& parser) {
  parser.addOption({"process", "(required) Forward process: " + QString::fromStdString(processNames()) + ".", "P"});
}

QString writePoints(const QString& path, const Points& x, const Labels* labels) {
  const Eigen::VectorXd xs = x.col(0), ys = x.col(1);
  QStringList header{"x", "y"};
  if (labels) header << "label";
  return io::writeCsv(path, header, {&xs, &ys}, labels);
}

// Applies --threads; returns false (with the reader failed) on a bad value.
void applyThreads(OptionReader& read) {
  const long long threads = read.integer("threads", 0, 1, 256);
  if (!read.failed()) setThreadCount(static_cast<int>(threads));
}

bool parse(QCommandLineParser& parser, const QStringList& args, const QString& command, int& status) {
  if (!parser.parse(args.mid(1))) {
    status = failWith(command, io::clip(parser.errorText(), 120));
    return false;
  }
  if (parser.isSet("help")) {
    out() << parser.helpText();
    out().flush();
    status = 0;
    return false;
  }
  if (const QString invalid = checkArguments(parser); !invalid.isEmpty()) {
    status = failWith(command, invalid);
    return false;
  }
  return true;
}

// Sampler options and the registry bit (SamplerInfo::options) that says a sampler reads them.
struct SamplerOptionUse {
  const char* option;
  unsigned bit;
};
constexpr SamplerOptionUse kSamplerOptionUses[] = {
    {"grid", kUsesGrid},           {"variance", kUsesDdpmVariance},  {"eta", kUsesDdimEta},
    {"rtol", kUsesTolerances},     {"atol", kUsesTolerances},        {"langevin-step", kUsesLangevin},
    {"steps-per-level", kUsesAnnealing}, {"annealed-eps", kUsesAnnealing},
    {"corrector-steps", kUsesCorrector}, {"snr", kUsesCorrector},
};

// Fails on an option the chosen sampler would ignore, naming the samplers that read it.
void rejectUnusedSamplerOptions(const QCommandLineParser& parser, SamplerKind kind, OptionReader& read) {
  for (const SamplerOptionUse& use : kSamplerOptionUses) {
    if (!parser.isSet(use.option) || (samplerInfo(kind).options & use.bit)) continue;
    QStringList users;
    for (SamplerKind other : kAllSamplerKinds) {
      if (samplerInfo(other).options & use.bit) users << QString::fromUtf8(samplerName(other).data());
    }
    read.fail(QStringLiteral("option --%1 does not apply to sampler %2 (it applies to: %3)")
                  .arg(use.option, QString::fromUtf8(samplerName(kind).data()), users.join(", ")));
  }
}

// "ddpm 1000, ddim 100, ..." from the sampler registry.
QString defaultStepsText() {
  QStringList parts;
  for (SamplerKind kind : kAllSamplerKinds) {
    parts << QString::fromUtf8(samplerName(kind).data()) + " " + QString::number(defaultSteps(kind));
  }
  return parts.join(", ");
}

int sample(const QStringList& args) {
  const QString command = "sample";
  QCommandLineParser parser;
  addCommon(parser, "Draw samples with a sampler driven by the exact score of the target.\n"
                    "Samplers run from t = 1 down to t_min, the time where s(t)/a(t) = 0.01 "
                    "(about 1e-3 for vp and ddpm, 1e-5 for ou, 0 for ve), then return Tweedie's "
                    "denoised mean D(x, t_min); ddpm and ddim step on the grid k/T down to t = 0.");
  addProcess(parser);
  const SamplerSettings d;  // core's defaults, shown in the help
  parser.addOptions({
      {"sampler", "(required) Sampler: " + QString::fromStdString(samplerNames()) + ".", "S"},
      {"steps", "Steps (default: " + defaultStepsText() + "; annealed-langevin: levels x steps-per-level; "
                "ode-rk45: the most steps it may take).", "N"},
      {"n", "Number of samples (default " + QString::number(SampledScene{}.particles) + ").", "N"},
      {"seed", "Random seed (default 0).", "S"},
      {"out", "(required) Output CSV: x,y[,label]." + kOutNote, "FILE"},
      {"eta", "DDIM eta in [0, 1] (default " + QString::number(d.ddimEta) + ", deterministic).", "E"},
      {"variance", "DDPM variance: posterior (beta~, default) or beta.", "V"},
      {"grid", "Time grid: uniform (default) or karras (EDM sigmas, rho 7; not with ddpm or ddim, which end at t = 0).", "G"},
      {"langevin-step", "Plain Langevin step eta (default " + QString::number(d.langevinStepSize) +
                            "), run at noise level s/a = " + QString::number(d.langevinNoiseLevel) + ".", "E"},
      {"steps-per-level", "Annealed Langevin steps per level T (default " + QString::number(d.stepsPerLevel) + ").", "T"},
      {"annealed-eps", "Annealed Langevin eta at the last level (default " + QString::number(d.annealedEpsilon) + ").", "E"},
      {"corrector-steps", "Predictor-corrector Langevin steps M (default " + QString::number(d.correctorSteps) + ").", "M"},
      {"snr", "Predictor-corrector signal-to-noise ratio r (default " + QString::number(d.correctorSnr) + ").", "R"},
      {"rtol", "ode-rk45 relative tolerance (default " + QString::number(d.rk45.rtol) + ").", "R"},
      {"atol", "ode-rk45 absolute tolerance (default " + QString::number(d.rk45.atol) + ").", "A"},
      {"no-denoise", "Return x at t_min instead of the denoised mean."},
      {"class", "Class label to condition or guide on.", "Y"},
      {"guidance", "none (default; with --class: exact conditional), classifier, or cfg.", "G"},
      {"scale", "Guidance scale: classifier gamma, or cfg w / gamma (default 1).", "G"},
      {"cfg-convention", "cfg scale convention: w (Ho & Salimans, default) or gamma (= 1 + w).", "C"},
  });
  int status = 0;
  if (!parse(parser, args, command, status)) return status;

  OptionReader read(parser);
  applyThreads(read);
  // The CLI's flags fill the same scene value the viewport edits; the planner builds the models.
  SampledScene scene;
  scene.lesson = Lesson::Guidance;  // a sampling scene: `sampler` under `guidance`
  scene.seed = static_cast<std::uint64_t>(read.integer("seed", 0, 0, static_cast<long long>(kMaxSeed)));
  scene.target = read.targetSpec();
  scene.process = read.process();
  SamplerSettings& settings = scene.sampler;
  const QString samplerName = read.text("sampler", true);
  if (!read.failed() && !parseSamplerKind(samplerName.toStdString(), settings.kind)) {
    read.fail(QStringLiteral("--sampler: unknown '%1'; expected one of %2")
                  .arg(io::clip(samplerName), QString::fromStdString(samplerNames())));
  }
  settings.steps = static_cast<int>(read.integer("steps", defaultSteps(settings.kind), 1, kMaxSamplerSteps));
  scene.particles = static_cast<int>(read.integer("n", scene.particles, 1, kMaxParticles));
  const auto n = static_cast<Eigen::Index>(scene.particles);
  const QString outPath = read.outputPath();
  if (!read.failed()) rejectUnusedSamplerOptions(parser, settings.kind, read);
  settings.ddimEta = read.number("eta", settings.ddimEta, 0.0, 1.0);
  const QString variance = parser.value("variance");
  if (variance == "beta") settings.ddpmVariance = DdpmVariance::Beta;
  else if (!variance.isEmpty() && variance != "posterior")
    read.fail("--variance: unknown '" + io::clip(variance) + "'; expected posterior or beta");
  const QString grid = parser.value("grid");
  if (grid == "karras") settings.spacing = GridSpacing::Karras;
  else if (!grid.isEmpty() && grid != "uniform")
    read.fail("--grid: unknown '" + io::clip(grid) + "'; expected uniform or karras");
  settings.langevinStepSize = read.number("langevin-step", settings.langevinStepSize, 1e-12, 10.0);
  settings.stepsPerLevel = static_cast<int>(read.integer("steps-per-level", settings.stepsPerLevel, 1, kMaxSamplerSteps));
  settings.annealedEpsilon = read.number("annealed-eps", settings.annealedEpsilon, 1e-12, 10.0);
  settings.correctorSteps = static_cast<int>(read.integer("corrector-steps", settings.correctorSteps, 0, 100));
  settings.correctorSnr = read.number("snr", settings.correctorSnr, 1e-6, 10.0);
  settings.rk45.rtol = read.number("rtol", settings.rk45.rtol, 1e-12, 1.0);
  settings.rk45.atol = read.number("atol", settings.rk45.atol, 1e-12, 1.0);
  settings.denoiseFinal = !parser.isSet("no-denoise");

  const QString guidance = parser.isSet("guidance") ? parser.value("guidance") : "none";
  if (guidance != "none" && guidance != "classifier" && guidance != "cfg") {
    read.fail("--guidance: unknown '" + io::clip(guidance) + "'; expected none, classifier or cfg");
  }
  const double scale = read.number("scale", 1.0, 0.0, kMaxGuidanceScale);
  const QString convention = parser.isSet("cfg-convention") ? parser.value("cfg-convention") : "w";
  if (convention != "w" && convention != "gamma") {
    read.fail("--cfg-convention: unknown '" + io::clip(convention) + "'; expected w or gamma");
  }
  if (parser.isSet("scale") && guidance == "none") {
    read.fail("option --scale does not apply without guidance (it applies to: --guidance classifier, cfg)");
  }
  if (parser.isSet("cfg-convention") && guidance != "cfg") {
    read.fail("option --cfg-convention does not apply without --guidance cfg");
  }
  if (parser.isSet("class")) {
    scene.guidance.label = static_cast<int>(read.integer("class", 0, 0, kMaxLabel));
    scene.guidance.kind = guidance == "classifier" ? GuidanceKind::Classifier
                          : guidance == "cfg"      ? GuidanceKind::ClassifierFree
                                                   : GuidanceKind::Conditional;
  } else if (guidance != "none" && !read.failed()) {
    read.fail("--class: required with --guidance " + guidance);
  }
  // The scene stores CFG as w (Ho & Salimans); the lecture notes' gamma is 1 + w.
  scene.guidance.scale = guidance == "cfg" && convention == "gamma" ? scale - 1.0 : scale;
  if (!read.failed()) {
    const std::string invalid = validateSamplerSettings(settings);
    if (!invalid.empty()) read.fail("--" + QString::fromStdString(invalid));
  }
  if (read.failed()) return failWith(command, read.error());
  const ScenePlan plan = planScene(scene);
  if (!plan.ok()) return failWith(command, "--" + QString::fromStdString(plan.error));

  QElapsedTimer timer;
  timer.start();
  RecordOptions record;
  record.memoryBudgetBytes = 0;  // only the final batch is needed here
  std::vector<RunResult> results;
  try {
    results = executeRuns(plan, scene, record);
  } catch (const SamplerStoppedEarly& e) {  // e.g. ode-rk45 with too few --steps: bad input
    return failWith(command, QString::fromStdString(e.what()));
  }
  const RunResult& result = results.front();
  const Trajectory& run = result.trajectory;
  if (!run.final.allFinite()) {
    return failWith(command, "the sampler diverged (non-finite values); try more --steps or a smaller step size");
  }
  const QString error = writePoints(outPath, run.final, result.labels.size() > 0 ? &result.labels : nullptr);
  if (!error.isEmpty()) return failWith(command, error);
  out() << QStringLiteral("wrote %1 samples to %2 (%3, %4, %5 steps, %6 s)\n")
               .arg(n)
               .arg(outPath, samplerName, QString::fromUtf8(processName(scene.process).data()))
               .arg(run.times.size() - 1)
               .arg(static_cast<double>(timer.elapsed()) / 1000.0);
  out().flush();
  return 0;
}

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
  addCommon(parser, "Exact score grad log p_t at given points.");
  addProcess(parser);
  parser.addOptions({{"t", "(required) Time in [0, 1] (point-set targets need s(t) > 0).", "TIME"},
                     {"points", "(required) Input CSV with header x,y[,label].", "FILE"},
                     {"out", "(required) Output CSV: x,y,sx,sy." + kOutNote, "FILE"}});
  int status = 0;
  if (!parse(parser, args, command, status)) return status;
  OptionReader read(parser);
  applyThreads(read);
  const std::shared_ptr<const Target> target = read.target(0);
  const Process process(read.process());
  const double t = read.time();
  const std::optional<Points> points = readPoints(read);
  const QString outPath = read.outputPath();
  if (!read.failed() && process.s(t) == 0.0 && !target->hasDensityAtZeroNoise()) {
    read.fail(QStringLiteral("--t: a point-set target has no score at s(t) = 0; expected t in (0, 1]"));
  }
  if (read.failed()) return failWith(command, read.error());

  const Points score = target->evaluate(*points, process.a(t), process.s(t), {.score = true}).score;
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
                    "s/a = 0.01) to 1.");
  addProcess(parser);
  parser.addOptions({{"points", "(required) Input CSV with header x,y[,label].", "FILE"},
                     {"steps", "RK4 steps (default 200).", "N"},
                     {"prior", "log p_1 used at t = 1: gaussian N(0, s(1)^2 I) (default) or exact.", "P"},
                     {"out", "(required) Output CSV: x,y,nll." + kOutNote, "FILE"}});
  int status = 0;
  if (!parse(parser, args, command, status)) return status;
  OptionReader read(parser);
  applyThreads(read);
  const std::shared_ptr<const Target> target = read.target(0);
  const Process process(read.process());
  const int steps = static_cast<int>(read.integer("steps", 200, 1, 100000));
  const QString prior = parser.isSet("prior") ? parser.value("prior") : "gaussian";
  if (prior != "gaussian" && prior != "exact") read.fail("--prior: unknown '" + io::clip(prior) + "'; expected gaussian or exact");
  const std::optional<Points> points = readPoints(read);
  const QString outPath = read.outputPath();
  if (read.failed()) return failWith(command, read.error());

  const ExactScore model(target, process);
  LogDensityFn logPrior = gaussianPrior(process);
  if (prior == "exact") {
    logPrior = [&](const Points& x) {
      return target->evaluate(x, process.a(1.0), process.s(1.0), {.logDensity = true}).logDensity;
    };
  }
  const Eigen::VectorXd nll = -pfOdeLogLikelihood(model, *points, defaultTMin(process), steps, logPrior);
  const Eigen::VectorXd xs = points->col(0), ys = points->col(1);
  const QString error = io::writeCsv(outPath, {"x", "y", "nll"}, {&xs, &ys, &nll});
  if (!error.isEmpty()) return failWith(command, error);
  out() << QStringLiteral("wrote %1 log-likelihoods to %2 (mean nll %3)\n").arg(points->rows()).arg(outPath).arg(nll.mean());
  out().flush();
  return 0;
}

const QStringList kCommands{"sample", "forward", "score", "nll", "bench"};
const QStringList kHelp{"help", "--help", "-h"};

int usage() {
  out() << "usage: scorescope [viewport options]   open the viewport (default: lesson 2 on gmm8-ring)\n"
           "       scorescope <command> [options]  run headless\n\n"
           "viewport options:\n"
           "  --lesson N (1..5), --target NAME|draw, --process NAME, --particles N, --seed S,\n"
           "  --sampler NAME, --steps N, --class Y, --scale S, --sweep, --annealed, --contours,\n"
           "  --screenshot FILE [--position U] [--size WxH],\n"
           "  --bench-frames N (median and p95 frame times)\n\n"
           "commands:\n"
           "  sample   draw samples with a sampler driven by the exact score\n"
           "  forward  noise data samples to time t\n"
           "  score    exact score grad log p_t at given points\n"
           "  nll      PF-ODE negative log-likelihood at given points\n"
           "  bench    PF-ODE throughput against a PyTorch CPU baseline\n\n"
           "scorescope <command> --help lists the command's options and defaults.\n";
  out().flush();
  return 0;
}

}  // namespace

bool isCommand(const QStringList& args) {
  if (args.size() < 2) return false;
  const QString& first = args[1];
  // The viewport takes flags (--lesson 3 ...) and, later, scene files; anything else is a
  // command, so a misspelt one gets the list of commands instead of a window.
  return kHelp.contains(first) || (!first.startsWith('-') && !first.endsWith(".json", Qt::CaseInsensitive));
}

namespace {

int dispatch(const QStringList& args) {
  const QString command = args.value(1);
  if (kHelp.contains(command)) return usage();
  if (command == "sample") return sample(args);
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
