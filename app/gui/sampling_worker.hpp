#pragma once
// Runs sampler jobs off the GUI thread. Every submit() starts a new generation; a running job of
// an older generation is cancelled through its StepCallback (the sampler stops at its next step)
// and its result is dropped, so dragging a slider never queues stale work and the window never
// waits for a sampler. Results come back on the GUI thread through the `finished` signal.
#include <QObject>
#include <QThreadPool>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scorescope/points.hpp"
#include "scorescope/score_model.hpp"
#include "scorescope/trajectory.hpp"

namespace scorescope::gui {

// One sampler run to show: the model that drove it and its pane title (arrows and title are
// drawn from the run, so they match the particles while a newer job is still sampling), its
// trajectory and the colour label of every particle.
struct SampleRun {
  std::shared_ptr<const ScoreModel> model;
  std::string title;
  Trajectory trajectory;
  Labels labels;  // empty: unlabelled
};

// What a job sees while it runs: whether it is stale, and a place to report progress.
class JobControl {
 public:
  JobControl(const std::atomic<int>& current, int generation, std::atomic<int>& progressPermille)
      : current_(current), generation_(generation), progress_(progressPermille) {}
  bool cancelled() const { return current_.load(std::memory_order_relaxed) != generation_; }
  // A stale job leaves the progress bar to the newest one.
  void setProgress(double fraction) const {
    if (!cancelled())
      progress_.store(static_cast<int>(fraction * 1000.0), std::memory_order_relaxed);
  }

 private:
  const std::atomic<int>& current_;
  int generation_;
  std::atomic<int>& progress_;
};

using SamplingJob = std::function<std::vector<SampleRun>(const JobControl&)>;

class SamplingWorker : public QObject {
  Q_OBJECT
 public:
  explicit SamplingWorker(QObject* parent = nullptr);
  ~SamplingWorker() override;

  // Cancels whatever runs and starts `job`; returns its generation.
  int submit(SamplingJob job);
  // Cancels the running job, if any; returns the new generation, which no job has, so a
  // caller that stores it never mistakes an older job's result for a current one.
  int cancel();
  bool busy() const { return running_.load() > 0; }
  // Progress of the newest job in [0, 1].
  double progress() const { return progress_.load() / 1000.0; }
  // Blocks until no job runs (tests, screenshots, shutdown).
  void waitForIdle();

 signals:
  void finished(int generation, std::shared_ptr<std::vector<SampleRun>> runs);

 private:
  QThreadPool pool_;
  std::atomic<int> generation_{0};
  std::atomic<int> running_{0};
  std::atomic<int> progress_{0};
};

}  // namespace scorescope::gui
