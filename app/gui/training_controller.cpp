#include "gui/training_controller.hpp"

#include <QMetaObject>
#include <condition_variable>
#include <exception>
#include <mutex>

#include "scorescope/learned_score.hpp"
#include "scorescope/metrics.hpp"
#include "scorescope/rng.hpp"
#include "scorescope/score_model.hpp"
#include "scorescope/score_training.hpp"

namespace scorescope::gui {

void LossCurve::add(double loss) {
  ++steps_;
  partialSum_ += loss;
  if (++partialCount_ < bucketSize_) return;
  sums_.push_back(partialSum_);
  partialSum_ = 0.0;
  partialCount_ = 0;
  if (static_cast<int>(sums_.size()) < kMaxPoints) return;
  // Full: merge neighbours, halving the point count and doubling the steps per point.
  for (std::size_t i = 0; i < sums_.size() / 2; ++i) sums_[i] = sums_[2 * i] + sums_[2 * i + 1];
  sums_.resize(sums_.size() / 2);
  bucketSize_ *= 2;
}

std::vector<float> LossCurve::means() const {
  std::vector<float> out;
  out.reserve(sums_.size() + 1);
  for (double s : sums_) out.push_back(static_cast<float>(s / bucketSize_));
  if (partialCount_ > 0) out.push_back(static_cast<float>(partialSum_ / partialCount_));
  return out;
}

const char* trainingStateTitle(TrainingState state) {
  switch (state) {
    case TrainingState::Empty: return "no model";
    case TrainingState::Running: return "training";
    case TrainingState::Paused: return "paused";
    case TrainingState::Finished: return "finished";
    case TrainingState::Failed: return "failed";
  }
  return "?";
}

// What the worker and the GUI share. `status` is what the GUI reads; the trainer and the exact
// model are the worker's alone once it runs.
struct TrainingController::Shared {
  std::mutex mutex;
  std::condition_variable wake;     // worker: resume or quit
  std::condition_variable stopped;  // waitUntilStopped: the worker is idle or gone
  bool paused = false, quit = false, idle = false;
  TrainingStatus status;
  // The worker's own.
  std::unique_ptr<ScoreTrainer> trainer;
  std::shared_ptr<const Target> target;
  std::shared_ptr<const ScoreModel> exact;
};

namespace {

using Clock = std::chrono::steady_clock;

// s(t)^2 E_{x ~ p_t} |s_theta - grad log p_t|^2 at each of `times` midpoint t: core's per-time
// error with weightedScoreError's t grid and streams, so the curve's mean is that number.
std::vector<float> errorCurve(const ScoreModel& model, const ScoreModel& exact, const Target& target, int times,
                              Eigen::Index particles, double tMin, const CounterRng& rng, std::vector<double>& ts) {
  ts = midpointTimes(tMin, times);
  const std::vector<double> error = scoreErrorAtTimes(model, exact, target, ts, particles, rng);
  std::vector<float> out;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const double s = exact.process().s(ts[i]);
    out.push_back(static_cast<float>(s * s * error[i]));
  }
  return out;
}

}  // namespace

TrainingController::TrainingController(QObject* parent) : QObject(parent) {}

TrainingController::~TrainingController() {
  retire();
  for (std::thread& t : retired_) t.join();
}

std::string TrainingController::start(std::shared_ptr<const Target> target, const Process& process,
                                      const TrainingSettings& settings, const TrainingOrigin& origin,
                                      const std::string& targetName) {
  auto shared = std::make_shared<Shared>();
  try {
    // Built here so a bad setting is reported at once; from now on only the worker touches it.
    shared->trainer = std::make_unique<ScoreTrainer>(target, process, settings, targetName);
  } catch (const std::exception& e) {
    return e.what();
  }
  retire();  // no "published" for the moment between two models: the next snapshot replaces it
  if (settings.network.role == NetworkRole::Score) shared->exact = std::make_shared<ExactScore>(target, process);
  shared->target = std::move(target);
  shared->status.state = TrainingState::Running;
  shared->status.origin = origin;
  shared->status.totalSteps = settings.steps;
  shared_ = shared;
  worker_ = std::thread([this, shared] { runWorker(shared); });
  return {};
}

void TrainingController::pause() {
  if (!shared_) return;
  std::lock_guard lock(shared_->mutex);
  shared_->paused = true;
}

void TrainingController::resume() {
  if (!shared_) return;
  {
    std::lock_guard lock(shared_->mutex);
    if (shared_->status.state != TrainingState::Paused && !shared_->paused) return;
    shared_->paused = false;
  }
  shared_->wake.notify_all();
}

void TrainingController::reset() {
  retire();
  emit published();
}

void TrainingController::retire() {
  if (shared_) {
    {
      std::lock_guard lock(shared_->mutex);
      shared_->quit = true;
    }
    shared_->wake.notify_all();
  }
  if (worker_.joinable()) retired_.push_back(std::move(worker_));
  shared_.reset();
}

void TrainingController::adopt(std::shared_ptr<const TrainedNetwork> network, const TrainingOrigin& origin) {
  retire();
  auto shared = std::make_shared<Shared>();
  shared->status.state = TrainingState::Finished;
  shared->status.origin = origin;
  shared->status.steps = shared->status.totalSteps = network->trainedSteps;
  shared->status.snapshot = std::move(network);
  shared->idle = true;
  shared_ = shared;
  emit published();
}

void TrainingController::waitUntilStopped() {
  if (!shared_) return;
  std::unique_lock lock(shared_->mutex);
  shared_->stopped.wait(lock, [&] { return shared_->idle; });
}

TrainingStatus TrainingController::status() const {
  if (!shared_) return {};
  std::lock_guard lock(shared_->mutex);
  return shared_->status;
}

std::shared_ptr<const TrainedNetwork> TrainingController::snapshot() const {
  if (!shared_) return nullptr;
  std::lock_guard lock(shared_->mutex);
  return shared_->status.snapshot;
}

TrainingState TrainingController::state() const {
  if (!shared_) return TrainingState::Empty;
  std::lock_guard lock(shared_->mutex);
  return shared_->status.state;
}

void TrainingController::notify(const std::shared_ptr<Shared>& shared, bool stoppedNow) {
  // Queued to the GUI thread, and dropped there when this worker has been reset meanwhile.
  QMetaObject::invokeMethod(this, [this, weak = std::weak_ptr<Shared>(shared), stoppedNow] {
    if (weak.lock() != shared_ || !shared_) return;
    emit published();
    if (stoppedNow) emit stopped();
  }, Qt::QueuedConnection);
}

void TrainingController::runWorker(std::shared_ptr<Shared> shared) {
  ScoreTrainer& trainer = *shared->trainer;
  const TrainingSettings& settings = trainer.settings();
  LossCurve curve;
  Clock::time_point lastPublish = Clock::now(), lastError{};
  long long stepsAtPublish = trainer.stepsDone();
  const double tMin = trainingTMin(Process(trainer.network().process));

  // Copies the trainer's state into the shared status; `measure` adds the error evaluation.
  const auto publish = [&](bool measure, TrainingState state) {
    TrainingStatus next;
    next.snapshot = trainer.snapshot();
    next.steps = trainer.stepsDone();
    next.loss = curve.means();
    next.lossBucket = curve.bucketSize();
    const Clock::time_point now = Clock::now();
    const double seconds = std::chrono::duration<double>(now - lastPublish).count();
    const double rate = seconds > 0.0 ? static_cast<double>(next.steps - stepsAtPublish) * settings.batch / seconds : 0.0;
    if (measure && shared->exact) {
      const LearnedScore learned(next.snapshot);
      const CounterRng rng(kErrorSeed);
      next.error = weightedScoreError(learned, *shared->exact, *shared->target, kErrorTimes, kErrorParticles, tMin, rng);
      next.errorCurve = errorCurve(learned, *shared->exact, *shared->target, kErrorTimes, kErrorParticles, tMin, rng,
                                   next.errorTimes);
      next.errorSteps = next.steps;
      lastError = Clock::now();
    }
    std::lock_guard lock(shared->mutex);
    TrainingStatus& s = shared->status;
    if (!measure) {  // keep the last measurement
      next.error = s.error;
      next.errorSteps = s.errorSteps;
      next.errorTimes = std::move(s.errorTimes);
      next.errorCurve = std::move(s.errorCurve);
    }
    next.samplesPerSecond = next.steps > stepsAtPublish ? rate : s.samplesPerSecond;
    next.origin = s.origin;
    next.totalSteps = s.totalSteps;
    next.state = state;
    s = std::move(next);
    lastPublish = now;
    stepsAtPublish = s.steps;
  };

  try {
    publish(true, TrainingState::Running);  // the untrained network's error: where the curve starts
    notify(shared, false);
    for (;;) {
      {
        std::unique_lock lock(shared->mutex);
        if (shared->quit) return;
        if (shared->paused) {
          lock.unlock();
          publish(true, TrainingState::Paused);
          lock.lock();
          shared->idle = true;
          shared->stopped.notify_all();
          notify(shared, true);
          shared->wake.wait(lock, [&] { return shared->quit || !shared->paused; });
          if (shared->quit) return;
          shared->idle = false;
          shared->status.state = TrainingState::Running;
          lastPublish = Clock::now();  // the pause is not training time
        }
      }
      curve.add(trainer.step());
      const Clock::time_point now = Clock::now();
      if (trainer.finished()) {
        publish(true, TrainingState::Finished);
        std::lock_guard lock(shared->mutex);
        shared->idle = true;
        shared->stopped.notify_all();
        notify(shared, true);
        return;
      }
      if (now - lastPublish >= kPublishInterval) {
        publish(now - lastError >= kErrorInterval, TrainingState::Running);
        notify(shared, false);
      }
    }
  } catch (const std::exception& e) {
    std::lock_guard lock(shared->mutex);
    shared->status.state = TrainingState::Failed;
    shared->status.message = e.what();
    shared->idle = true;
    shared->stopped.notify_all();
    notify(shared, true);
  }
}

}  // namespace scorescope::gui
