#pragma once
// Turns the session (scene, plan, output on show, play head) into what the canvas draws: the
// panes of the lesson (one, two side by side, or a 2 x 2 sweep), each with its view, axes, title
// and render::FrameData. The costly layers (density grid, score arrows) are cached per pane and
// recomputed only when their key, a plain value, changes.
#include <memory>
#include <string>
#include <vector>

#include "render/arrow_field.hpp"
#include "gui/legend.hpp"
#include "render/axes.hpp"
#include "render/frame_data.hpp"
#include "scorescope/scene_plan.hpp"
#include "scorescope/tilted_law.hpp"

namespace scorescope::gui {

class Session;

struct DensityKey {
  std::shared_ptr<const Target> target;
  ProcessKind process = ProcessKind::Vp;
  double t = -1.0;
  render::WorldRect rect;
  int columns = 0, rows = 0;
  bool logScale = false;
  // Lesson 5: the guided density p_t(x) p_t(y|x)^gamma of class `label` (label -1: plain p_t).
  int label = -1;
  double gamma = 0.0;
  bool operator==(const DensityKey&) const = default;
};

// The arrows cover the pane's whole visible rect with square cells, display.arrowGrid of them
// along its longer side (render::squareCells).
struct ArrowKey {
  std::shared_ptr<const ScoreModel> model;
  double t = -1.0;
  render::WorldRect rect;  // the union of the cells
  int columns = 0, rows = 0;
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

// display.autoFit: the half extent shown at noise level (a, s) for the camera's half extent h at
// t = 0. x_t = a x0 + s eps spreads like sqrt(a^2 r^2 + s^2) for data of radius r; the camera
// frames the data (r ~ h), and kAutoFitSigmas noise widths frame the noise:
//   h * max(1, sqrt(a^2 + (k s / h)^2)).
// The view never shrinks below the camera's (a VP process, whose spread stays near the data's,
// keeps the lecturer's framing); VE at t = 1 (s = 50) grows to ~2.5 s and frames x_t.
inline constexpr double kAutoFitSigmas = 2.5;
double autoFitHalfExtent(double halfExtent, double a, double s);

// Trails and paths: a step longer than kJumpFadeStart of the pane's shorter visible side fades,
// and one longer than kJumpBreak of it is not drawn (the path breaks there): annealed Langevin's
// first levels jump by many pane widths, and those segments were a web of lines over the plane.
inline constexpr double kJumpFadeStart = 0.08, kJumpBreak = 0.25;
// The alpha factor in [0, 1] of a segment of `length` in a pane whose shorter visible side is `side`.
double jumpFade(double length, double side);

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
  // The field the arrows show at the nodes of arrowKey (arrows are made from it every frame, so
  // panes compared side by side can share one colour scale), and whether this frame shows them.
  render::GridNodes arrowNodes;
  Points arrowField;
  bool showsArrows = false;
  double arrowCell = 1.0;  // world size of one square arrow cell (shaft width and head scale with it)
  // Lesson 5's tilted law: sliced W1 of the guided samples to draws of q_0, for one output and law.
  std::pair<int, const void*> tiltedW1Key{-1, nullptr};
  double tiltedW1 = 0.0;
  double arrowMaxScore = 0.0;  // the largest |score| over the arrow grid (the brightest colour)
  Legend legend;               // what colours and arrows mean (drawn when display.legend)
};

// Lesson 5's guidance scale of a run in the one unit both kinds share: gamma (CFG: 1 + w).
double runGamma(const PlannedRun& run);

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
  // The UI scale (ui_scale.hpp): line widths, point sizes and tick spacing (in pixels) grow with
  // it, so the plot reads from as far away as the text. The scene's point size stays the scene's;
  // what is drawn is that size times the scale.
  void setUiScale(float scale) { uiScale_ = scale; }
  float uiScale() const { return uiScale_; }
  // The pane under a canvas pixel, or -1.
  int paneAt(double xPx, double yPx) const;

 private:
  void fillPane(const Session& session, const Scene& scene, Pane& pane, std::size_t index);
  static void fillDensity(Pane& pane, const DensityKey& key);
  // The tilted law of a class and gamma with the field of its grad log Z_t, built once per key.
  struct Tilted {
    std::shared_ptr<const Target> target;
    ProcessKind process = ProcessKind::Vp;
    int label = 0;
    double gamma = 0.0;
    std::shared_ptr<const TiltedLaw> law;
    std::shared_ptr<const ScoreModel> gap;
  };
  const Tilted& tilted(const ScenePlan& plan, int label, double gamma);
  void fillTilted(const Session& session, const Scene& scene, Pane& pane, std::size_t index);
  // Arrows of every pane from its field, with one colour scale when `shared`.
  void makePaneArrows(bool shared);
  static void fillError(Pane& pane, const ErrorKey& key);
  // Lesson 4's likelihood map of the pane's score (from the session's cache; none while computing).
  static void fillLikelihood(const Session& session, const Scene& scene, Pane& pane, std::size_t index);
  // The field a pane's arrows show (null: none yet).
  static std::shared_ptr<const ScoreModel> arrowModel(const Session& session, const Scene& scene, std::size_t index);
  static void fillRunParticles(Pane& pane, const RunResult& run, int step, const DisplayScene& display);
  static void fillLegend(const Session& session, const Scene& scene, Pane& pane, std::size_t index);

  std::vector<Pane> panes_;
  std::vector<Tilted> tilted_;  // a few entries: one per gamma of a sweep
  float uiScale_ = 1.0f;
};

// Multiplies every pixel size of a frame (point sizes, line widths) by the UI scale.
void scaleFrameForUi(render::FrameData& frame, float uiScale);

}  // namespace scorescope::gui
