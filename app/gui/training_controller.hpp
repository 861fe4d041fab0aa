#pragma once
// Live training for the learn-the-score lesson: a ScoreTrainer runs in a worker thread while the
// GUI thread draws. The worker publishes, under a mutex, what the GUI reads: a snapshot of the
// network at most every kPublishInterval, the loss curve, the step count and the measured
// throughput, and every kErrorInterval the weighted score error against the exact score (one
// number and a curve over t, so the class sees where in time the model is worst). The trainer
// itself is only ever touched by the worker. Start, pause, resume and reset never wait for a
// training step: a reset retires the worker (it stops after its current step) and a new one
// starts with fresh shared state, so nothing an old worker publishes can reach the GUI.
#include <QObject>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "scorescope/scene.hpp"
#include "scorescope/score_network.hpp"
#include "scorescope/target.hpp"

namespace scorescope::gui {

// The loss of every step, folded into at most kMaxPoints bucket means: when the buckets fill up,
// neighbours merge and the bucket size doubles. Memory and the cost of drawing stay bounded for
// any step count (up to kMaxTrainingSteps), and the curve keeps its shape.
class LossCurve {
 public:
  static constexpr int kMaxPoints = 256;
  void add(double loss);
  // Mean loss per bucket, oldest first (the partial last bucket included).
  std::vector<float> means() const;
  long long steps() const { return steps_; }
  int bucketSize() const { return bucketSize_; }

 private:
  std::vector<double> sums_;  // full buckets
  double partialSum_ = 0.0;
  int partialCount_ = 0;
  int bucketSize_ = 1;
  long long steps_ = 0;
};

enum class TrainingState { Empty, Running, Paused, Finished, Failed };
const char* trainingStateTitle(TrainingState state);

// Where and how a model was trained: compared with the scene to tell the user a model belongs to
// another target or process.
struct TrainingOrigin {
  TargetSpec target;
  std::uint64_t seed = 0;
  ProcessKind process = ProcessKind::Vp;
  bool operator==(const TrainingOrigin&) const = default;
};

// Everything the GUI shows about a training run, copied out under the mutex.
struct TrainingStatus {
  TrainingState state = TrainingState::Empty;
  std::shared_ptr<const TrainedNetwork> snapshot;  // null until the first publish
  TrainingOrigin origin;
  long long steps = 0, totalSteps = 0;
  double samplesPerSecond = 0.0;  // batch x steps per wall second, over the last publish interval
  std::vector<float> loss;        // LossCurve::means()
  int lossBucket = 1;             // steps per loss point
  // Weighted score error E s^2 |s_theta - grad log p_t|^2 (score networks only; valid once
  // errorSteps >= 0) and the same per t at errorTimes.
  double error = 0.0;
  long long errorSteps = -1;  // the step it was measured at; -1: not yet
  std::vector<double> errorTimes;
  std::vector<float> errorCurve;
  std::string message;  // why training failed
};

class TrainingController : public QObject {
  Q_OBJECT
 public:
  static constexpr std::chrono::milliseconds kPublishInterval{60};
  static constexpr std::chrono::milliseconds kErrorInterval{500};
  static constexpr int kErrorTimes = 16;         // t values of the error curve
  static constexpr int kErrorParticles = 300;    // exact samples per t
  static constexpr std::uint64_t kErrorSeed = 7;  // the same particles at every evaluation

  explicit TrainingController(QObject* parent = nullptr);
  ~TrainingController() override;

  // Discards any model and starts training from scratch. Returns an empty string, or why the
  // settings cannot train on this target (one line naming the field); then nothing changes.
  std::string start(std::shared_ptr<const Target> target, const Process& process, const TrainingSettings& settings,
                    const TrainingOrigin& origin, const std::string& targetName);
  // Pause keeps the model and publishes it as it is after the current step.
  void pause();
  void resume();
  // Discards the model; the worker stops after its current step without waiting for it.
  void reset();
  // Shows a finished network loaded from a file (no training history, no error curve).
  void adopt(std::shared_ptr<const TrainedNetwork> network, const TrainingOrigin& origin);
  // Blocks until the worker has stopped (finished or paused); for --train-steps and tests.
  void waitUntilStopped();

  TrainingStatus status() const;
  std::shared_ptr<const TrainedNetwork> snapshot() const;
  bool hasModel() const { return snapshot() != nullptr; }
  TrainingState state() const;

 signals:
  // A new snapshot (and curves) to draw. Queued to the GUI thread.
  void published();
  // Running -> paused / finished / failed.
  void stopped();

 private:
  struct Shared;
  void runWorker(std::shared_ptr<Shared> shared);
  void notify(const std::shared_ptr<Shared>& shared, bool stoppedNow);
  // Tells the current worker to stop after its step and forgets it (and its model).
  void retire();

  std::shared_ptr<Shared> shared_;  // of the current worker (or of an adopted model)
  std::thread worker_;
  std::vector<std::thread> retired_;  // reset workers finishing their last step; joined at exit
};

}  // namespace scorescope::gui
