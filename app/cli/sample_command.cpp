#include <QCommandLineParser>
#include <QElapsedTimer>

#include "cli/command_support.hpp"
#include "cli/sample_command.hpp"
#include "io/text_file.hpp"
#include "scorescope/sampler_run.hpp"
#include "scorescope/scene_plan.hpp"

namespace scorescope::cli {
namespace {

using namespace support;

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

}  // namespace

int sample(const QStringList& args) {
  const QString command = "sample";
  QCommandLineParser parser;
  addCommon(parser, "Draw samples with a sampler driven by the exact score of the target (with --model: a "
                    "learned score).\n"
                    "Samplers run from t = 1 down to t_min, the time where s(t)/a(t) = 0.01 "
                    "(about 1e-3 for vp and ddpm, 1e-5 for ou, 0 for ve), then return Tweedie's "
                    "denoised mean D(x, t_min); ddpm and ddim step on the grid k/T down to t = 0.");
  addProcess(parser, true);
  addModelOptions(parser, true);
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
  LearnedModels learned;
  scene.process = readProcessAndModels(parser, read, learned);
  if (learned.score) scene.score = ScoreSource::Learned;
  checkModelTargets(parser, scene.target, learned, read);
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
  if (parser.isSet("classifier") && guidance != "classifier") {
    read.fail("option --classifier does not apply without --guidance classifier");
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
  const ScenePlan plan = planScene(scene, nullptr, learned);
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
               .arg(outPath, samplerName + (learned.score ? " on the learned score" : ""),
                    QString::fromUtf8(processName(scene.process).data()))
               .arg(run.times.size() - 1)
               .arg(static_cast<double>(timer.elapsed()) / 1000.0);
  out().flush();
  return 0;
}

}  // namespace scorescope::cli
