#pragma once
// Everything a view of the viewport depends on, as one plain value the panels edit. The Scene
// compares the new value with the old one to decide what to recompute: moving the time slider
// re-draws, changing the sampler re-samples.
#include <string>

#include "render/arrow_field.hpp"
#include "render/density_image.hpp"
#include "scorescope/process.hpp"
#include "scorescope/sampler_run.hpp"

namespace scorescope::gui {

enum class Lesson { ForwardNoising = 1, ScoreField = 2, Langevin = 3, ReverseVsOde = 4, Guidance = 5 };
inline constexpr int kLessonCount = 5;
const char* lessonTitle(Lesson lesson);

// Which layers the canvas draws.
struct Layers {
  bool particles = true;
  bool arrows = true;
  bool density = true;
  bool contours = false;
  bool trails = true;
  bool paths = true;
  bool grid = true;

  bool operator==(const Layers&) const = default;
};

// Lesson 4: the stochastic sampler compared with a deterministic one from the same noise.
enum class StochasticSampler { ReverseSde, Ddpm, Ddim };
enum class DeterministicSampler { OdeEuler, OdeHeun, OdeRk4, DdimEta0 };
// Lesson 5.
enum class GuidanceKind { Classifier, ClassifierFree };

struct SceneSettings {
  Lesson lesson = Lesson::ScoreField;
  std::string target = "gmm8-ring";  // a preset name or "draw" (points the user clicked)
  ProcessKind process = ProcessKind::Vp;
  int particles = 20000;
  int seed = 0;

  Layers layers;
  float pointSize = 2.5f;
  float pointAlpha = 0.65f;
  int arrowGrid = 32;  // arrows per side
  render::ArrowLength arrowLength = render::ArrowLength::Normalised;
  float arrowGain = 0.15f;
  render::DensityScale densityScale = render::DensityScale::Linear;
  int contourLevels = 8;
  int trailLength = 12;  // steps
  int pathCount = 40;    // particles whose full path is kept

  // Lessons 1 and 2: the time slider is t itself.
  // Lesson 3.
  bool annealed = false;
  double langevinStep = 1e-2;       // eta (plain)
  double langevinNoiseLevel = 0.1;  // plain Langevin samples p_t at s/a = this
  int langevinSteps = 300;
  int annealedLevels = 10;
  int stepsPerLevel = 40;
  double annealedEpsilon = 2e-4;
  // Lesson 4.
  StochasticSampler stochastic = StochasticSampler::ReverseSde;
  DeterministicSampler deterministic = DeterministicSampler::OdeHeun;
  double ddimEta = 1.0;
  int steps = 100;
  // Lesson 5.
  int guidanceClass = 0;
  GuidanceKind guidance = GuidanceKind::ClassifierFree;
  double classifierGamma = 3.0;
  double cfgScale = 3.0;  // in the convention below
  bool cfgLectureConvention = false;  // false: the slider is w (Ho & Salimans); true: gamma = 1 + w
  bool sweep = false;                 // small multiples at scales 0, 1, 3, 7
  SamplerKind guidanceSampler = SamplerKind::OdeHeun;

  bool operator==(const SceneSettings&) const = default;
};

// True when going from `a` to `b` requires new samples (not only a re-draw).
bool needsResampling(const SceneSettings& a, const SceneSettings& b);

// Empty when `name` is a core preset or "draw"; else "unknown 'NAME'; expected one of ...".
std::string targetNameError(const std::string& name);

}  // namespace scorescope::gui
