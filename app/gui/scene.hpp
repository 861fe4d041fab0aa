#pragma once
// The viewport's model: the current SceneSettings, the target and process built from them
// through the core, the data particles or sampler runs, the timeline and the camera, and the
// per-frame FrameData of each pane (lessons 1 and 4 show two panes side by side, the guidance
// sweep four). All numbers come from core calls (Target::evaluate, ScoreModel::score,
// Process::sampleForward, runSampler); this class only decides what to compute when.
#include <QObject>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "gui/forward_particles.hpp"
#include "gui/sampling_worker.hpp"
#include "gui/scene_settings.hpp"
#include "gui/timeline.hpp"
#include "render/axes.hpp"
#include "render/frame_data.hpp"
#include "scorescope/gaussian_mixture.hpp"
#include "scorescope/score_model.hpp"

namespace scorescope::gui {

// Shared by all panes: the data point at the pane centre and the half-size of the square of
// data every pane shows at least (the default [-4.4, 4.4]^2 frames the toy targets).
struct Camera {
  double centreX = 0.0, centreY = 0.0;
  double halfExtent = 4.4;
};

struct Pane {
  std::string title;
  int x = 0, y = 0, width = 1, height = 1;  // in the canvas, logical pixels (y down)
  render::View2D view;
  render::Ticks ticks;
  render::FrameData frame;
  // Buffers the frame points into, reused across frames.
  std::vector<float> density;
  std::vector<render::ArrowInstance> arrows;
  std::vector<render::Segment> grid, paths, trails;
  // Cache keys: recompute only when these change.
  std::string densityKey, arrowKey;
};

// The snapshot a run shows at timeline step `step`: the newest one at or before it (snapshots
// are strided when a big run would not fit the memory budget). Particles, trails, paths and the
// t readout all use this snapshot's step, so they agree.
std::size_t shownSnapshot(const Trajectory& tr, int step);

class Scene : public QObject {
  Q_OBJECT
 public:
  explicit Scene(QObject* parent = nullptr);
  ~Scene() override;

  const SceneSettings& settings() const { return settings_; }
  // Applies new settings: rebuilds the target and re-samples only when needed.
  void setSettings(const SceneSettings& s);

  Timeline& timeline() { return timeline_; }
  const Timeline& timeline() const { return timeline_; }
  Camera& camera() { return camera_; }
  void resetCamera() { camera_ = Camera{}; }

  // Advances the timeline by wall-clock seconds.
  void tick(double seconds) { timeline_.advance(seconds); }

  // Lays out the panes over a canvas of w x h logical pixels and fills their frames.
  std::vector<Pane>& buildFrame(int widthPx, int heightPx);
  const std::vector<Pane>& panes() const { return panes_; }
  // The pane under a canvas pixel, or -1.
  int paneAt(double xPx, double yPx) const;

  // The diffusion time t of the frame shown, and the step (sampling lessons) or -1.
  double displayTime() const;
  int displayStep() const;
  const Process& process() const { return process_; }
  // May be null (the draw target with no points yet).
  const Target* target() const { return target_.get(); }
  int labelCount() const { return target_ ? target_->labelCount() : 1; }
  std::size_t particleCount() const;

  bool sampling() const { return worker_.busy(); }
  double samplingProgress() const { return worker_.progress(); }
  // What the status line shows: a target error (kept until the target is valid) and why
  // nothing is sampled, or "sampling...".
  std::string status() const;
  // The sampler runs shown (lessons 3-5); 0 while sampling or when the settings are invalid.
  std::size_t runCount() const { return runs_.size(); }
  // Blocks until the running job has finished and its result is applied (tests, screenshots).
  void waitForSampling();

  // Direct manipulation. Mixture targets expose their component means as handles, placed where
  // the noised component sits at the displayed t (a(t) mu); moving one edits mu = x / a(t).
  // Near the end of a forward process a(t) -> 0 and the modes have collapsed into the noise:
  // below a(t) = kMinHandleScale there are no handles (a drag there would fling mu away).
  static constexpr double kMinHandleScale = 0.2;
  bool hasHandles() const;
  std::vector<std::array<double, 2>> handlePositions() const;
  void moveHandle(int index, double worldX, double worldY);
  // The "draw" target: points the user clicks (label = class to add them to).
  bool drawing() const { return settings_.target == "draw"; }
  void addDrawnPoint(double x, double y, int label);
  void clearDrawnPoints();
  std::size_t drawnPointCount() const { return static_cast<std::size_t>(drawn_.rows()); }

 signals:
  void changed();

 private:
  void rebuildTarget();
  void resample();
  // Cancels any running job, invalidates its generation, clears the runs and the step timeline,
  // and shows `status` (why nothing is sampled): no stale result is applied later.
  void dropRuns(std::string status);
  void onRunsFinished(int generation, std::shared_ptr<std::vector<SampleRun>> runs);
  // The job for the current settings, or an empty one with `problem` saying why.
  SamplingJob makeJob(std::string& problem);
  double densityTime(double t) const;
  // a(t) at the displayed t in the forward lessons, 1 in the sampling lessons (data space).
  double handleScale() const;
  void fillPane(Pane& pane, std::size_t index, double t, int step);
  void fillDensity(Pane& pane, double t);
  void fillArrows(Pane& pane, std::size_t index, double t);
  void fillRunParticles(Pane& pane, const SampleRun& run, int step);

  SceneSettings settings_;
  Timeline timeline_;
  Camera camera_;
  Process process_{ProcessKind::Vp};
  std::shared_ptr<const Target> target_;
  std::vector<MixtureComponent> mixture_;  // editable copy when the target is a mixture
  Points drawn_;
  Labels drawnLabels_;
  int targetVersion_ = 0;

  // Lessons 1-2: data x0, its labels, and x_t at the cached t.
  ForwardParticles forward_;
  Labels labels0_;

  // Lessons 3-5: sampler runs (one per pane) and the models that drove them.
  std::vector<SampleRun> runs_;
  std::vector<std::shared_ptr<const ScoreModel>> models_;
  SamplingWorker worker_;
  int generation_ = 0;                          // of the newest job (or of the last dropRuns())
  int runsGeneration_ = 0;                      // of the job whose runs_ are shown
  Lesson runsLesson_ = Lesson::ForwardNoising;  // of the newest job
  std::string status_;
  std::string targetError_;  // set by rebuildTarget(), which resample() does not clear

  std::vector<Pane> panes_;
};

}  // namespace scorescope::gui
