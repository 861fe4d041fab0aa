#include "gui/session.hpp"

#include <QCoreApplication>
#include <algorithm>

#include "scorescope/gaussian_mixture.hpp"

namespace scorescope::gui {
Session::Session(QObject* parent) : QObject(parent) {
  connect(&runs_, &RunController::finished, this, &Session::onFinished);
  connect(&runs_, &RunController::failed, this, [this](int generation, const QString& message) {
    if (generation != generation_) return;
    status_ = "sampling failed: " + message.toStdString();
    emit changed();
  });
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
  if (!(previous == scene_.sampled)) replan(previous);
  emit changed();
}

void Session::replan(const SampledScene& previous) {
  SampledScene& s = scene_.sampled;
  plan_ = planScene(s, &plan_);
  // A new target with fewer classes: guide towards its last class rather than refuse.
  if (!plan_.ok() && plan_.target && !(previous.target == s.target) &&
      s.guidance.label >= plan_.target->labelCount()) {
    s.guidance.label = std::max(0, plan_.target->labelCount() - 1);
    plan_ = planScene(s, &plan_);
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
  for (const RunResult& r : shown_->runs) last = std::max(last, static_cast<int>(r.trajectory.times.size()) - 1);
  if (!lessonShowsData(shown_->scene.lesson)) {
    last = std::max(last, 1);
    const bool wasContinuous = !timeline_.discrete();
    timeline_.setSteps(last);
    if (first || wasContinuous) timeline_.scrubTo(0.0);
  } else {
    timeline_.setSteps(0);
  }
  status_.clear();
  emit changed();
}

void Session::waitForRuns() {
  runs_.waitForIdle();
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
