#pragma once
// The scene: everything needed to reproduce one view, as a plain value in two parts.
//   SampledScene   what is computed (target, process, score source, sampler, guidance, seed,
//                  particles): a change means new samples.
//   DisplayScene   how it is shown (layers, styles, camera, playback): a change means a re-draw.
// Both compare with a defaulted ==, which is how the viewport decides what to recompute. The GUI
// panels, the CLI flags and (later) scene files all edit this one value; the planner
// (scene_plan.hpp) turns its sampled part into target + model + sampler runs for every front end.
// visitSceneFields lists every field once, with its path, for scene files, diffs and tests.
#include <cstdint>
#include <string>
#include <vector>

#include "scorescope/gaussian_mixture.hpp"
#include "scorescope/process.hpp"
#include "scorescope/sampler_run.hpp"
#include "scorescope/score_network.hpp"

namespace scorescope {

enum class Lesson { ForwardNoising = 1, ScoreField = 2, Langevin = 3, ReverseVsOde = 4, Guidance = 5, LearnScore = 6 };
inline constexpr int kLessonCount = 6;
const char* lessonTitle(Lesson lesson);
// Lessons 1-2 and 6 show data x_t over continuous t; lessons 3-5 show sampler runs step by step.
bool lessonShowsData(Lesson lesson);
// The samplers a lesson shows: lesson 3 the Langevin ones, lesson 4 the stochastic samplers it
// compares with the PF-ODE, lesson 5 any with a time grid; lessons 1-2 run none.
bool samplerFitsLesson(SamplerKind kind, Lesson lesson);

// Where the target distribution comes from.
enum class TargetSource {
  Preset,   // a built-in target by name (seeded by the scene's seed)
  Mixture,  // explicit Gaussian mixture components (a mixture file, or a preset whose modes were moved)
  PointCloud,  // an explicit point set (points the user drew)
};

struct TargetSpec {
  TargetSource source = TargetSource::Preset;
  std::string preset = "gmm8-ring";
  std::vector<MixtureComponent> components;
  std::vector<Eigen::Vector2d> points;
  std::vector<int> labels;  // one per point

  bool operator==(const TargetSpec&) const = default;
};

// A drawn target (TargetSource::PointCloud) holding the lecture's three points (makeThreePoints):
// what "draw" starts from before the user adds points.
TargetSpec threePointsDrawing();

// What drives the samplers and draws the field: the exact score of the target, a trained network
// (the planner is handed it: LearnedModels in scene_plan.hpp), or both side by side.
enum class ScoreSource { Exact, Learned, Both };
inline constexpr std::array kAllScoreSources = {ScoreSource::Exact, ScoreSource::Learned, ScoreSource::Both};
std::string_view scoreSourceName(ScoreSource source);  // exact, learned, both
bool parseScoreSource(std::string_view name, ScoreSource& out);

enum class GuidanceKind {
  None,            // unconditional (or, with a class in the CLI, the exact conditional)
  Conditional,     // the exact conditional score of one class
  Classifier,      // score + gamma grad log p_t(y | x)
  ClassifierFree,  // (1 + w) eps(x, y) - w eps(x, empty)
};

struct GuidanceSpec {
  GuidanceKind kind = GuidanceKind::None;
  int label = 0;
  // Classifier guidance: gamma. Classifier-free: w of Ho & Salimans; the lecture notes' gamma =
  // 1 + w is the same guidance in another notation (a display choice, DisplayScene).
  double scale = 3.0;
  // When not empty, one run per value side by side (small multiples) instead of `scale`. The
  // values are gamma in [0, 100] for BOTH kinds, so classifier and classifier-free sweeps compare
  // at equal values and gamma = 0 is the unconditional model: classifier guidance runs gamma,
  // classifier-free guidance runs w = gamma - 1. (With exact scores the two coincide at equal
  // gamma.)
  std::vector<double> sweep;

  bool operator==(const GuidanceSpec&) const = default;
};

struct SampledScene {
  Lesson lesson = Lesson::ScoreField;
  TargetSpec target;
  ProcessKind process = ProcessKind::Vp;
  ScoreSource score = ScoreSource::Exact;
  SamplerSettings sampler = defaultSamplerSettings(SamplerKind::OdeHeun);
  // Lesson 4 runs this deterministic sampler from the same initial noise as `sampler`.
  SamplerSettings comparison = defaultSamplerSettings(SamplerKind::OdeHeun);
  GuidanceSpec guidance;
  std::uint64_t seed = 0;
  int particles = 20000;
  int recordedPaths = 40;  // particles whose every step is kept for paths and trails
  // How a learned model is trained here (the learn-the-score lesson, `scorescope train`).
  TrainingSettings training;
  // Lessons 1-2: a second pane beside the first with the other family of process (VE beside a
  // VP-type process, VP beside VE), from the same data and the same noise.
  bool compareProcesses = false;
  // Lesson 3: `comparison` (the other Langevin sampler) beside `sampler`, from the same noise.
  bool compareSamplers = false;
  // Lesson 4, when not empty: one DDIM run per eta in [0, 1] side by side from the same noise,
  // instead of sampler against comparison.
  std::vector<double> etaSweep;
  // Lesson 4: the target's data encoded to noise by deterministic DDIM (eta = 0) and decoded
  // back, instead of sampler against comparison.
  bool ddimRoundTrip = false;

  bool operator==(const SampledScene&) const = default;
};

// Limits shared by every front end.
inline constexpr int kMaxParticles = 10'000'000;  // 160 MB per batch copy
inline constexpr int kMaxRecordedPaths = 1000;
inline constexpr double kMaxGuidanceScale = 100.0;
inline constexpr double kMinCfgW = -1.0;  // w = -1 is the unconditional model (lecture gamma = 0)
inline constexpr int kMaxLabel = 255;
inline constexpr std::uint64_t kMaxSeed = std::uint64_t(1) << 62;  // CLI --seed range [0, kMaxSeed]
inline constexpr int kMaxSweepScales = 9;

struct Layers {
  bool particles = true;
  bool arrows = true;
  bool density = true;
  bool contours = false;
  bool trails = true;
  bool paths = false;  // every recorded step of the recorded paths (trails show the last few)
  bool grid = true;

  bool operator==(const Layers&) const = default;
};

// The data point at the pane centre and the half-size of the square of data every pane shows
// at least (the default [-4.4, 4.4]^2 frames the toy targets).
struct Camera {
  double centreX = 0.0, centreY = 0.0;
  double halfExtent = 4.4;

  bool operator==(const Camera&) const = default;
};
inline constexpr double kMinHalfExtent = 0.05, kMaxHalfExtent = 500.0;

// The play head: u in [0, 1] over t (lessons 1-2) or over the recorded steps of the runs.
struct Playback {
  double position = 0.0;
  double speed = 1.0;
  bool playing = true;

  bool operator==(const Playback&) const = default;
};

struct DisplayScene {
  Layers layers;
  float pointSize = 2.5f;
  float pointAlpha = 0.65f;
  int arrowGrid = 32;  // arrows per side
  bool trueArrowLength = false;  // false: arrows normalised, colour shows magnitude
  float arrowGain = 0.15f;
  bool logDensity = false;
  int contourLevels = 8;
  int trailLength = 12;  // steps
  bool cfgShowsGamma = false;  // CFG notation: w (Ho & Salimans) or gamma = 1 + w (lecture notes)
  // The camera follows the noise scale: the half extent grows with the spread of x_t, so VE at
  // t = 1 (s = 50) stays framed. The camera's own half extent is the one at t = 0.
  bool autoFit = false;
  // Lesson 4: the colour map shows the PF-ODE log-likelihood log p_0(x) of the score on show
  // (the change of variables along the ODE) instead of the exact p_t.
  bool likelihoodMap = false;
  // Lesson 5, classifier guidance: the normalised tilted law p_0(x) p_0(y|x)^gamma / Z drawn
  // over the guided samples, and grad log Z_t(x) (the gap between the guided score and the
  // score of the noised tilted law) as arrows.
  bool tiltedLaw = false;
  // Overlays for a lecture hall: the update rule being animated with its current numbers, and
  // the legend of particle colours, arrow length and brightness, and classes.
  bool equationOverlay = true;
  bool legend = true;
  Camera camera;
  Playback playback;

  bool operator==(const DisplayScene&) const = default;
};

struct Scene {
  SampledScene sampled;
  DisplayScene display;

  bool operator==(const Scene&) const = default;
};

// The scene a lesson opens with: `from` with the lesson set and the lesson's sampler and
// guidance where `from`'s do not fit it (lesson 3 Langevin, 4 reverse SDE vs PF-ODE Heun,
// 5 classifier-free guidance). Target, process, seed, particles and display are kept. Lesson 6
// always shows the learned field beside the exact one, so it sets the score source to exact (the
// planner then needs no model to show the data).
SampledScene enterLesson(SampledScene from, Lesson lesson);

// Lessons 3-5 teach a set of samplers each (samplerFitsLesson): empty, or "sampler.kind: expected
// a sampler of lesson N (...), got X". Scene files, the viewport's flags and its panel hold a
// scene to it; validateSampledScene and the planner do not, so `scorescope sample` may run any
// sampler under guidance (Langevin towards a class, say).
std::string checkLessonSampler(const SampledScene& s);

// The first invalid field of the sampled part as one line "field: expected ..., got ...", or
// empty. Checks what needs no target; the planner checks the rest (class labels exist).
std::string validateSampledScene(const SampledScene& scene);
std::string validateDisplayScene(const DisplayScene& display);

// Calls f(path, fieldOfA, fieldOfB) for every leaf field of two scenes, in one fixed order; pass
// the same scene twice to visit one. The one list of fields: scene files, diffs and the widget
// tests all use it.
template <typename S, typename F>
void visitSceneFields(S& a, S& b, F&& f) {
  auto& x = a.sampled;
  auto& y = b.sampled;
  f("sampled.lesson", x.lesson, y.lesson);
  f("sampled.target", x.target, y.target);
  f("sampled.process", x.process, y.process);
  f("sampled.score", x.score, y.score);
  auto sampler = [&](const char* prefix, auto& s, auto& r) {
    const std::string p = prefix;
    f(p + ".kind", s.kind, r.kind);
    f(p + ".steps", s.steps, r.steps);
    f(p + ".spacing", s.spacing, r.spacing);
    f(p + ".tEnd", s.tEnd, r.tEnd);
    f(p + ".denoiseFinal", s.denoiseFinal, r.denoiseFinal);
    f(p + ".ddpmVariance", s.ddpmVariance, r.ddpmVariance);
    f(p + ".ddimEta", s.ddimEta, r.ddimEta);
    f(p + ".rk45", s.rk45, r.rk45);
    f(p + ".langevinNoiseLevel", s.langevinNoiseLevel, r.langevinNoiseLevel);
    f(p + ".langevinStepSize", s.langevinStepSize, r.langevinStepSize);
    f(p + ".stepsPerLevel", s.stepsPerLevel, r.stepsPerLevel);
    f(p + ".annealedEpsilon", s.annealedEpsilon, r.annealedEpsilon);
    f(p + ".correctorSteps", s.correctorSteps, r.correctorSteps);
    f(p + ".correctorSnr", s.correctorSnr, r.correctorSnr);
  };
  sampler("sampled.sampler", x.sampler, y.sampler);
  sampler("sampled.comparison", x.comparison, y.comparison);
  f("sampled.guidance.kind", x.guidance.kind, y.guidance.kind);
  f("sampled.guidance.label", x.guidance.label, y.guidance.label);
  f("sampled.guidance.scale", x.guidance.scale, y.guidance.scale);
  f("sampled.guidance.sweep", x.guidance.sweep, y.guidance.sweep);
  f("sampled.seed", x.seed, y.seed);
  f("sampled.particles", x.particles, y.particles);
  f("sampled.recordedPaths", x.recordedPaths, y.recordedPaths);
  f("sampled.training.loss", x.training.loss, y.training.loss);
  f("sampled.training.network.role", x.training.network.role, y.training.network.role);
  f("sampled.training.network.width", x.training.network.width, y.training.network.width);
  f("sampled.training.network.depth", x.training.network.depth, y.training.network.depth);
  f("sampled.training.network.timeFeatures", x.training.network.timeFeatures, y.training.network.timeFeatures);
  f("sampled.training.network.classes", x.training.network.classes, y.training.network.classes);
  f("sampled.training.steps", x.training.steps, y.training.steps);
  f("sampled.training.batch", x.training.batch, y.training.batch);
  f("sampled.training.adam.learningRate", x.training.adam.learningRate, y.training.adam.learningRate);
  f("sampled.training.adam.beta1", x.training.adam.beta1, y.training.adam.beta1);
  f("sampled.training.adam.beta2", x.training.adam.beta2, y.training.adam.beta2);
  f("sampled.training.adam.epsilon", x.training.adam.epsilon, y.training.adam.epsilon);
  f("sampled.training.adam.schedule", x.training.adam.schedule, y.training.adam.schedule);
  f("sampled.training.pEmpty", x.training.pEmpty, y.training.pEmpty);
  f("sampled.training.ncsnLevels", x.training.ncsnLevels, y.training.ncsnLevels);
  f("sampled.training.emaDecay", x.training.emaDecay, y.training.emaDecay);
  f("sampled.training.seed", x.training.seed, y.training.seed);
  f("sampled.compareProcesses", x.compareProcesses, y.compareProcesses);
  f("sampled.compareSamplers", x.compareSamplers, y.compareSamplers);
  f("sampled.etaSweep", x.etaSweep, y.etaSweep);
  f("sampled.ddimRoundTrip", x.ddimRoundTrip, y.ddimRoundTrip);

  auto& d = a.display;
  auto& e = b.display;
  f("display.layers.particles", d.layers.particles, e.layers.particles);
  f("display.layers.arrows", d.layers.arrows, e.layers.arrows);
  f("display.layers.density", d.layers.density, e.layers.density);
  f("display.layers.contours", d.layers.contours, e.layers.contours);
  f("display.layers.trails", d.layers.trails, e.layers.trails);
  f("display.layers.paths", d.layers.paths, e.layers.paths);
  f("display.layers.grid", d.layers.grid, e.layers.grid);
  f("display.pointSize", d.pointSize, e.pointSize);
  f("display.pointAlpha", d.pointAlpha, e.pointAlpha);
  f("display.arrowGrid", d.arrowGrid, e.arrowGrid);
  f("display.trueArrowLength", d.trueArrowLength, e.trueArrowLength);
  f("display.arrowGain", d.arrowGain, e.arrowGain);
  f("display.logDensity", d.logDensity, e.logDensity);
  f("display.contourLevels", d.contourLevels, e.contourLevels);
  f("display.trailLength", d.trailLength, e.trailLength);
  f("display.cfgShowsGamma", d.cfgShowsGamma, e.cfgShowsGamma);
  f("display.autoFit", d.autoFit, e.autoFit);
  f("display.likelihoodMap", d.likelihoodMap, e.likelihoodMap);
  f("display.tiltedLaw", d.tiltedLaw, e.tiltedLaw);
  f("display.equationOverlay", d.equationOverlay, e.equationOverlay);
  f("display.legend", d.legend, e.legend);
  f("display.camera", d.camera, e.camera);
  f("display.playback.position", d.playback.position, e.playback.position);
  f("display.playback.speed", d.playback.speed, e.playback.speed);
  f("display.playback.playing", d.playback.playing, e.playback.playing);
}

// Paths of the fields that differ between a and b (visitSceneFields order).
std::vector<std::string> changedSceneFields(const Scene& a, const Scene& b);

}  // namespace scorescope
