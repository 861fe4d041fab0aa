#pragma once
// Runs the sampled part of a scene off the GUI thread: the data of the forward lessons (1-2) and
// the sampler runs of lessons 3-5, both through core's planner. Every start() begins a new
// generation; a running job of an older generation is cancelled through its progress callback
// (the sampler stops at its next step) and its result is dropped, so dragging a slider never
// queues stale work and the window never waits for a sampler. Results come back on the GUI
// thread through `finished`.
#include <QObject>
#include <QThreadPool>
#include <atomic>
#include <functional>
#include <memory>

#include "scorescope/scene_plan.hpp"

namespace scorescope::gui {

// What one generation computed, with the plan and scene it was computed for: a pane shows a
// run's own model and title even while a newer generation is being sampled.
struct RunOutput {
  ScenePlan plan;
  SampledScene scene;
  ForwardData forward;            // lessons 1-2
  std::vector<RunResult> runs;    // lessons 3-5, one per pane
  // Per run: sliced W1 of its final particles to exact samples of what it aims at (the target,
  // or the guided class), so exact and learned runs compare by one number.
  std::vector<double> w1;
  // Lesson 3 on a mixture target: per run, the fraction of final particles in each mode
  // (modeFractions), and the mixture's own weights they should match. Empty otherwise.
  std::vector<std::vector<double>> modeFractions;
  std::vector<double> modeWeights;
  std::vector<int> modeLabels;  // each mode's class (the bars take its particles' colour)
};

// Points per side and projection directions of RunOutput::w1: a few thousand points give
// W1 to about +-0.02 on the toy targets, in milliseconds.
inline constexpr Eigen::Index kW1Points = 4000;
inline constexpr int kW1Directions = 64;
// Sliced W1 (order 1) of the first kW1Points final particles of `run` to as many exact samples of
// its aim: the target, or for a guided run the class it is guided towards.
double runW1(const Target& target, const RunResult& run, std::uint64_t seed);

// What a job sees while it runs: whether it is stale, and a place to report progress.
class JobControl {
 public:
  JobControl(const std::atomic<int>& current, int generation, std::atomic<int>& progressPermille)
      : current_(current), generation_(generation), progress_(progressPermille) {}
  bool cancelled() const { return current_.load(std::memory_order_relaxed) != generation_; }
  // A stale job leaves the progress bar to the newest one.
  void setProgress(double fraction) const {
    if (!cancelled()) progress_.store(static_cast<int>(fraction * 1000.0), std::memory_order_relaxed);
  }

 private:
  const std::atomic<int>& current_;
  int generation_;
  std::atomic<int>& progress_;
};

using RunJob = std::function<RunOutput(const JobControl&)>;

// The job for a valid plan: forward data (lessons 1-2) or the planned sampler runs.
RunJob makeRunJob(ScenePlan plan, SampledScene scene);

class RunController : public QObject {
  Q_OBJECT
 public:
  explicit RunController(QObject* parent = nullptr);
  ~RunController() override;

  // Cancels whatever runs and starts `job`; returns its generation.
  int start(RunJob job);
  // Cancels the running job, if any; returns the new generation, which no job has, so a caller
  // that stores it never mistakes an older job's result for a current one.
  int cancel();
  bool busy() const { return running_.load() > 0; }
  // Progress of the newest job in [0, 1].
  double progress() const { return progress_.load() / 1000.0; }
  // Blocks until no job runs (tests, screenshots, shutdown).
  void waitForIdle();

 signals:
  void finished(int generation, std::shared_ptr<const RunOutput> output);
  void failed(int generation, QString message);

 private:
  QThreadPool pool_;
  std::atomic<int> generation_{0};
  std::atomic<int> running_{0};
  std::atomic<int> progress_{0};
};

}  // namespace scorescope::gui
