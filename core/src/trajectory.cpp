#include "scorescope/trajectory.hpp"

#include <algorithm>
#include <stdexcept>

namespace scorescope {

TrajectoryRecorder::TrajectoryRecorder(Eigen::Index particles, int expectedSteps,
                                       RecordOptions options) {
  if (!(options.every >= 1)) throw std::invalid_argument("TrajectoryRecorder: expected every >= 1");
  const std::size_t bytesPerSnapshot = static_cast<std::size_t>(std::max<Eigen::Index>(particles, 1)) * 2 * sizeof(double);
  const std::size_t affordable = std::max<std::size_t>(options.memoryBudgetBytes / bytesPerSnapshot, 2);
  // Snapshots at steps 0, stride, 2 stride, ... plus the last step must fit in `affordable`.
  const std::size_t needed = static_cast<std::size_t>(std::max(expectedSteps, 0)) + 1;
  stride_ = std::max<int>(options.every, static_cast<int>((needed + affordable - 2) / (affordable - 1)));
  trajectory_.pathIndices = std::move(options.pathIndices);
  trajectory_.paths.resize(trajectory_.pathIndices.size());
}

void TrajectoryRecorder::record(int step, double t, const Points& x) {
  trajectory_.times.push_back(t);
  for (std::size_t j = 0; j < trajectory_.pathIndices.size(); ++j) {
    const Eigen::Index index = trajectory_.pathIndices[j];
    if (!(index >= 0 && index < x.rows())) throw std::invalid_argument("TrajectoryRecorder: path index out of range");
    Points& path = trajectory_.paths[j];
    path.conservativeResize(path.rows() + 1, 2);
    path.row(path.rows() - 1) = x.row(index);
  }
  if (step % stride_ == 0) {
    trajectory_.snapshotSteps.push_back(step);
    trajectory_.snapshots.push_back(x);
  }
  lastStep_ = step;
}

StepCallback TrajectoryRecorder::callback(StepCallback forward) {
  return [this, forward = std::move(forward)](int step, double t, const Points& x) {
    record(step, t, x);
    if (forward && !forward(step, t, x)) {
      trajectory_.cancelled = true;
      return false;
    }
    return true;
  };
}

Trajectory TrajectoryRecorder::finish(Points final) {
  // Every sampler returns the state it reported last, so the last step's snapshot is `final`.
  if (lastStep_ >= 0 && (trajectory_.snapshotSteps.empty() || trajectory_.snapshotSteps.back() != lastStep_)) {
    trajectory_.snapshotSteps.push_back(lastStep_);
    trajectory_.snapshots.push_back(final);
  }
  trajectory_.final = std::move(final);
  return std::move(trajectory_);
}

std::size_t shownSnapshot(const Trajectory& trajectory, int step) {
  std::size_t k = 0;
  for (std::size_t i = 0; i < trajectory.snapshotSteps.size(); ++i) {
    if (trajectory.snapshotSteps[i] <= step) k = i;
  }
  return k;
}

}  // namespace scorescope
