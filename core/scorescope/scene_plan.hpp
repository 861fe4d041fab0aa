#pragma once
// The planner: turns the sampled part of a scene into what runs (the target, the process, the
// score models, guidance wrappers and sampler runs) and runs it. The CLI, the viewport and
// headless export all go through these functions, so no front end builds models itself.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scorescope/scene.hpp"
#include "scorescope/score_model.hpp"
#include "scorescope/target.hpp"
#include "scorescope/trajectory.hpp"

namespace scorescope {

// Trained networks a front end hands the planner (the GUI's live training, the CLI's --model and
// --classifier files). Either may be null.
struct LearnedModels {
  std::shared_ptr<const TrainedNetwork> score;       // a score network, class-conditional for CFG
  // A noisy classifier: when given, classifier guidance uses it on the exact and the learned
  // score alike (the classifier is a choice of its own, apart from the score source).
  std::shared_ptr<const TrainedNetwork> classifier;
};

// One sampler run of a plan: the model that drives it and how it was made.
struct PlannedRun {
  std::shared_ptr<const ScoreModel> model;
  ScoreSource source = ScoreSource::Exact;  // Exact or Learned
  SamplerSettings sampler;
  GuidanceKind guidance = GuidanceKind::None;
  int label = 0;
  double scale = 0.0;
};

struct ScenePlan {
  TargetSpec targetSpec;  // what `target` was built from (with targetSeed), to reuse it
  std::uint64_t targetSeed = 0;
  std::shared_ptr<const Target> target;
  Process process{ProcessKind::Vp};
  std::shared_ptr<const ScoreModel> exact;  // grad log p_t of the whole target (unguided)
  std::shared_ptr<const ScoreModel> learned;  // the learned unguided score, when the scene uses one
  // Lessons 1-2 with compareProcesses: the exact score of the other family of process
  // (comparedProcessKind; its process() says which), shown beside the scene's on the same data
  // and the same noise eps. Null otherwise.
  std::shared_ptr<const ScoreModel> comparedExact;
  // Lesson 4 with ddimRoundTrip: every run encodes the target's data to noise with DDIM (eta = 0)
  // and decodes it back (ddimRoundTrip) instead of sampling from noise.
  bool roundTrip = false;
  // Lessons 3-5: one run per pane (lesson 3 with compareSamplers and lesson 4: sampler then
  // comparison; a guidance sweep: one per scale; lesson 4's eta sweep: one DDIM run per eta; the
  // round trip: one), all from the same initial noise; with ScoreSource::Both the exact runs, then the same runs
  // on the learned model. Lessons that show data, not runs: empty.
  std::vector<PlannedRun> runs;
  std::string error;  // why the scene cannot run (one line naming the field), or empty
  // The scene field at fault when the error comes from a check that needs the target or a model,
  // as its visitSceneFields path ("sampled.guidance.label"), so a scene file's reader can name
  // the JSON path where `error` names the flag ("class: ..."). Empty when no scene field is at
  // fault (a --classifier file) and for validateSampledScene's errors (they name their field).
  std::string errorField;

  bool ok() const { return error.empty(); }
};

// The process family compared with `kind` in lessons 1-2: VE beside any VP-type process (VP,
// DDPM, sub-VP, OU: a(t) shrinks the data), VP beside VE (a = 1, the noise grows without bound).
ProcessKind comparedProcessKind(ProcessKind kind);

// The target a spec describes, or null with `error` naming the field.
std::shared_ptr<const Target> buildTarget(const TargetSpec& spec, std::uint64_t seed, std::string& error);

// Validates the scene (validateSampledScene, then what needs the target: the class exists and
// has data, guidance has labels; a learned source has a model for this process and target) and
// builds everything a run needs. Cheap: no sampling. The target of `previous` is reused when it
// was built from the same spec and seed (a slider that changes the sampler does not rebuild a
// point-set target). Guidance applies in the guidance lesson only: lessons 3 and 4 run the
// unguided score whatever the guidance settings hold. Classifier guidance uses
// `learned.classifier` when given (required on the learned score), classifier-free guidance on
// the learned score the class-conditional network with its null token.
ScenePlan planScene(const SampledScene& scene, const ScenePlan* previous = nullptr,
                    const LearnedModels& learned = {});

// Data for the forward lessons and `scorescope forward`: x0 ~ p_0 with labels, and the noise eps
// with which x_t = a(t) x0 + s(t) eps at every t (Process::noised), drawn once so that scrubbing
// t moves each particle smoothly.
struct ForwardData {
  Points x0;
  Labels labels;  // empty when the target is unlabelled
  Points eps;
};
ForwardData sampleForwardData(const Target& target, Eigen::Index n, std::uint64_t seed);

struct RunResult {
  PlannedRun run;
  Trajectory trajectory;
  Labels labels;  // most likely class of each final particle (round trip: of each data point); empty when unlabelled
  double reconstructionError = -1.0;  // round trip: mean |x0 - decode(encode(x0))|; otherwise -1
};

// Runs every planned run from the same initial particles (seeded by scene.seed): the same
// standard normal draw z for every run, scaled to where each sampler starts (initialParticles: a
// plain Langevin run beside an annealed one starts from the same z). A round-trip plan instead
// encodes and decodes the same data x0 ~ p_0 (sampleForwardData's) in every run. `progress`
// gets the overall fraction done and returns false to cancel; a cancelled run returns nothing.
// Throws std::invalid_argument for a plan that is not ok().
using RunProgress = std::function<bool(double fraction)>;
std::vector<RunResult> executeRuns(const ScenePlan& plan, const SampledScene& scene,
                                   const RecordOptions& record, const RunProgress& progress = {});

// The most probable class of each point under the target at the sampler noise floor (exact
// posterior p(y | x) at s/a = kMinNoiseLevel); empty for an unlabelled target.
Labels mostLikelyClass(const Target& target, const Points& x);

}  // namespace scorescope
