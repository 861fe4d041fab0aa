#include "gui/viewport_flags.hpp"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>
#include <cmath>

#include "gui/ui_scale.hpp"
#include "io/mixture_json.hpp"
#include "io/viewport_options.hpp"
#include "io/model_file_io.hpp"
#include "io/text_file.hpp"
#include "scorescope/gaussian_mixture.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/scene_plan.hpp"

namespace scorescope::gui {
namespace {




// Reads an integer flag in [lo, hi]; false (with `error` naming the flag) when it is not one.
bool readInt(const QCommandLineParser& parser, const QString& name, long long lo, long long hi, long long& out,
             QString& error) {
  bool ok = false;
  out = parser.value(name).toLongLong(&ok);
  if (ok && out >= lo && out <= hi) return true;
  error = QStringLiteral("--%1: expected an integer in [%2, %3], got '%4'").arg(name).arg(lo).arg(hi).arg(io::clip(parser.value(name)));
  return false;
}

// Reads a number flag in [lo, hi]; false (with `error` naming the flag) when it is not one.
bool readNumber(const QCommandLineParser& parser, const QString& name, double lo, double hi, double& out,
                QString& error) {
  bool ok = false;
  out = parser.value(name).toDouble(&ok);
  if (ok && out >= lo && out <= hi) return true;
  error = QStringLiteral("--%1: expected a number in [%2, %3], got '%4'").arg(name).arg(lo).arg(hi).arg(io::clip(parser.value(name)));
  return false;
}

// A flag that only means something in some lessons.
bool inLesson(const QCommandLineParser& parser, const QString& name, Lesson lesson, std::initializer_list<Lesson> lessons,
              QString& error) {
  if (!parser.isSet(name)) return true;
  for (Lesson l : lessons) {
    if (l == lesson) return true;
  }
  QString list;
  for (Lesson l : lessons) list += (list.isEmpty() ? "" : ", ") + QString::number(static_cast<int>(l));
  error = QStringLiteral("--%1: applies to lesson %2 only (this is lesson %3)").arg(name, list).arg(static_cast<int>(lesson));
  return false;
}

// A comma-separated list of numbers in [lo, hi], at most `most`; false (with `error` naming the
// flag) otherwise.
bool readList(const QCommandLineParser& parser, const QString& name, double lo, double hi, int most,
              std::vector<double>& out, QString& error) {
  const QStringList parts = parser.value(name).split(',');
  out.clear();
  for (const QString& part : parts) {
    bool ok = false;
    const double v = part.trimmed().toDouble(&ok);
    if (!ok || !(v >= lo && v <= hi) || static_cast<int>(parts.size()) > most) {
      error = QStringLiteral("--%1: expected up to %2 comma-separated numbers in [%3, %4], got '%5'")
                  .arg(name).arg(most).arg(lo).arg(hi).arg(io::clip(parser.value(name)));
      return false;
    }
    out.push_back(v);
  }
  return true;
}

// --compare-processes, --compare-samplers, --mode-weights, --eta-sweep, --round-trip.
QString applyComparisonFlags(const QCommandLineParser& parser, SampledScene& x) {
  QString error;
  using L = Lesson;
  if (!inLesson(parser, "compare-processes", x.lesson, {L::ForwardNoising, L::ScoreField}, error)) return error;
  for (const char* name : {"compare-samplers", "mode-weights"}) {
    if (!inLesson(parser, name, x.lesson, {L::Langevin}, error)) return error;
  }
  for (const char* name : {"eta-sweep", "round-trip"}) {
    if (!inLesson(parser, name, x.lesson, {L::ReverseVsOde}, error)) return error;
  }
  if (parser.isSet("compare-processes")) x.compareProcesses = true;
  if (parser.isSet("compare-samplers")) {
    x.compareSamplers = true;
    x.comparison = defaultSamplerSettings(x.sampler.kind == SamplerKind::Langevin ? SamplerKind::AnnealedLangevin
                                                                                  : SamplerKind::Langevin);
    x.comparison.denoiseFinal = false;
  }
  if (parser.isSet("eta-sweep") && !readList(parser, "eta-sweep", 0.0, 1.0, kMaxSweepScales, x.etaSweep, error)) return error;
  if (parser.isSet("round-trip")) {
    if (parser.isSet("eta-sweep")) return "--round-trip: does not go with --eta-sweep (each replaces the sampler pair)";
    x.ddimRoundTrip = true;
  }
  if (parser.isSet("mode-weights")) {
    std::string problem;
    const std::shared_ptr<const Target> target = buildTarget(x.target, x.seed, problem);
    const auto* mixture = dynamic_cast<const GaussianMixture*>(target.get());
    if (!mixture) {
      const std::string name = x.target.source == TargetSource::PointCloud ? "drawn points" : x.target.preset;
      return "--mode-weights: applies to a mixture target (gmm8-ring, a mixture file), not '" + QString::fromStdString(name) + "'";
    }
    std::vector<double> weights;
    const int modes = static_cast<int>(mixture->components().size());
    if (!readList(parser, "mode-weights", 1e-3, 1.0, modes, weights, error)) return error;
    if (static_cast<int>(weights.size()) != modes) {
      return QStringLiteral("--mode-weights: expected %1 weights (one per mode), got %2").arg(modes).arg(weights.size());
    }
    double total = 0.0;
    for (double w : weights) total += w;
    std::vector<MixtureComponent> components = mixture->components();
    for (std::size_t k = 0; k < components.size(); ++k) components[k].weight = weights[k] / total;
    x.target.source = TargetSource::Mixture;
    x.target.components = std::move(components);
  }
  return {};
}

}  // namespace

std::shared_ptr<const TrainedNetwork> readModelFlag(const QCommandLineParser& parser, const QString& name,
                                                    NetworkRole role, QString& error) {
  QString problem;
  std::shared_ptr<const TrainedNetwork> network = io::readModelFile(parser.value(name), problem);
  if (!network) {
    error = "--" + name + ": " + problem;
    return nullptr;
  }
  if (network->spec.role != role) {
    error = "--" + name + ": " + io::clip(parser.value(name)) + " is " +
            (role == NetworkRole::Score ? "a noisy classifier; --model takes a score network (use --classifier)"
                                        : "a score network; --classifier takes a noisy classifier (use --model)");
    return nullptr;
  }
  return network;
}

namespace {

QString applyModelFlags(const QCommandLineParser& parser, ViewportFlags& flags) {
  QString error;
  if (parser.isSet("model") && !(flags.models.score = readModelFlag(parser, "model", NetworkRole::Score, error))) return error;
  if (parser.isSet("classifier") &&
      !(flags.models.classifier = readModelFlag(parser, "classifier", NetworkRole::Classifier, error))) {
    return error;
  }
  if (parser.isSet("train-steps")) {
    if (!readInt(parser, "train-steps", 1, kMaxTrainingSteps, flags.trainSteps, error)) return error;
    if (parser.isSet("model")) return "--train-steps: trains a new model; it does not go with --model";
  }
  return {};
}

QString applySceneFlags(const QCommandLineParser& parser, Scene& s, const ViewportFlags& flags) {
  QString error;
  long long v = 0;
  SampledScene& x = s.sampled;
  if (parser.isSet("lesson")) {
    if (!readInt(parser, "lesson", 1, kLessonCount, v, error)) return error;
    x = enterLesson(x, static_cast<Lesson>(v));
  }
  const Lesson lesson = x.lesson;
  using L = Lesson;
  for (const char* name : {"sampler", "steps"}) {
    if (!inLesson(parser, name, lesson, {L::Langevin, L::ReverseVsOde, L::Guidance}, error)) return error;
  }
  for (const char* name : {"class", "scale", "sweep"}) {
    if (!inLesson(parser, name, lesson, {L::Guidance}, error)) return error;
  }
  if (!inLesson(parser, "annealed", lesson, {L::Langevin}, error)) return error;
  if (!inLesson(parser, "score", lesson, {L::ScoreField, L::Langevin, L::ReverseVsOde, L::Guidance}, error)) return error;
  if (parser.isSet("score") && !parseScoreSource(parser.value("score").toStdString(), x.score)) {
    return "--score: unknown '" + io::clip(parser.value("score")) + "'; expected one of exact, learned, both";
  }
  if (parser.isSet("target")) {
    const std::string name = parser.value("target").toStdString();
    const QString value = parser.value("target");
    if (name == "draw") {
      x.target = threePointsDrawing();
    } else if (makePreset(name)) {
      x.target = TargetSpec{};
      x.target.preset = name;
    } else if (value.endsWith(".json") || value.contains('/') || QFileInfo::exists(value)) {
      auto components = io::readMixtureFile(value, error);
      if (!components) return "--target: " + error;
      x.target = TargetSpec{};
      x.target.source = TargetSource::Mixture;
      x.target.components = std::move(*components);
    } else {
      return "--target: unknown '" + io::clip(value) + "'; expected one of " +
             QString::fromStdString(presetNames()) + ", draw, or a path to a mixture .json file";
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
    if (!readInt(parser, "seed", 0, static_cast<long long>(kMaxSeed), v, error)) return error;
    x.seed = static_cast<std::uint64_t>(v);
  }
  if (parser.isSet("sampler")) {
    SamplerKind kind{};
    if (!parseSamplerKind(parser.value("sampler").toStdString(), kind)) {
      return "--sampler: unknown '" + io::clip(parser.value("sampler")) + "'; expected one of " +
             QString::fromStdString(samplerNames());
    }
    if (!samplerFitsLesson(kind, lesson)) {
      return "--sampler: " + QString::fromUtf8(samplerName(kind).data()) + " does not fit lesson " +
             QString::number(static_cast<int>(lesson)) + " (see --help)";
    }
    x.sampler = defaultSamplerSettings(kind);
  }
  if (parser.isSet("annealed")) x.sampler = defaultSamplerSettings(SamplerKind::AnnealedLangevin);
  if (lesson == Lesson::Langevin) x.sampler.denoiseFinal = false;
  if (parser.isSet("steps")) {
    if (!readInt(parser, "steps", 1, kMaxSamplerSteps, v, error)) return error;
    x.sampler.steps = x.comparison.steps = static_cast<int>(v);
  }
  if (parser.isSet("class")) {
    if (!readInt(parser, "class", 0, kMaxLabel, v, error)) return error;
    x.guidance.label = static_cast<int>(v);
  }
  if (parser.isSet("scale") && !readNumber(parser, "scale", kMinCfgW, kMaxGuidanceScale, x.guidance.scale, error)) {
    return error;
  }
  if (parser.isSet("sweep")) x.guidance.sweep = {0.0, 1.0, 3.0, 7.0};
  if (parser.isSet("contours")) s.display.layers.contours = true;
  // Lesson 5's tilted law (classifier guidance) and lesson 4's likelihood map.
  if (!inLesson(parser, "tilted-law", lesson, {L::Guidance}, error)) return error;
  if (!inLesson(parser, "likelihood-map", lesson, {L::ReverseVsOde}, error)) return error;
  if (parser.isSet("tilted-law")) {  // the view is about classifier guidance: switch to it
    x.guidance.kind = GuidanceKind::Classifier;
    s.display.tiltedLaw = true;
  }
  if (parser.isSet("likelihood-map")) s.display.likelihoodMap = true;
  if (parser.isSet("auto-fit")) s.display.autoFit = true;
  if (QString problem = applyComparisonFlags(parser, x); !problem.isEmpty()) return problem;
  // What needs the whole scene: ranges of the sampler settings, the class exists, the model fits
  // the process ... (a model --train-steps will train is checked as the exact score).
  // A model of another target would be drawn over this one as if it had learned it.
  for (const auto& [option, network] : {std::pair{"model", flags.models.score}, std::pair{"classifier", flags.models.classifier}}) {
    const std::string scenesTarget = x.target.source == TargetSource::Preset ? x.target.preset
                                     : parser.isSet("target")                ? QFileInfo(parser.value("target")).fileName().toStdString()
                                                                             : "drawn points";
    if (network && network->targetName != scenesTarget) {
      return QStringLiteral("--%1: %2 was trained on '%3'; --target is '%4'")
          .arg(option, io::clip(parser.value(option)), io::clip(QString::fromStdString(network->targetName)),
               QString::fromStdString(scenesTarget));
    }
  }
  // A learned score without a model: --train-steps trains one; a scene file's (saved after live
  // training) opens and the status line asks for a model. Checked as the exact score then.
  const QString file = !flags.sceneFile.isEmpty() ? flags.sceneFile
                       : flags.lecture            ? flags.lecture->slides.front().path
                                                  : QString();
  SampledScene check = x;
  const bool scoreFromFile = !file.isEmpty() && !parser.isSet("score");
  if ((flags.trainSteps > 0 || scoreFromFile) && !flags.models.score) check.score = ScoreSource::Exact;
  if (const ScenePlan plan = planScene(check, nullptr, flags.models); !plan.ok()) {
    // A field the flags did not change comes from the file: name the file and the JSON path
    // (the file alone was valid, so the flags made it fail), never a flag that was not given.
    if (!file.isEmpty() && !plan.errorField.empty()) {
      bool fromFlags = false;
      for (const std::string& changed : changedSceneFields(flags.fileScene, s)) {
        if (plan.errorField == changed || plan.errorField.rfind(changed + ".", 0) == 0) fromFlags = true;
      }
      if (!fromFlags) return io::clip(file, 200) + ": " + io::planErrorInFile(plan) + " (with the flags given)";
    }
    return "--" + QString::fromStdString(plan.error);
  }
  return {};
}

QString applyRunFlags(const QCommandLineParser& parser, ViewportFlags& flags) {
  QString error;
  if (parser.isSet("size")) {
    const bool ok = io::parseSize(parser.value("size"), flags.width, flags.height);
    if (!ok || flags.width < 640 || flags.height < 400 || flags.width > 8192 || flags.height > 8192) {
      return "--size: expected WxH with W in [640, 8192] and H in [400, 8192], got '" + io::clip(parser.value("size")) + "'";
    }
  }
  if (parser.isSet("screenshot")) {
    flags.screenshot = parser.value("screenshot");
    if (!flags.screenshot.endsWith(".png", Qt::CaseInsensitive)) {
      return "--screenshot: expected a file name ending in .png, got '" + io::clip(flags.screenshot) + "'";
    }
    // Checked before anything is sampled (and never replaces a device node).
    if (const QString problem = io::checkOutputPath(flags.screenshot); !problem.isEmpty()) return "--screenshot: " + problem;
  }
  if (parser.isSet("position")) {
    if (flags.screenshot.isEmpty()) return "--position: applies to --screenshot only";
    bool ok = false;
    flags.position = parser.value("position").toDouble(&ok);
    if (!ok || !(flags.position >= 0.0 && flags.position <= 1.0)) {
      return "--position: expected a number in [0, 1], got '" + io::clip(parser.value("position")) + "'";
    }
  }
  if (parser.isSet("ui-scale")) {
    double scale = 0.0;
    if (!readNumber(parser, "ui-scale", kMinUiScale, kMaxUiScale, scale, error)) return error;
    flags.uiScale = static_cast<float>(scale);
  }
  flags.panelsHidden = parser.isSet("no-panels");
  long long frames = 0;
  if (parser.isSet("bench-frames")) {
    if (!readInt(parser, "bench-frames", 1, 100000, frames, error)) return error;
    flags.benchFrames = static_cast<int>(frames);
  }
  return {};
}

}  // namespace

std::optional<ViewportFlags> parseViewportFlags(const QStringList& arguments, QString& error) {
  QCommandLineParser parser;
  io::addViewportOptions(parser);
  if (!parser.parse(arguments)) {
    error = io::clip(parser.errorText(), 200) + " (scorescope --help lists the viewport's options)";
    return std::nullopt;
  }
  ViewportFlags flags;
  if (parser.isSet("help")) {
    flags.help = true;
    return flags;
  }
  if (parser.positionalArguments().size() > 1) {
    error = "unexpected argument '" + io::clip(parser.positionalArguments().at(1)) +
            "' after the scene file (scorescope --help lists the viewport's options, scorescope help the commands)";
    return std::nullopt;
  }
  if (!parser.positionalArguments().isEmpty()) {
    // A scene or lecture file: its scene is the one the flags below then change.
    const QString path = parser.positionalArguments().first();
    if (!path.endsWith(".json", Qt::CaseInsensitive) && !QFileInfo::exists(path)) {
      error = "unexpected argument '" + io::clip(path) +
              "' (a scene or lecture .json file; scorescope --help lists the viewport's options, scorescope help the commands)";
      return std::nullopt;
    }
    const std::optional<QByteArray> bytes = io::readFileBounded(path, io::kMaxJsonBytes, "scene file", error);
    if (!bytes) return std::nullopt;
    if (io::looksLikeLecture(*bytes)) {
      flags.lecture = io::readLectureFile(path, error);
      if (!flags.lecture) return std::nullopt;
      flags.scene = flags.lecture->slides.front().scene;
      flags.sceneTitle = flags.lecture->slides.front().title;
      flags.warnings = flags.lecture->warnings;
    } else {
      std::optional<io::SceneFile> file = io::readSceneFile(path, error);
      if (!file) return std::nullopt;
      flags.scene = file->scene;
      flags.sceneFile = path;
      flags.sceneTitle = file->title;
      flags.warnings = file->warnings;
    }
  }
  for (const QString& name : parser.optionNames()) {
    if (parser.optionNames().count(name) > 1) {
      error = "--" + io::clip(name) + ": given more than once";
      return std::nullopt;
    }
  }
  flags.fileScene = flags.scene;
  flags.particlesGiven = parser.isSet("particles");
  error = applyModelFlags(parser, flags);
  if (flags.models.score) flags.warnings = flags.warnings.filter(QRegularExpression("^(?!sampled\\.score: )"));
  if (error.isEmpty()) error = applySceneFlags(parser, flags.scene, flags);
  if (error.isEmpty()) error = applyRunFlags(parser, flags);
  if (!error.isEmpty()) return std::nullopt;
  return flags;
}

}  // namespace scorescope::gui
