#pragma once
// Recording sampler runs within a memory budget. Samplers report every step through a
// StepCallback; TrajectoryRecorder keeps every k-th whole step (the stride grows so that the
// snapshots fit the budget, 1M particles x 1000 steps would be 16 GB) and the full path of a
// chosen subset of particles, which is what trails and path drawings need.
#include <cstddef>
#include <functional>
#include <vector>

#include "scorescope/points.hpp"

namespace scorescope {

// Called with step 0 (the initial state) and after every step; returning false cancels the run.
using StepCallback = std::function<bool(int step, double t, const Points& x)>;

struct RecordOptions {
  int every = 1;                                  // keep every k-th step (the last always kept)
  std::vector<Eigen::Index> pathIndices;          // particles whose every step is kept
  std::size_t memoryBudgetBytes = 512u << 20;     // for the whole-step snapshots
};

struct Trajectory {
  std::vector<double> times;        // t of every step reported (index = step)
  std::vector<int> snapshotSteps;   // which steps have a snapshot
  std::vector<Points> snapshots;    // whole batch at those steps
  std::vector<Eigen::Index> pathIndices;
  std::vector<Points> paths;        // paths[j]: (steps + 1) x 2, particle pathIndices[j]
  Points final;                     // the batch after the last step
  bool cancelled = false;
  // The last step is the Tweedie denoise D(x, t_end) reported at t = 0, not a sampler step (DDIM
  // and DDPM reach t = 0 on their own: their last step at t = 0 is theirs).
  bool finalDenoise = false;
};

// The snapshot to show at `step`: the newest one at or before it (snapshots are strided when a
// big run would not fit the memory budget), as an index into snapshots. Particles, trails, paths
// and the t readout all use this snapshot's step, so they agree.
std::size_t shownSnapshot(const Trajectory& trajectory, int step);

class TrajectoryRecorder {
 public:
  // expectedSteps bounds the number of steps the sampler will report (used for the budget).
  TrajectoryRecorder(Eigen::Index particles, int expectedSteps, RecordOptions options);

  // The effective snapshot stride after applying the budget.
  int stride() const { return stride_; }
  // True once the forwarded callback asked to stop.
  bool cancelled() const { return trajectory_.cancelled; }
  // A callback that records into this recorder; `forward` (may be empty) is called too and may
  // cancel the run.
  StepCallback callback(StepCallback forward = {});
  // Moves the recorded data out; `final` is the run's result (the state reported last).
  Trajectory finish(Points final);

 private:
  void record(int step, double t, const Points& x);

  int stride_ = 1;
  int lastStep_ = -1;
  Trajectory trajectory_;
};

}  // namespace scorescope
