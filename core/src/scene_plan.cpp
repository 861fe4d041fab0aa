#include "scorescope/scene_plan.hpp"

#include <algorithm>
#include <stdexcept>

#include "scorescope/ddim_round_trip.hpp"
#include "scorescope/empirical_set.hpp"
#include "scorescope/guidance.hpp"
#include "scorescope/learned_score.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/time_grid.hpp"

namespace scorescope {
static_assert(kMaxMixtureLabel == kMaxLabel, "mixture files and --class share one label range");
namespace {

std::shared_ptr<const ScoreModel> guidedLearnedModel(const ScenePlan& plan, const LearnedModels& learned,
                                                     GuidanceKind kind, int label, double scale) {
  const auto conditional = [&] { return std::make_shared<LearnedScore>(learned.score, label); };
  switch (kind) {
    case GuidanceKind::None: return plan.learned;
    case GuidanceKind::Conditional: return conditional();
    case GuidanceKind::Classifier:
      return std::make_shared<ClassifierGuidance>(
          plan.learned, std::make_shared<LearnedClassPosterior>(learned.classifier), label, scale);
    case GuidanceKind::ClassifierFree:
      return std::make_shared<ClassifierFreeGuidance>(conditional(), plan.learned, scale, CfgConvention::HoSalimans);
  }
  throw std::logic_error("guidedLearnedModel(): unknown guidance kind");
}

std::string processMismatch(const TrainedNetwork& network, const char* what, ProcessKind process) {
  return std::string("score: the ") + what + " was trained for process '" + std::string(processName(network.process)) +
         "'; the scene's process is '" + std::string(processName(process)) + "'";
}

// Why the learned score cannot serve this scene (one line naming the field), or empty.
std::string checkLearnedScore(const SampledScene& scene, const Target& target, const LearnedModels& learned,
                              GuidanceKind guidance, std::string& field) {
  field = "sampled.score";
  if (!learned.score) {
    return "score: '" + std::string(scoreSourceName(scene.score)) +
           "' needs a trained model (train one in the learn-the-score lesson, or pass --model FILE)";
  }
  if (learned.score->process != scene.process) return processMismatch(*learned.score, "learned model", scene.process);
  field = "sampled.guidance.kind";
  const int classes = target.labelCount();
  const bool needsConditional = guidance == GuidanceKind::Conditional || guidance == GuidanceKind::ClassifierFree;
  if (needsConditional && learned.score->spec.classes != classes) {
    return "guidance: " +
           std::string(guidance == GuidanceKind::Conditional ? "the conditional score" : "classifier-free guidance") +
           " on the learned score needs a class-conditional model of this target's " + std::to_string(classes) +
           " classes (train --classes, or 'class-conditional' in lesson 6); this model has " +
           std::to_string(learned.score->spec.classes);
  }
  if (guidance == GuidanceKind::Classifier && !learned.classifier) {
    return "guidance: classifier guidance on the learned score needs a trained noisy classifier "
           "(train --classifier, or lesson 6; then --classifier FILE)";
  }
  field.clear();
  return {};
}

// A given classifier must match the scene (it guides the exact score too when given).
std::string checkClassifier(const SampledScene& scene, const Target& target, const LearnedModels& learned) {
  if (!learned.classifier) return {};
  if (learned.classifier->process != scene.process) return processMismatch(*learned.classifier, "classifier", scene.process);
  if (learned.classifier->spec.classes != target.labelCount()) {
    return "classifier: the classifier has " + std::to_string(learned.classifier->spec.classes) +
           " classes; the target has " + std::to_string(target.labelCount());
  }
  return {};
}

std::shared_ptr<const ScoreModel> guidedModel(const ScenePlan& plan, const LearnedModels& learned, GuidanceKind kind,
                                              int label, double scale) {
  const auto conditional = [&] {
    return std::make_shared<ExactScore>(std::shared_ptr<const Target>(plan.target->conditional(label)),
                                        plan.process);
  };
  switch (kind) {
    case GuidanceKind::None: return plan.exact;
    case GuidanceKind::Conditional: return conditional();
    case GuidanceKind::Classifier:
      if (learned.classifier) {  // a trained noisy classifier on the exact score
        return std::make_shared<ClassifierGuidance>(plan.exact, std::make_shared<LearnedClassPosterior>(learned.classifier),
                                                    label, scale);
      }
      return std::make_shared<ClassifierGuidance>(plan.target, plan.process, label, scale);
    case GuidanceKind::ClassifierFree:
      return std::make_shared<ClassifierFreeGuidance>(conditional(), plan.exact, scale, CfgConvention::HoSalimans);
  }
  throw std::logic_error("guidedModel(): unknown guidance kind");
}

// DDIM with every default but the step count and eta (the eta sweep and the round trip).
SamplerSettings ddimSettings(int steps, double eta) {
  SamplerSettings s = defaultSamplerSettings(SamplerKind::Ddim);
  s.steps = steps;
  s.ddimEta = eta;
  return s;
}

// The round trip of one run: the data encoded and decoded, recorded as one animation.
RunResult runRoundTrip(const PlannedRun& run, const ForwardData& data, const RecordOptions& record,
                       const std::function<bool(int step)>& progress) {
  const int steps = run.sampler.steps;
  TrajectoryRecorder recorder(data.x0.rows(), 2 * steps + 1, record);
  RoundTrip trip = ddimRoundTrip(*run.model, data.x0, steps,
                                 recorder.callback([&](int step, double, const Points&) { return progress(step); }));
  RunResult result{run, recorder.finish(std::move(trip.decoded)), data.labels};
  result.reconstructionError = trip.error;
  return result;
}

}  // namespace

ProcessKind comparedProcessKind(ProcessKind kind) { return kind == ProcessKind::Ve ? ProcessKind::Vp : ProcessKind::Ve; }

std::shared_ptr<const Target> buildTarget(const TargetSpec& spec, std::uint64_t seed, std::string& error) {
  switch (spec.source) {
    case TargetSource::Preset:
      if (std::shared_ptr<const Target> preset = makePreset(spec.preset, seed)) return preset;
      error = "target: unknown '" + spec.preset + "'; expected one of " + presetNames();
      return nullptr;
    case TargetSource::Mixture:
      if (auto invalid = validateMixture(spec.components)) {
        error = "target." + *invalid;
        return nullptr;
      }
      return std::make_shared<GaussianMixture>(spec.components);
    case TargetSource::PointCloud: {
      if (spec.points.empty()) {
        error = "target: no data points yet (click on the canvas to add some)";
        return nullptr;
      }
      const auto n = static_cast<Eigen::Index>(spec.points.size());
      Points points(n, 2);
      Labels labels(n);
      for (Eigen::Index i = 0; i < n; ++i) {
        points.row(i) = spec.points[static_cast<std::size_t>(i)].transpose();
        labels(i) = spec.labels[static_cast<std::size_t>(i)];
      }
      return std::make_shared<EmpiricalSet>(std::move(points), std::move(labels));
    }
  }
  throw std::logic_error("buildTarget(): unknown target source");
}

ScenePlan planScene(const SampledScene& scene, const ScenePlan* previous, const LearnedModels& learned) {
  ScenePlan plan;
  plan.process = Process(scene.process);
  plan.error = validateSampledScene(scene);
  if (!plan.ok()) return plan;
  plan.targetSpec = scene.target;
  plan.targetSeed = scene.seed;
  const bool reuse = previous && previous->target && previous->targetSpec == scene.target &&
                     (previous->targetSeed == scene.seed || scene.target.source != TargetSource::Preset);
  plan.target = reuse ? previous->target : buildTarget(scene.target, scene.seed, plan.error);
  if (!plan.target) {
    plan.errorField = scene.target.source == TargetSource::Preset ? "sampled.target.preset" : "sampled.target";
    return plan;
  }
  plan.exact = std::make_shared<ExactScore>(plan.target, plan.process);
  const bool dataLesson = scene.lesson == Lesson::ForwardNoising || scene.lesson == Lesson::ScoreField;
  if (dataLesson && scene.compareProcesses) {
    plan.comparedExact = std::make_shared<ExactScore>(plan.target, Process(comparedProcessKind(scene.process)));
  }
  const GuidanceSpec g = scene.lesson == Lesson::Guidance ? scene.guidance : GuidanceSpec{};
  if (scene.score != ScoreSource::Exact) {
    plan.error = checkLearnedScore(scene, *plan.target, learned, g.kind, plan.errorField);
    if (!plan.ok()) return plan;
    plan.learned = std::make_shared<LearnedScore>(learned.score);
  }
  if (lessonShowsData(scene.lesson)) return plan;

  if (g.kind != GuidanceKind::None) {
    const int classes = plan.target->labelCount();
    if (classes <= 1) {
      plan.error = "guidance: needs a labelled target (gmm8-ring, two-moons, rings, ...); this one has one class";
      plan.errorField = "sampled.guidance.kind";
      return plan;
    }
    if (g.label >= classes) {
      plan.error = "class: expected a class of the target in [0, " + std::to_string(classes - 1) + "], got " +
                   std::to_string(g.label);
      plan.errorField = "sampled.guidance.label";
      return plan;
    }
    if (!plan.target->conditional(g.label)) {
      plan.error = "class: class " + std::to_string(g.label) + " has no data in this target";
      plan.errorField = "sampled.guidance.label";
      return plan;
    }
    if (g.kind == GuidanceKind::Classifier) {
      plan.error = checkClassifier(scene, *plan.target, learned);
      if (!plan.ok()) return plan;
    }
  } else if (!g.sweep.empty()) {
    plan.error = "sweep: a sweep needs classifier or classifier-free guidance (guidance kind is none)";
    plan.errorField = "sampled.guidance.sweep";
    return plan;
  }
  // The sweep holds gamma for both kinds, so the two guidances compare at equal values;
  // classifier-free runs take w = gamma - 1 (the scene's `scale` is already in each kind's own unit).
  std::vector<double> scales = g.sweep.empty() ? std::vector<double>{g.scale} : g.sweep;
  if (!g.sweep.empty() && g.kind == GuidanceKind::ClassifierFree) {
    for (double& scale : scales) scale = cfgWFromGamma(scale);
  }
  for (const ScoreSource source : {ScoreSource::Exact, ScoreSource::Learned}) {
    if (scene.score != ScoreSource::Both && scene.score != source) continue;
    const auto model = [&](double scale) {
      return source == ScoreSource::Exact ? guidedModel(plan, learned, g.kind, g.label, scale)
                                          : guidedLearnedModel(plan, learned, g.kind, g.label, scale);
    };
    if (scene.lesson == Lesson::ReverseVsOde && (!scene.etaSweep.empty() || scene.ddimRoundTrip)) {
      // Small multiples of DDIM over eta, or the one deterministic DDIM of the round trip.
      plan.roundTrip = scene.ddimRoundTrip;
      for (double eta : scene.ddimRoundTrip ? std::vector<double>{0.0} : scene.etaSweep) {
        plan.runs.push_back({model(g.scale), source, ddimSettings(scene.sampler.steps, eta), g.kind, g.label, g.scale});
      }
      continue;
    }
    const std::size_t first = plan.runs.size();
    for (double scale : scales) plan.runs.push_back({model(scale), source, scene.sampler, g.kind, g.label, scale});
    if (scene.lesson == Lesson::ReverseVsOde || (scene.lesson == Lesson::Langevin && scene.compareSamplers)) {
      PlannedRun comparison = plan.runs[first];
      comparison.sampler = scene.comparison;
      plan.runs.push_back(comparison);
    }
  }
  return plan;
}

ForwardData sampleForwardData(const Target& target, Eigen::Index n, std::uint64_t seed) {
  const CounterRng rng(seed);
  ForwardData data;
  data.x0 = target.sample(n, rng.derive(1), &data.labels);
  if (target.labelCount() <= 1) data.labels.resize(0);
  data.eps = rng.derive(2).normals(n, 0);  // the stream Process::sampleForward(x0, t, rng.derive(2)) uses
  return data;
}

std::vector<RunResult> executeRuns(const ScenePlan& plan, const SampledScene& scene,
                                   const RecordOptions& record, const RunProgress& progress) {
  if (!plan.ok() || !plan.target) throw std::invalid_argument("executeRuns(): the plan is invalid: " + plan.error);
  if (plan.runs.empty()) return {};
  const CounterRng rng(scene.seed);
  RecordOptions perRun = record;
  perRun.memoryBudgetBytes = record.memoryBudgetBytes / plan.runs.size();
  const double count = static_cast<double>(plan.runs.size());
  std::vector<RunResult> results;
  if (plan.roundTrip) {
    const ForwardData data = sampleForwardData(*plan.target, scene.particles, scene.seed);
    for (std::size_t r = 0; r < plan.runs.size(); ++r) {
      const double expected = 2.0 * plan.runs[r].sampler.steps;
      RunResult result = runRoundTrip(plan.runs[r], data, perRun, [&](int step) {
        return !progress || progress((static_cast<double>(r) + step / expected) / count);
      });
      if (result.trajectory.cancelled) return {};
      if (result.labels.size() == 0) result.labels = mostLikelyClass(*plan.target, result.trajectory.final);
      results.push_back(std::move(result));
    }
    return results;
  }
  // The same initial noise for every run: differences come from the samplers and models. Runs
  // start at different scales (plain Langevin from N(0, I), the others from the prior), so each
  // run scales the same standard normal draw (initialParticles draws it from rng every time).
  for (std::size_t r = 0; r < plan.runs.size(); ++r) {
    const PlannedRun& run = plan.runs[r];
    const double expected = expectedSteps(run.sampler);
    const Points start = initialParticles(plan.process, run.sampler, scene.particles, rng);
    Trajectory trajectory = runSampler(*run.model, run.sampler, start, rng, perRun,
                                       [&](int step, double, const Points&) {
                                         return !progress || progress((static_cast<double>(r) + step / expected) / count);
                                       });
    if (trajectory.cancelled) return {};
    RunResult result{run, std::move(trajectory), {}};
    result.labels = mostLikelyClass(*plan.target, result.trajectory.final);
    results.push_back(std::move(result));
  }
  return results;
}

Labels mostLikelyClass(const Target& target, const Points& x) {
  const int classes = target.labelCount();
  if (classes <= 1 || x.rows() == 0) return {};
  // The posterior is n x classes doubles: evaluate it in blocks of at most ~16 MB, so a large
  // batch with many (up to kMaxLabel + 1) classes never needs n x classes memory at once.
  const Eigen::Index block = std::max<Eigen::Index>(1, (Eigen::Index(1) << 21) / classes);
  Labels labels(x.rows());
  for (Eigen::Index begin = 0; begin < x.rows(); begin += block) {
    const Eigen::Index rows = std::min(block, x.rows() - begin);
    const Eigen::MatrixXd posterior =
        target.evaluate(x.middleRows(begin, rows), 1.0, kMinNoiseLevel, {.classPosterior = true}).classPosterior;
    for (Eigen::Index i = 0; i < rows; ++i) posterior.row(i).maxCoeff(&labels(begin + i));
  }
  return labels;
}

}  // namespace scorescope
