#pragma once
// Turns the session (scene, plan, output on show, play head) into what the canvas draws: the
// panes of the lesson (one, two side by side, or a 2 x 2 sweep), each with its view, axes, title
// and render::FrameData. The costly layers (density grid, score arrows) are cached per pane and
// recomputed only when their key, a plain value, changes.
#include <memory>
#include <string>
#include <vector>

#include "render/axes.hpp"
#include "render/frame_data.hpp"
#include "scorescope/scene_plan.hpp"

namespace scorescope::gui {

class Session;

struct DensityKey {
  std::shared_ptr<const Target> target;
  ProcessKind process = ProcessKind::Vp;
  double t = -1.0;
  render::WorldRect rect;
  int columns = 0, rows = 0;
  bool logScale = false;
  bool operator==(const DensityKey&) const = default;
};

struct ArrowKey {
  std::shared_ptr<const ScoreModel> model;
  double t = -1.0;
  render::WorldRect square;
  int grid = 0;
  bool trueLength = false;
  float gain = 0.0f;
  bool operator==(const ArrowKey&) const = default;
};

// The learn-the-score lesson's heat map of s(t) |s_theta - grad log p_t| at t.
struct ErrorKey {
  std::shared_ptr<const ScoreModel> learned, exact;
  double t = -1.0;
  render::WorldRect rect;
  int columns = 0, rows = 0;
  bool operator==(const ErrorKey&) const = default;
};
// The heat map's colour scale, logarithmic in s(t) |s_theta - grad log p_t| (= |eps_theta - eps|,
// the error in units of the noise): a trained model is ~0.1 where the data is and several units
// far from it, where it never saw a sample; a linear scale would show one or the other.
inline constexpr double kErrorScaleLow = 0.03, kErrorScaleHigh = 3.0;

// x_t of the data shown (lessons 1-2) is a(t) x0 + s(t) eps for one output generation.
struct ForwardKey {
  int generation = -1;
  double a = 0.0, s = 0.0;
  bool operator==(const ForwardKey&) const = default;
};

struct Pane {
  std::string title;
  std::string caption;  // a second line at the bottom of the pane (colour scale, a run's W1)
  // Lesson 3 on a mixture: the fraction of the run's final particles in each mode, drawn as bars
  // against the mixture's weights (empty: no chart).
  std::vector<double> modeFractions, modeWeights;
  std::vector<int> modeLabels;
  // Whether the mixture's mode handles belong here (not over the other process of lessons 1-2,
  // where the modes sit at that process's a(t) mu).
  bool showsHandles = true;
  int x = 0, y = 0, width = 1, height = 1;  // in the canvas, logical pixels (y down)
  render::View2D view;
  render::Ticks ticks;
  render::FrameData frame;
  // Buffers the frame points into, reused across frames, and the keys they were made for.
  std::vector<float> density;
  std::vector<render::ArrowInstance> arrows;
  std::vector<render::Segment> grid, paths, trails;
  Points forward;  // x_t of the data (lesson 1-2)
  ForwardKey forwardKey;
  DensityKey densityKey;
  ArrowKey arrowKey;
  ErrorKey errorKey;
};

// A pane title for a run: its sampler, or its guidance with the scale in the chosen notation.
std::string runTitle(const PlannedRun& run, bool cfgShowsGamma);
// A pane title for data noised by `process` at t: "VP (a = 0.63, s = 0.77)".
std::string processTitleAt(const Process& process, double t);
// Lessons 1-2 with compareProcesses: the process a pane shows (the scene's, or beside it the
// other family's).
Process paneProcess(const ScenePlan& plan, std::size_t index);

class FrameBuilder {
 public:
  // Lays out the panes over a canvas of w x h logical pixels and fills their frames.
  std::vector<Pane>& build(const Session& session, int widthPx, int heightPx);
  const std::vector<Pane>& panes() const { return panes_; }
  // The pane under a canvas pixel, or -1.
  int paneAt(double xPx, double yPx) const;

 private:
  void fillPane(const Session& session, const Scene& scene, Pane& pane, std::size_t index);
  static void fillDensity(Pane& pane, const DensityKey& key);
  static void fillError(Pane& pane, const ErrorKey& key);
  // The field a pane's arrows show (null: none yet).
  static std::shared_ptr<const ScoreModel> arrowModel(const Session& session, const Scene& scene, std::size_t index);
  static void fillRunParticles(Pane& pane, const RunResult& run, int step, const DisplayScene& display);

  std::vector<Pane> panes_;
};

}  // namespace scorescope::gui
