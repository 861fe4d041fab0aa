#include "gui/session.hpp"

#include <QCoreApplication>
#include <algorithm>

#include "scorescope/gaussian_mixture.hpp"
#include "scorescope/learned_score.hpp"

namespace scorescope::gui {
namespace {

// The training settings say how the next model is trained (they apply at Start); the planner
// never reads them, so moving a training slider re-samples nothing.
bool samePlanInputs(SampledScene a, SampledScene b) {
  a.training = b.training = {};
  return a == b;
}

}  // namespace

Session::Session(QObject* parent) : QObject(parent) {
  connect(&runs_, &RunController::finished, this, &Session::onFinished);
  connect(&runs_, &RunController::failed, this, [this](int generation, const QString& message) {
    if (generation != generation_) return;
    status_ = "sampling failed: " + message.toStdString();
    emit changed();
  });
  for (TrainingController* t : {&scoreTraining_, &classifierTraining_}) {
    connect(t, &TrainingController::published, this, &Session::onSnapshot);
    connect(t, &TrainingController::stopped, this, &Session::onTrainingStopped);
  }
  connect(&likelihoodMaps_, &LikelihoodMaps::ready, this, &Session::changed);
  timeline_.scrubTo(scene_.display.playback.position);
  timeline_.setSpeed(scene_.display.playback.speed);
  timeline_.setPlaying(scene_.display.playback.playing);
  replan(scene_.sampled);
}

Session::~Session() { runs_.cancel(); }

Scene Session::scene() const {
  Scene s = scene_;
  s.display.playback = {timeline_.position(), timeline_.speed(), timeline_.playing()};
  return s;
}

void Session::setScene(const Scene& requested) {
  Scene next = requested;
  if (const std::string invalid = validateDisplayScene(next.display); !invalid.empty()) {
    status_ = "display." + invalid;
    emit changed();
    return;
  }
  const Playback& p = next.display.playback;
  if (p.position != timeline_.position()) timeline_.scrubTo(p.position);
  if (p.speed != timeline_.speed()) timeline_.setSpeed(p.speed);
  timeline_.setPlaying(p.playing);
  const SampledScene previous = scene_.sampled;
  scene_ = next;
  if (!samePlanInputs(previous, scene_.sampled)) replan(previous);
  emit changed();
}

void Session::replan(const SampledScene& previous) {
  SampledScene& s = scene_.sampled;
  learnedStale_ = false;
  planned_ = learnedModels();
  plan_ = planScene(s, &plan_, planned_);
  // A new target with fewer classes: guide towards its last class rather than refuse.
  if (!plan_.ok() && plan_.target && !(previous.target == s.target) &&
      s.guidance.label >= plan_.target->labelCount()) {
    s.guidance.label = std::max(0, plan_.target->labelCount() - 1);
    plan_ = planScene(s, &plan_, planned_);
  }
  if (!plan_.ok()) {
    generation_ = runs_.cancel();
    shown_.reset();
    timeline_.setSteps(0);
    status_ = plan_.error;
    return;
  }
  // Output of another lesson or pane count would show old titles over a new layout: drop it.
  if (shown_ && (shown_->scene.lesson != s.lesson || shown_->plan.runs.size() != plan_.runs.size())) {
    shown_.reset();
    timeline_.setSteps(0);
  }
  status_ = "sampling...";
  generation_ = runs_.start(makeRunJob(plan_, s));
}

void Session::onFinished(int generation, std::shared_ptr<const RunOutput> output) {
  if (generation != generation_) return;
  const bool first = !shown_;
  shown_ = std::move(output);
  shownGeneration_ = generation;
  int last = 0;
  bool denoise = false;
  for (const RunResult& r : shown_->runs) {
    const std::vector<double>& times = r.trajectory.times;
    if (static_cast<int>(times.size()) - 1 < last) continue;
    last = static_cast<int>(times.size()) - 1;
    denoise = r.trajectory.finalDenoise;
  }
  if (!lessonShowsData(shown_->scene.lesson)) {
    last = std::max(last, 1);
    const bool wasContinuous = !timeline_.discrete();
    timeline_.setSteps(last, denoise);
    if (first || wasContinuous) timeline_.scrubTo(0.0);
  } else {
    timeline_.setSteps(0);
  }
  status_.clear();
  emit changed();
}

LearnedModels Session::learnedModels() const {
  return {scoreTraining_.snapshot(), classifierTraining_.snapshot()};
}

void Session::onSnapshot() {
  if (usesLearned()) {
    const LearnedModels now = learnedModels();
    const bool lost = (planned_.score && !now.score) || (planned_.classifier && !now.classifier);
    const bool newer = now.score != planned_.score || now.classifier != planned_.classifier;
    if (!plan_.ok() || lost || (!shown_ && !runs_.busy())) {
      replan(scene_.sampled);  // the first model, or a model went away (the status then says so)
    } else if (newer && lessonShowsData(scene_.sampled.lesson)) {
      // The data does not depend on the model: only the field changes, no re-sampling.
      ScenePlan next = planScene(scene_.sampled, &plan_, now);
      if (next.ok()) {
        plan_ = std::move(next);
        planned_ = now;
      } else {
        replan(scene_.sampled);
      }
    } else if (newer) {
      // Re-running every sampler at every snapshot would keep the worker busy and the panes
      // flickering: the runs wait for a pause, the end of training or the user.
      learnedStale_ = true;
    }
  }
  emit changed();
}

void Session::onTrainingStopped() {
  if (usesLearned() && !lessonShowsData(scene_.sampled.lesson)) replan(scene_.sampled);
  emit changed();
}

void Session::resample() { replan(scene_.sampled); }

TrainingOrigin Session::origin() const {
  return {scene_.sampled.target, scene_.sampled.seed, scene_.sampled.process};
}

namespace {

std::string targetName(const TargetSpec& spec) {
  switch (spec.source) {
    case TargetSource::Preset: return spec.preset;
    case TargetSource::Mixture: return "edited mixture";
    case TargetSource::PointCloud: return "drawn points";
  }
  return "target";
}

}  // namespace

std::string Session::startTraining() {
  if (!plan_.target) return plan_.error.empty() ? "target: none" : plan_.error;
  TrainingSettings t = scene_.sampled.training;
  t.network.role = NetworkRole::Score;
  // "class-conditional" asks for the target's classes, whatever the target is now.
  if (t.network.classes > 0) t.network.classes = labelCount() > 1 ? labelCount() : 0;
  return scoreTraining_.start(plan_.target, plan_.process, t, origin(), targetName(scene_.sampled.target));
}

std::string Session::startClassifierTraining() {
  if (!plan_.target) return plan_.error.empty() ? "target: none" : plan_.error;
  TrainingSettings t = scene_.sampled.training;
  t.network.role = NetworkRole::Classifier;
  t.network.classes = labelCount();
  return classifierTraining_.start(plan_.target, plan_.process, t, origin(), targetName(scene_.sampled.target));
}

std::string Session::trainNow(long long steps) {
  Scene s = scene();
  s.sampled.training.steps = steps;
  setScene(s);
  if (std::string error = startTraining(); !error.empty()) return error;
  scoreTraining_.waitUntilStopped();
  QCoreApplication::sendPostedEvents(&scoreTraining_);
  QCoreApplication::processEvents();
  return {};
}

void Session::adoptModels(const LearnedModels& models) {
  // A loaded file's origin is the target it names: the scene's when the names agree, otherwise
  // that preset, so the panel says the model was trained on another target.
  const auto originOf = [&](const TrainedNetwork& network) {
    TrainingOrigin origin{scene_.sampled.target, scene_.sampled.seed, network.process};
    if (network.targetName != targetName(scene_.sampled.target)) {
      origin.target = TargetSpec{};
      origin.target.preset = network.targetName;
    }
    return origin;
  };
  if (models.score) scoreTraining_.adopt(models.score, originOf(*models.score));
  if (models.classifier) classifierTraining_.adopt(models.classifier, originOf(*models.classifier));
}

std::shared_ptr<const ScoreModel> Session::learnedField() const {
  const std::shared_ptr<const TrainedNetwork> network = scoreTraining_.snapshot();
  if (network != fieldNetwork_) {
    fieldNetwork_ = network;
    field_ = network ? std::make_shared<LearnedScore>(network) : nullptr;
  }
  return field_;
}

std::string Session::modelMismatch(const TrainingController& training) const {
  const TrainingStatus st = training.status();
  if (!st.snapshot) return {};
  const TrainingOrigin now = origin();
  if (st.origin.process != now.process) {
    return "This model was trained for process '" + std::string(processName(st.origin.process)) +
           "', not the scene's '" + std::string(processName(now.process)) + "'.";
  }
  if (!(st.origin.target == now.target) || (now.target.source == TargetSource::Preset && st.origin.seed != now.seed)) {
    return "This model was trained on another target (" + st.snapshot->targetName + ").";
  }
  return {};
}

void Session::waitForRuns() {
  runs_.waitForIdle();
  likelihoodMaps_.waitForIdle();
  QCoreApplication::sendPostedEvents(&runs_);
  QCoreApplication::processEvents();
}

double Session::displayTime() const {
  if (lessonShowsData(scene_.sampled.lesson)) return timeline_.position();
  if (!shown_ || shown_->runs.empty()) return 1.0;
  const Trajectory& tr = shown_->runs.front().trajectory;
  if (tr.times.empty()) return 1.0;
  const int step = tr.snapshotSteps.empty() ? timeline_.currentStep()
                                            : tr.snapshotSteps[shownSnapshot(tr, timeline_.currentStep())];
  return tr.times[static_cast<std::size_t>(std::clamp(step, 0, static_cast<int>(tr.times.size()) - 1))];
}

int Session::displayStep() const { return lessonShowsData(scene_.sampled.lesson) ? -1 : timeline_.currentStep(); }

const std::vector<MixtureComponent>* Session::mixture() const {
  const auto* m = dynamic_cast<const GaussianMixture*>(plan_.target.get());
  return m ? &m->components() : nullptr;
}

double Session::handleScale() const {
  return lessonShowsData(scene_.sampled.lesson) ? plan_.process.a(displayTime()) : 1.0;
}

bool Session::hasHandles() const { return mixture() && handleScale() >= kMinHandleScale; }

std::vector<std::array<double, 2>> Session::handlePositions() const {
  std::vector<std::array<double, 2>> out;
  if (!mixture()) return out;
  const double a = handleScale();
  for (const MixtureComponent& c : *mixture()) out.push_back({a * c.mean.x(), a * c.mean.y()});
  return out;
}

void Session::moveHandle(int index, double worldX, double worldY) {
  // t may have moved on (playing) since the drag started: no edit once the handles are gone.
  const auto* components = mixture();
  if (!components || index < 0 || index >= static_cast<int>(components->size()) || !hasHandles()) return;
  const double a = handleScale();
  const Eigen::Vector2d mean(worldX / a, worldY / a);
  if (!(mean.cwiseAbs().maxCoeff() <= 1e6)) return;
  std::vector<MixtureComponent> moved = *components;
  moved[static_cast<std::size_t>(index)].mean = mean;
  edit([&](Scene& s) {
    s.sampled.target.source = TargetSource::Mixture;
    s.sampled.target.components = std::move(moved);
  });
}

void Session::addDrawnPoint(double x, double y, int label) {
  if (!drawing() || !(std::abs(x) <= 1e6 && std::abs(y) <= 1e6)) return;
  edit([&](Scene& s) {
    s.sampled.target.points.emplace_back(x, y);
    s.sampled.target.labels.push_back(std::clamp(label, 0, kMaxLabel));
  });
}

void Session::clearDrawnPoints() {
  edit([](Scene& s) {
    s.sampled.target.points.clear();
    s.sampled.target.labels.clear();
  });
}

}  // namespace scorescope::gui
