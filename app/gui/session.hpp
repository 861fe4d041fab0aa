#pragma once
// The viewport's document: the current Scene value, the plan core made of its sampled part, the
// run controller computing it, the output on show and the play head. The panels, the mouse and
// the command line all edit the scene through setScene(); the session decides what to recompute
// by comparing values (a changed SampledScene means a new plan and run, a changed DisplayScene
// only a re-draw). No sampling happens on the GUI thread.
#include <QObject>
#include <array>
#include <memory>
#include <string>

#include "gui/likelihood_maps.hpp"
#include "gui/run_controller.hpp"
#include "gui/timeline.hpp"
#include "gui/training_controller.hpp"
#include "scorescope/scene.hpp"
#include "scorescope/scene_plan.hpp"

namespace scorescope::gui {

class Session : public QObject {
  Q_OBJECT
 public:
  explicit Session(QObject* parent = nullptr);
  ~Session() override;

  // The scene, with display.playback reporting the play head.
  Scene scene() const;
  // Applies a new scene. An invalid display part is refused (status says which field); an
  // invalid sampled part is kept so the panels show it, its runs are dropped and the status
  // names the field until it is valid again.
  void setScene(const Scene& next);
  template <typename Edit>
  void edit(Edit&& edit) {
    Scene s = scene();
    edit(s);
    setScene(s);
  }

  Timeline& timeline() { return timeline_; }
  const Timeline& timeline() const { return timeline_; }
  void tick(double seconds) { timeline_.advance(seconds); }

  // The plan of the current sampled scene (its target may be null when the scene is invalid).
  const ScenePlan& plan() const { return plan_; }
  // What is on show: the newest finished output, or null. While a new generation samples, the
  // previous output of the same lesson and pane count stays on show.
  const RunOutput* shown() const { return shown_.get(); }
  int shownGeneration() const { return shownGeneration_; }
  int labelCount() const { return plan_.target ? plan_.target->labelCount() : 1; }

  bool busy() const { return runs_.busy(); }
  double progress() const { return runs_.progress(); }
  // Why nothing is shown (an invalid field, a failed run), "sampling...", or empty.
  const std::string& status() const { return status_; }
  // Blocks until the running job has finished and its result is applied (tests, screenshots),
  // and likewise for the likelihood maps being computed.
  void waitForRuns();
  // Lesson 4's PF-ODE likelihood maps (computed off the GUI thread, cached by key).
  const LikelihoodMaps& likelihoodMaps() const { return likelihoodMaps_; }

  // The diffusion time t of the frame shown, and the step (sampling lessons) or -1.
  double displayTime() const;
  int displayStep() const;

  // Direct manipulation. Mixture targets expose their component means as handles, placed where
  // the noised component sits at the displayed t (a(t) mu); moving one edits mu = x / a(t) and
  // turns the target into an explicit mixture. Below a(t) = kMinHandleScale the modes have
  // collapsed into the noise and there are no handles (a drag there would fling mu away).
  static constexpr double kMinHandleScale = 0.2;
  bool hasHandles() const;
  std::vector<std::array<double, 2>> handlePositions() const;
  void moveHandle(int index, double worldX, double worldY);
  // The drawn target (TargetSource::PointCloud): points the user clicks.
  bool drawing() const { return scene_.sampled.target.source == TargetSource::PointCloud; }
  void addDrawnPoint(double x, double y, int label);
  void clearDrawnPoints();

  // Live training (lesson 6) of the score network and of the noisy classifier for learned
  // classifier guidance. Their latest snapshots are the LearnedModels every plan gets.
  TrainingController& scoreTraining() { return scoreTraining_; }
  const TrainingController& scoreTraining() const { return scoreTraining_; }
  TrainingController& classifierTraining() { return classifierTraining_; }
  const TrainingController& classifierTraining() const { return classifierTraining_; }
  LearnedModels learnedModels() const;
  // Starts training on the scene's target and process with the scene's training settings
  // (the classifier: role Classifier with the target's classes). Empty, or why it cannot start.
  std::string startTraining();
  std::string startClassifierTraining();
  // Trains `steps` steps to the end before returning (--train-steps: a screenshot of a trained
  // model). Empty, or why it cannot.
  std::string trainNow(long long steps);
  // Shows networks loaded from files (--model, --classifier) as finished models of this scene's
  // target (a file names its target but not its spec) and their own process.
  void adoptModels(const LearnedModels& models);
  // The latest score snapshot as a ScoreModel, one object per snapshot (arrow caches key on it).
  std::shared_ptr<const ScoreModel> learnedField() const;
  // Empty, or what the model was trained on when that is not the scene's target and process.
  std::string modelMismatch(const TrainingController& training) const;
  // Lessons 3-5 on a learned source: a newer snapshot than the runs on show used. The runs are
  // re-sampled when training pauses or finishes, or on resample().
  bool learnedRunsStale() const { return learnedStale_; }
  void resample();

 signals:
  void changed();

 private:
  void replan(const SampledScene& previous);
  void onFinished(int generation, std::shared_ptr<const RunOutput> output);
  void onSnapshot();
  void onTrainingStopped();
  // Whether the plan depends on a trained model: a learned score source, or classifier guidance
  // (a trained noisy classifier guides the exact score too).
  bool usesLearned() const {
    const SampledScene& s = scene_.sampled;
    return s.score != ScoreSource::Exact || (s.lesson == Lesson::Guidance && s.guidance.kind == GuidanceKind::Classifier);
  }
  TrainingOrigin origin() const;
  double handleScale() const;
  const std::vector<MixtureComponent>* mixture() const;

  Scene scene_;
  Timeline timeline_;
  ScenePlan plan_;
  RunController runs_;
  int generation_ = 0;  // of the newest job (or of the last cancel)
  std::shared_ptr<const RunOutput> shown_;
  int shownGeneration_ = 0;
  std::string status_;
  TrainingController scoreTraining_, classifierTraining_;
  LikelihoodMaps likelihoodMaps_;
  bool learnedStale_ = false;
  LearnedModels planned_;  // the models plan_ was made with
  // learnedField()'s cache: the snapshot it wraps.
  mutable std::shared_ptr<const TrainedNetwork> fieldNetwork_;
  mutable std::shared_ptr<const ScoreModel> field_;
};

}  // namespace scorescope::gui
