#include "gui/run_controller.hpp"

#include <QMetaObject>
#include <algorithm>
#include <exception>

#include "scorescope/metrics.hpp"
#include "scorescope/mode_weights.hpp"

namespace scorescope::gui {
namespace {

// Trajectories of all panes together keep at most this many bytes of snapshots.
constexpr std::size_t kRunMemoryBudget = 384u << 20;

}  // namespace

double runW1(const Target& target, const RunResult& run, std::uint64_t seed) {
  const Points& x = run.trajectory.final;
  const Eigen::Index n = std::min(kW1Points, x.rows());
  if (n < 2) return 0.0;
  const CounterRng rng = CounterRng(seed).derive(0x57a1);
  std::unique_ptr<Target> aim;
  if (run.run.guidance != GuidanceKind::None && target.labelCount() > 1) aim = target.conditional(run.run.label);
  const Points reference = (aim ? *aim : target).sample(n, rng, nullptr);
  return slicedWasserstein(x.topRows(n), reference, 1, kW1Directions, seed);
}

RunJob makeRunJob(ScenePlan plan, SampledScene scene) {
  return [plan = std::move(plan), scene = std::move(scene)](const JobControl& control) {
    RunOutput out{plan, scene, {}, {}, {}, {}, {}, {}};
    if (lessonShowsData(scene.lesson)) {
      out.forward = sampleForwardData(*plan.target, scene.particles, scene.seed);
      return out;
    }
    RecordOptions record;
    for (int i = 0; i < std::min(scene.recordedPaths, scene.particles); ++i) record.pathIndices.push_back(i);
    record.memoryBudgetBytes = kRunMemoryBudget;
    out.runs = executeRuns(plan, scene, record, [&](double fraction) {
      control.setProgress(fraction);
      return !control.cancelled();
    });
    for (const RunResult& run : out.runs) out.w1.push_back(runW1(*plan.target, run, scene.seed));
    const auto* mixture = dynamic_cast<const GaussianMixture*>(plan.target.get());
    if (scene.lesson == Lesson::Langevin && mixture) {
      out.modeWeights = modeWeights(*mixture);
      for (const MixtureComponent& c : mixture->components()) out.modeLabels.push_back(c.label);
      for (const RunResult& run : out.runs) out.modeFractions.push_back(modeFractions(*mixture, run.trajectory.final));
    }
    return out;
  };
}

RunController::RunController(QObject* parent) : QObject(parent) {
  // Two threads: a new job can start while a cancelled one finishes its current step.
  pool_.setMaxThreadCount(2);
}

RunController::~RunController() {
  cancel();
  pool_.clear();  // queued jobs never start; the running ones stop at their next step
  pool_.waitForDone();
}

int RunController::start(RunJob job) {
  const int generation = ++generation_;
  progress_ = 0;
  ++running_;
  pool_.start([this, generation, job = std::move(job)] {
    auto output = std::make_shared<RunOutput>();
    QString error;
    try {
      const JobControl control(generation_, generation, progress_);
      if (!control.cancelled()) *output = job(control);  // a queued job may be stale by now
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    if (generation_.load() == generation) {
      // Queued to the GUI thread; dropped by Qt if this controller is gone by then.
      QMetaObject::invokeMethod(this, [this, generation, output, error] {
        if (generation_.load() != generation) return;
        if (error.isEmpty()) emit finished(generation, output);
        else emit failed(generation, error);
      }, Qt::QueuedConnection);
    }
    --running_;
  });
  return generation;
}

int RunController::cancel() { return ++generation_; }

void RunController::waitForIdle() { pool_.waitForDone(); }

}  // namespace scorescope::gui
