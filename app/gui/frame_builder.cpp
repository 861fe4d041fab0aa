#include "gui/frame_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gui/run_controller.hpp"
#include "gui/session.hpp"
#include "render/arrow_field.hpp"
#include "render/density_image.hpp"
#include "scorescope/empirical_set.hpp"
#include "scorescope/guidance.hpp"
#include "scorescope/metrics.hpp"
#include "scorescope/time_grid.hpp"

namespace scorescope::gui {
namespace {

// Full paths (faint, from the start) are drawn for this many of the recorded particles; the
// rest show only their trails. More whole paths turn into a hairball.
constexpr std::size_t kFullPathCount = 12;

std::string fmt(const char* format, double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

// Nodes at the texel centres of a columns x rows image of rect r: column i at
// xMin + i w / (columns - 1), row j likewise (row-major, as the density texture).
Points texelNodes(const render::WorldRect& r, int columns, int rows) {
  Points p(Eigen::Index(columns) * rows, 2);
  for (int j = 0; j < rows; ++j) {
    for (int i = 0; i < columns; ++i) {
      p(Eigen::Index(j) * columns + i, 0) = r.xMin + i * r.width() / (columns - 1);
      p(Eigen::Index(j) * columns + i, 1) = r.yMin + j * r.height() / (rows - 1);
    }
  }
  return p;
}

// The pane's density buffer (filled by fillDensity or fillError) as a layer over rect r.
render::DensityLayer densityLayer(const Pane& pane, int columns, int rows, const render::WorldRect& r) {
  render::DensityLayer d;
  d.values = pane.density.data();
  d.columns = columns;
  d.rows = rows;
  d.rect = r;
  return d;
}

Points gridPoints(const std::vector<double>& xs, const std::vector<double>& ys) {
  Points p(static_cast<Eigen::Index>(xs.size()), 2);
  for (std::size_t k = 0; k < xs.size(); ++k) {
    p(static_cast<Eigen::Index>(k), 0) = xs[k];
    p(static_cast<Eigen::Index>(k), 1) = ys[k];
  }
  return p;
}

// The density grid is coarse (bilinear filtering smooths it; p_t is smooth at 8 px): about one
// node per 8 pixels, at most 128 columns, so re-evaluating it every frame while t plays is cheap.
int densityColumns(int paneWidthPx) { return std::clamp(paneWidthPx / 8, 2, 128); }

// Density and field are shown at t no smaller than the sampler noise floor (s/a = 0.01), and
// for point sets at s/a >= 0.03, where p_t is a sum of visible bumps rather than spikes.
double fieldTime(const ScenePlan& plan, double t) {
  const double level = plan.target && !plan.target->hasDensityAtZeroNoise() ? 0.03 : kMinNoiseLevel;
  return std::clamp(t, std::max(timeForNoiseLevel(plan.process, level), 1e-5), 1.0);
}

// Lessons 1-2 with compareProcesses: two panes, the scene's process and the other family's, each
// with its own density, particles and exact score (a learned field serves one process only).
bool comparesProcesses(const Scene& scene, const ScenePlan& plan) {
  const Lesson lesson = scene.sampled.lesson;
  return (lesson == Lesson::ForwardNoising || lesson == Lesson::ScoreField) && plan.comparedExact != nullptr;
}

const char* processShortName(ProcessKind kind) {
  switch (kind) {
    case ProcessKind::Ddpm: return "DDPM";
    case ProcessKind::DdpmCosine: return "DDPM cosine";
    case ProcessKind::Vp: return "VP";
    case ProcessKind::SubVp: return "sub-VP";
    case ProcessKind::Ve: return "VE";
    case ProcessKind::Ou: return "OU";
  }
  return "?";
}

// The round trip's title says which half of the animation is on show.
std::string roundTripTitle(const Session& session) {
  const RunOutput* out = session.shown();
  const bool decoding = out && !out->runs.empty() &&
                        2 * session.displayStep() > static_cast<int>(out->runs.front().trajectory.times.size()) - 1;
  return decoding ? "DDIM round trip: decoding  noise → x₀  (η = 0)" : "DDIM round trip: encoding  x₀ → noise  (η = 0)";
}

std::vector<std::string> paneTitles(const Session& session, const Scene& scene) {
  const DisplayScene& display = scene.display;
  const ScoreSource source = scene.sampled.score;
  if (comparesProcesses(scene, session.plan())) {
    const double t = session.displayTime();
    return {processTitleAt(paneProcess(session.plan(), 0), t), processTitleAt(paneProcess(session.plan(), 1), t)};
  }
  switch (scene.sampled.lesson) {
    case Lesson::ForwardNoising:
      if (!display.layers.density) return {"samples  xₜ = αₜ x₀ + σₜ ε"};
      return {"samples  xₜ = αₜ x₀ + σₜ ε", "exact density pₜ"};
    case Lesson::ScoreField:
      if (source == ScoreSource::Learned) return {"learned score  s_θ  over  pₜ"};
      if (source == ScoreSource::Both) return {"exact  ∇ log pₜ  over  pₜ", "learned  s_θ  over  pₜ"};
      return {"score  ∇ log pₜ  over  pₜ"};
    case Lesson::LearnScore:
      return {session.scoreTraining().hasModel() ? "learned  s_θ  over its error" : "learned  s_θ  (no model yet)",
              "exact  ∇ log pₜ  over  pₜ"};
    case Lesson::Langevin:
    case Lesson::ReverseVsOde:
    case Lesson::Guidance: break;
  }
  std::vector<std::string> titles;
  if (const RunOutput* out = session.shown()) {
    const bool both = out->scene.score == ScoreSource::Both;
    for (const RunResult& r : out->runs) {
      std::string title = out->plan.roundTrip ? roundTripTitle(session) : runTitle(r.run, display.cfgShowsGamma);
      if (both || r.run.source == ScoreSource::Learned) title += r.run.source == ScoreSource::Learned ? "  (learned)" : "  (exact)";
      titles.push_back(title);
    }
  }
  if (titles.empty()) titles.push_back(session.busy() ? "sampling..." : "");
  return titles;
}

// The run a pane shows: the output on show, or before it arrives the planned run.
const PlannedRun* paneRun(const Session& session, std::size_t index) {
  if (const RunOutput* out = session.shown(); out && index < out->runs.size()) return &out->runs[index].run;
  if (index < session.plan().runs.size()) return &session.plan().runs[index];
  return nullptr;
}

// Lesson 5 with classifier guidance and the tilted-law view on.
bool showsTiltedLaw(const Scene& scene) {
  return scene.sampled.lesson == Lesson::Guidance && scene.display.tiltedLaw &&
         scene.sampled.guidance.kind == GuidanceKind::Classifier;
}

// The gap field grad log Z_t of a tilted law as a ScoreModel, so the arrow cache keys on it like
// on any field. Below the law's resolved time (where the grid cannot resolve q_t) it shows the
// field at that time; the caption says so.
class TiltedGapField final : public ScoreModel {
 public:
  TiltedGapField(std::shared_ptr<const TiltedLaw> law, Process process)
      : law_(std::move(law)), process_(std::move(process)) {}
  const Process& process() const override { return process_; }
  Points score(const Points& x, double t) const override {
    return law_->logNormaliserGradient(x, std::max(t, law_->resolvedTime()));
  }

 private:
  std::shared_ptr<const TiltedLaw> law_;
  Process process_;
};

// Panes side by side; more than three in two rows (a 2 x 2 sweep, exact over learned).
std::pair<int, int> paneGrid(int n) { return n > 3 ? std::pair{(n + 1) / 2, 2} : std::pair{n, 1}; }

std::string captionOf(const Session& session, const Scene& scene, std::size_t index) {
  if (scene.sampled.lesson == Lesson::LearnScore) {
    if (index != 0) return {};
    if (!session.scoreTraining().hasModel()) {
      return session.scoreTraining().state() == TrainingState::Running ? "training s_θ ..."
                                                                       : "press Start (Lesson panel) to train s_θ live on this target";
    }
    return "colour: σₜ |s_θ − ∇ log pₜ|\nlog scale: " + fmt("%.3g", kErrorScaleLow) + " dark .. " +
           fmt("%.3g", kErrorScaleHigh) + " bright";
  }
  std::string caption;
  const PlannedRun* run = scene.sampled.lesson == Lesson::Guidance ? paneRun(session, index) : nullptr;
  if (run && run->guidance != GuidanceKind::None && scene.display.layers.density) {
    // What the colour map is, honestly: the exact guided density at this gamma (for a learned run
    // the reference it aims at, not the learned model's own law).
    caption = "colour: exact pₜ(x) pₜ(y|x)^γ at γ = " + fmt("%.3g", runGamma(*run)) +
              (run->source == ScoreSource::Learned ? " (reference)" : "") + ", scaled to its max";
    if (index == 0 && scene.sampled.guidance.sweep.size() > 1) {
      caption += "\nexact scores: CFG at w = γ − 1 equals classifier guidance at γ\narrows: one colour scale for all panes";
    }
  }
  const RunOutput* out = session.shown();
  if (!out || index >= out->w1.size()) return caption;
  const std::string before = caption + (caption.empty() ? "" : "\n");
  if (out->plan.roundTrip && index < out->runs.size()) {
    return before + "mean |x₀ − decode(encode(x₀))| = " + fmt("%.3g", out->runs[index].reconstructionError) + "  (" +
           std::to_string(out->runs[index].run.sampler.steps) + " steps each way)";
  }
  return before + "sliced W1 to exact " + (run && run->guidance != GuidanceKind::None ? "class" : "target") +
         " samples: " + fmt("%.3f", out->w1[index]);
}

// Ticks about this far apart at UI scale 1 (render::makeTicks's default).
constexpr double kTickSpacingPx = 90.0;

}  // namespace

double runGamma(const PlannedRun& run) {
  switch (run.guidance) {
    case GuidanceKind::None: return 0.0;
    case GuidanceKind::Conditional: return 1.0;
    case GuidanceKind::Classifier: return run.scale;
    case GuidanceKind::ClassifierFree: return lectureGammaFromW(run.scale);
  }
  return 0.0;
}

void scaleFrameForUi(render::FrameData& frame, float uiScale) {
  for (render::ParticleLayer& p : frame.particles) p.pointSizePx *= uiScale;
  for (render::SegmentLayer& l : frame.underlays) l.widthPx *= uiScale;
  for (render::SegmentLayer& l : frame.lines) l.widthPx *= uiScale;
}

double autoFitHalfExtent(double halfExtent, double a, double s) {
  const double noise = kAutoFitSigmas * s / halfExtent;
  return halfExtent * std::max(1.0, std::sqrt(a * a + noise * noise));
}

double jumpFade(double length, double side) {
  const double start = kJumpFadeStart * side, end = kJumpBreak * side;
  if (!(length > start)) return 1.0;
  if (!(length < end)) return 0.0;
  return (end - length) / (end - start);
}

std::string runTitle(const PlannedRun& run, bool cfgShowsGamma) {
  const std::string y = "  class " + std::to_string(run.label);
  switch (run.guidance) {
    case GuidanceKind::None: break;
    case GuidanceKind::Conditional: return "conditional score" + y;
    case GuidanceKind::Classifier: return "classifier guidance  γ = " + fmt("%.3g", run.scale) + y;
    case GuidanceKind::ClassifierFree: {
      const std::string w = fmt("%.3g", run.scale), gamma = fmt("%.3g", lectureGammaFromW(run.scale));
      if (cfgShowsGamma) return "CFG  γ = " + gamma + "  (w = γ − 1 = " + w + ")" + y;
      return "CFG  w = " + w + "  (γ = 1 + w = " + gamma + ")" + y;
    }
  }
  const std::string title(samplerInfo(run.sampler.kind).title);
  if (run.sampler.kind == SamplerKind::Ddim) return title + " η = " + fmt("%.3g", run.sampler.ddimEta);
  return title;
}

std::string processTitleAt(const Process& process, double t) {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%s (αₜ = %.2f, σₜ = %.2f)", processShortName(process.kind()), process.a(t),
                process.s(t));
  return buffer;
}

Process paneProcess(const ScenePlan& plan, std::size_t index) {
  return index == 1 && plan.comparedExact ? plan.comparedExact->process() : plan.process;
}

int FrameBuilder::paneAt(double xPx, double yPx) const {
  for (std::size_t i = 0; i < panes_.size(); ++i) {
    const Pane& p = panes_[i];
    if (xPx >= p.x && xPx < p.x + p.width && yPx >= p.y && yPx < p.y + p.height) return static_cast<int>(i);
  }
  return -1;
}

std::vector<Pane>& FrameBuilder::build(const Session& session, int widthPx, int heightPx) {
  const Scene scene = session.scene();
  const std::vector<std::string> titles = paneTitles(session, scene);
  const int n = static_cast<int>(titles.size());
  panes_.resize(static_cast<std::size_t>(n));
  const Camera& camera = scene.display.camera;
  const auto [columns, rows] = paneGrid(n);
  for (int i = 0; i < n; ++i) {
    Pane& pane = panes_[static_cast<std::size_t>(i)];
    // Auto-fit follows each pane's own process: VE beside VP grows only the VE pane.
    double halfExtent = camera.halfExtent;
    if (scene.display.autoFit) {
      const double t = session.displayTime();
      const Process process = paneProcess(session.plan(), static_cast<std::size_t>(i));
      halfExtent = autoFitHalfExtent(camera.halfExtent, process.a(t), process.s(t));
    }
    pane.title = titles[static_cast<std::size_t>(i)];
    pane.caption = captionOf(session, scene, static_cast<std::size_t>(i));
    pane.modeFractions.clear();
    pane.modeWeights.clear();
    pane.modeLabels.clear();
    if (const RunOutput* out = session.shown(); out && static_cast<std::size_t>(i) < out->modeFractions.size()) {
      pane.modeFractions = out->modeFractions[static_cast<std::size_t>(i)];
      pane.modeWeights = out->modeWeights;
      pane.modeLabels = out->modeLabels;
      pane.caption = "bars: particles per mode at the end of the run; lines: true weights\n" + pane.caption;
    }
    pane.showsHandles = !(i == 1 && comparesProcesses(scene, session.plan()));
    const int c = i % columns, r = i / columns;
    pane.x = c * widthPx / columns;
    pane.width = (c + 1) * widthPx / columns - pane.x;
    pane.y = r * heightPx / rows;
    pane.height = (r + 1) * heightPx / rows - pane.y;
    pane.view.resize(pane.width, pane.height);
    pane.view.fit({camera.centreX - halfExtent, camera.centreY - halfExtent, camera.centreX + halfExtent,
                   camera.centreY + halfExtent});
    fillPane(session, scene, pane, static_cast<std::size_t>(i));
    scaleFrameForUi(pane.frame, uiScale_);
  }
  // A guidance sweep (or exact beside learned) compares magnitudes across panes: one scale.
  makePaneArrows(scene.sampled.lesson == Lesson::Guidance && n > 1);
  // The legend names the arrows' colour scale, known once every pane's arrows are made.
  for (int i = 0; i < n; ++i) fillLegend(session, scene, panes_[i], static_cast<std::size_t>(i));
  return panes_;
}

void FrameBuilder::makePaneArrows(bool shared) {
  double scale = 0.0;
  if (shared) {
    for (const Pane& p : panes_) {
      if (!p.showsArrows) continue;
      scale = std::max(scale, render::maxArrowNorm(p.arrowField.col(0).data(), p.arrowField.col(1).data(),
                                                   static_cast<std::size_t>(p.arrowField.rows())));
    }
  }
  for (Pane& pane : panes_) {
    if (!pane.showsArrows) continue;
    render::ArrowStyle style;
    style.length = pane.arrowKey.trueLength ? render::ArrowLength::TrueLength : render::ArrowLength::Normalised;
    style.gain = pane.arrowKey.gain;
    style.colourScale = scale;
    if (scale > 0.0) pane.arrowMaxScore = scale;  // the legend shows the shared scale
    pane.arrows = render::makeArrows(pane.arrowNodes, pane.arrowField.col(0).data(), pane.arrowField.col(1).data(), style);
    render::ArrowLayer a;
    a.arrows = pane.arrows.data();
    a.count = pane.arrows.size();
    const double cell = pane.arrowCell;
    a.shaftWidth = static_cast<float>(0.075 * cell);
    a.headLength = static_cast<float>(0.3 * cell);
    a.opacity = 0.85f;
    pane.frame.arrows.push_back(a);
  }
}

const FrameBuilder::Tilted& FrameBuilder::tilted(const ScenePlan& plan, int label, double gamma) {
  for (const Tilted& e : tilted_) {
    if (e.target == plan.target && e.process == plan.process.kind() && e.label == label && e.gamma == gamma) return e;
  }
  if (tilted_.size() >= 2 * static_cast<std::size_t>(kMaxSweepScales)) tilted_.erase(tilted_.begin());
  Tilted e{plan.target, plan.process.kind(), label, gamma, nullptr, nullptr};
  e.law = std::make_shared<TiltedLaw>(plan.target, plan.process, label, gamma);
  e.gap = std::make_shared<TiltedGapField>(e.law, plan.process);
  tilted_.push_back(std::move(e));
  return tilted_.back();
}

void FrameBuilder::fillTilted(const Session& session, const Scene& scene, Pane& pane, std::size_t index) {
  const PlannedRun* run = paneRun(session, index);
  if (!run) return;
  const Tilted& law = tilted(session.plan(), run->label, runGamma(*run));
  std::string text = "colour: tilted law q₀ = p₀ p₀(y|x)^γ / Z at γ = " + fmt("%.3g", law.gamma) + "  (t = " +
                     fmt("%.3g", law.law->baseTime()) + ")\narrows: ∇ log Zₜ = guided score − ∇ log qₜ";
  if (scene.display.layers.arrows && session.displayTime() < law.law->resolvedTime()) {
    text += "\n(arrows at t = " + fmt("%.3f", law.law->resolvedTime()) + ", the finest the grid resolves)";
  }
  const RunOutput* out = session.shown();
  if (out && index < out->runs.size() && out->runs[index].trajectory.final.rows() > 0) {
    const std::pair<int, const void*> key{session.shownGeneration(), law.law.get()};
    if (key != pane.tiltedW1Key) {
      pane.tiltedW1Key = key;
      const Points& final = out->runs[index].trajectory.final;
      const Eigen::Index n = std::min<Eigen::Index>(final.rows(), kW1Points);
      pane.tiltedW1 = slicedWasserstein(final.topRows(n), law.law->sample(n, CounterRng(scene.sampled.seed + 77)), 1,
                                        kW1Directions, 1);
    }
    text += "\nsliced W1 guided samples to q₀: " + fmt("%.3f", pane.tiltedW1);
  }
  pane.caption = text;
}

void FrameBuilder::fillPane(const Session& session, const Scene& scene, Pane& pane, std::size_t index) {
  render::FrameData& f = pane.frame;
  f = render::FrameData{};
  pane.showsArrows = false;
  const DisplayScene& display = scene.display;
  const Layers& layers = display.layers;
  const Lesson lesson = scene.sampled.lesson;
  const ScenePlan& plan = session.plan();
  const RunOutput* shown = session.shown();
  const double t = session.displayTime();
  const bool compare = comparesProcesses(scene, plan);
  const Process process = paneProcess(plan, index);
  const bool forwardSamplesPane = lesson == Lesson::ForwardNoising && index == 0 && !compare;
  const bool errorPane = lesson == Lesson::LearnScore && index == 0;

  if (layers.grid) {
    pane.ticks = render::makeTicks(pane.view, kTickSpacingPx * uiScale_);
    pane.grid = render::makeGridSegments(pane.view, pane.ticks);
    f.underlays.push_back({pane.grid.data(), pane.grid.size(), 1.0f});
  }
  if (!plan.target) return;

  if (errorPane) {
    // The learned pane's heat map is its error, not p_t: the one thing this lesson is about, so
    // it is drawn whatever the density layer says.
    if (const std::shared_ptr<const ScoreModel> learned = session.learnedField()) {
      const render::WorldRect r = pane.view.visibleRect();
      ErrorKey key{learned, plan.exact, fieldTime(plan, t), r, std::clamp(pane.width / 16, 2, 64), 0};
      key.rows = std::max(2, static_cast<int>(std::lround(key.columns * r.height() / r.width())));
      if (!(key == pane.errorKey)) {
        pane.errorKey = key;
        pane.densityKey = {};  // the two share the buffer
        fillError(pane, key);
      }
      render::DensityLayer d = densityLayer(pane, key.columns, key.rows, r);
      d.colormap = render::ColormapKind::Magma;  // not Ice: this is an error, not a density
      d.opacity = 0.6f;  // dimmed: the arrows over it must stay legible on a projector
      f.densities.push_back(d);
    }
  } else if (layers.density && lesson == Lesson::ReverseVsOde && display.likelihoodMap) {
    fillLikelihood(session, scene, pane, index);
  } else if (layers.density && !forwardSamplesPane) {
    const render::WorldRect r = pane.view.visibleRect();
    DensityKey key{plan.target, process.kind(), fieldTime(plan, t), r, densityColumns(pane.width), 0,
                   display.logDensity};
    // Lesson 5 draws what guidance aims at: p_t p_t(y|x)^gamma at the pane's gamma (exact, also
    // beside a learned run), and with the tilted-law view the tilted data law q_0 itself.
    const PlannedRun* run = lesson == Lesson::Guidance ? paneRun(session, index) : nullptr;
    if (run && run->guidance != GuidanceKind::None) {
      key.label = run->label;
      key.gamma = runGamma(*run);
      if (showsTiltedLaw(scene)) key.t = tilted(plan, key.label, key.gamma).law->baseTime();
    }
    key.rows = std::max(2, static_cast<int>(std::lround(key.columns * r.height() / r.width())));
    if (!(key == pane.densityKey)) {
      pane.densityKey = key;
      pane.errorKey = {};
      fillDensity(pane, key);
    }
    render::DensityLayer d = densityLayer(pane, key.columns, key.rows, r);
    d.contourLevels = layers.contours ? display.contourLevels : 0;
    f.densities.push_back(d);
  }

  if (layers.arrows && (lesson != Lesson::ForwardNoising || compare)) {
    std::shared_ptr<const ScoreModel> model = arrowModel(session, scene, index);
    if (showsTiltedLaw(scene)) {
      if (const PlannedRun* run = paneRun(session, index)) model = tilted(plan, run->label, runGamma(*run)).gap;
    }
    // Square cells over the whole visible rect (a 16:9 pane is covered edge to edge), the
    // slider's count of them along the longer side.
    const render::SquareCells cells = render::squareCells(pane.view.visibleRect(), std::max(1, display.arrowGrid));
    const ArrowKey key{model, fieldTime(plan, t), cells.rect, cells.columns, cells.rows, display.trueArrowLength,
                       display.arrowGain};
    if (!model) {
      pane.arrows.clear();
      pane.arrowKey = {};
      pane.arrowMaxScore = 0.0;
    } else if (!(key == pane.arrowKey)) {
      pane.arrowKey = key;
      pane.arrowNodes = render::makeGridNodes(cells.rect, key.columns, key.rows);
      pane.arrowField = model->score(gridPoints(pane.arrowNodes.xs, pane.arrowNodes.ys), key.t);
      pane.arrowMaxScore = render::maxArrowNorm(pane.arrowField.col(0).data(), pane.arrowField.col(1).data(),
                                                static_cast<std::size_t>(pane.arrowField.rows()));
    }
    pane.arrowCell = cells.cell;
    pane.showsArrows = model != nullptr;  // the arrows are made in makePaneArrows
  } else {
    pane.showsArrows = false;
  }
  if (showsTiltedLaw(scene)) fillTilted(session, scene, pane, index);

  if (!layers.particles || !shown) return;
  if (lessonShowsData(lesson)) {
    // Lesson 1: the samples pane; lesson 6: beside the exact field (the learned pane shows its
    // error map undisturbed); lesson 2: every pane.
    const std::size_t dataPane = lesson == Lesson::LearnScore ? 1 : 0;
    if ((lesson != Lesson::ScoreField && index != dataPane && !compare) || !lessonShowsData(shown->scene.lesson)) return;
    // x_t = a(t) x0 + s(t) eps with each particle's own eps: scrubbing t moves it smoothly. Two
    // compared processes noise the same x0 with the same eps.
    const ForwardData& data = shown->forward;
    const ForwardKey key{session.shownGeneration(), process.a(t), process.s(t)};
    if (!(key == pane.forwardKey)) {
      pane.forwardKey = key;
      pane.forward = key.a * data.x0 + key.s * data.eps;
    }
    render::ParticleLayer p;
    p.xs = pane.forward.col(0).data();
    p.ys = pane.forward.col(1).data();
    p.count = static_cast<std::size_t>(pane.forward.rows());
    p.labels = data.labels.size() == pane.forward.rows() ? data.labels.data() : nullptr;
    p.pointSizePx = display.pointSize;
    p.alpha = display.pointAlpha;
    f.particles.push_back(p);
    return;
  }
  if (index < shown->runs.size()) fillRunParticles(pane, shown->runs[index], session.displayStep(), display);
}

std::shared_ptr<const ScoreModel> FrameBuilder::arrowModel(const Session& session, const Scene& scene,
                                                           std::size_t index) {
  const ScenePlan& plan = session.plan();
  if (comparesProcesses(scene, plan)) {
    if (index == 1) return plan.comparedExact;
    return scene.sampled.score == ScoreSource::Learned ? plan.learned : plan.exact;
  }
  switch (scene.sampled.lesson) {
    case Lesson::ForwardNoising: return nullptr;
    case Lesson::LearnScore: return index == 0 ? session.learnedField() : plan.exact;
    case Lesson::ScoreField: {
      const ScoreSource source = scene.sampled.score;
      const bool learned = source == ScoreSource::Learned || (source == ScoreSource::Both && index == 1);
      return learned ? plan.learned : plan.exact;
    }
    case Lesson::Langevin:
    case Lesson::ReverseVsOde:
    case Lesson::Guidance: break;
  }
  // The field of the run shown in the pane; before the first run, of the planned run.
  const RunOutput* shown = session.shown();
  if (shown && index < shown->runs.size()) return shown->runs[index].run.model;
  if (index < plan.runs.size()) return plan.runs[index].model;
  return plan.exact;
}

void FrameBuilder::fillLikelihood(const Session& session, const Scene& scene, Pane& pane, std::size_t index) {
  const std::shared_ptr<const ScoreModel> model = arrowModel(session, scene, index);
  if (!model) return;
  const ScenePlan& plan = session.plan();
  const render::WorldRect r = pane.view.visibleRect();
  // Coarse: one ODE per node, about one node per 24 px (bilinear filtering smooths the rest).
  LikelihoodKey key{model, fieldTime(plan, 0.0), r, std::clamp(pane.width / 24, 8, 40), 0};
  key.rows = std::max(2, static_cast<int>(std::lround(key.columns * r.height() / r.width())));
  const std::shared_ptr<const Eigen::VectorXd> map = session.likelihoodMaps().get(key);
  if (!map) {
    pane.caption = "computing the PF-ODE likelihood map ...";
    return;
  }
  // Linear in log p_0 over the top kLikelihoodWindow nats (or the whole map when it spans less):
  // wide enough for the tails between modes, narrow enough that the modes stand out.
  constexpr double kLikelihoodWindow = 15.0;
  const double hi = map->maxCoeff(), lo = std::max(map->minCoeff(), hi - kLikelihoodWindow);
  pane.density.resize(static_cast<std::size_t>(map->size()));
  for (Eigen::Index i = 0; i < map->size(); ++i) {
    pane.density[static_cast<std::size_t>(i)] =
        static_cast<float>(hi > lo ? std::clamp(((*map)(i) - lo) / (hi - lo), 0.0, 1.0) : 0.0);
  }
  pane.densityKey = {};  // the buffer now holds the map
  pane.errorKey = {};
  pane.frame.densities.push_back(densityLayer(pane, key.columns, key.rows, r));
  const std::string line = "colour: PF-ODE log-likelihood log p₀(x) of this score\n" + fmt("%.1f", lo) +
                           " (dark) .. " + fmt("%.1f", hi) + " (bright); lowest on the pane " +
                           fmt("%.1f", map->minCoeff());
  pane.caption = pane.caption.empty() ? line : line + "\n" + pane.caption;
}

void FrameBuilder::fillError(Pane& pane, const ErrorKey& key) {
  const Eigen::VectorXd error =
      noiseUnitScoreError(*key.learned, *key.exact, texelNodes(key.rect, key.columns, key.rows), key.t);
  const double lo = std::log(kErrorScaleLow), range = std::log(kErrorScaleHigh) - lo;
  pane.density.resize(static_cast<std::size_t>(error.size()));
  for (Eigen::Index i = 0; i < error.size(); ++i) {
    const double v = (std::log(std::max(error(i), 1e-12)) - lo) / range;
    pane.density[static_cast<std::size_t>(i)] = static_cast<float>(std::clamp(v, 0.0, 1.0));
  }
}

void FrameBuilder::fillDensity(Pane& pane, const DensityKey& key) {
  const Process process(key.process);
  // Scaled to its maximum on the pane's grid, so the normalising constant of a guided density
  // (unknown in closed form) does not matter.
  Eigen::VectorXd logDensity;
  if (key.label >= 0) {
    logDensity = guidedLogDensity(*key.target, process, texelNodes(key.rect, key.columns, key.rows), key.t, key.label,
                                  key.gamma);
  } else if (const auto* set = dynamic_cast<const EmpiricalSet*>(key.target.get())) {
    // A point set's density is re-evaluated every frame while t plays: on the texel grid its
    // Gaussian kernel factorises over the axes (one matrix product instead of N exps a texel).
    const Eigen::VectorXd xs = Eigen::VectorXd::LinSpaced(key.columns, key.rect.xMin, key.rect.xMin + key.rect.width());
    const Eigen::VectorXd ys = Eigen::VectorXd::LinSpaced(key.rows, key.rect.yMin, key.rect.yMin + key.rect.height());
    logDensity = set->logDensityOnGrid(xs, ys, process.a(key.t), process.s(key.t));
  } else {
    logDensity = key.target->evaluate(texelNodes(key.rect, key.columns, key.rows), process.a(key.t), process.s(key.t),
                                      {.logDensity = true}).logDensity;
  }
  pane.density = render::scaleLogDensity(logDensity.data(), static_cast<std::size_t>(logDensity.size()),
                                         key.logScale ? render::DensityScale::Log : render::DensityScale::Linear);
}

void FrameBuilder::fillRunParticles(Pane& pane, const RunResult& run, int step, const DisplayScene& display) {
  const Trajectory& tr = run.trajectory;
  render::FrameData& f = pane.frame;
  if (tr.snapshots.empty()) return;
  const std::size_t k = shownSnapshot(tr, step);
  step = tr.snapshotSteps[k];  // trails and paths end where the particles are
  const Points& x = tr.snapshots[k];
  render::ParticleLayer p;
  p.xs = x.col(0).data();
  p.ys = x.col(1).data();
  p.count = static_cast<std::size_t>(x.rows());
  p.labels = run.labels.size() == x.rows() ? run.labels.data() : nullptr;
  p.pointSizePx = display.pointSize;
  p.alpha = display.pointAlpha;
  f.particles.push_back(p);

  // Full paths (faint, from the start to now) and trails (the last k steps, fading in); steps
  // that jump across the pane fade and break (jumpFade).
  const render::WorldRect visible = pane.view.visibleRect();
  const double side = std::min(visible.width(), visible.height());
  pane.paths.clear();
  pane.trails.clear();
  const int trail = std::max(1, display.trailLength);
  for (std::size_t j = 0; j < tr.paths.size(); ++j) {
    const Points& path = tr.paths[j];
    const int last = std::min<int>(step, static_cast<int>(path.rows()) - 1);
    const auto idx = static_cast<Eigen::Index>(tr.pathIndices[j]);
    const render::Rgba8 c = p.labels ? render::classColour(run.labels(idx)) : p.colour;
    for (int s = 0; s < last; ++s) {
      const double fade = jumpFade(std::hypot(path(s + 1, 0) - path(s, 0), path(s + 1, 1) - path(s, 1)), side);
      if (fade <= 0.0) continue;
      const render::Segment seg{static_cast<float>(path(s, 0)), static_cast<float>(path(s, 1)),
                                static_cast<float>(path(s + 1, 0)), static_cast<float>(path(s + 1, 1)), c, c};
      auto alpha = [&](double a) { return static_cast<std::uint8_t>(std::lround(a * fade)); };
      if (display.layers.paths && j < kFullPathCount) {
        render::Segment faint = seg;
        faint.c0.a = faint.c1.a = alpha(70.0);
        pane.paths.push_back(faint);
      }
      if (display.layers.trails && s >= last - trail) {
        render::Segment bright = seg;
        bright.c0.a = alpha(255.0 * (s - (last - trail)) / trail);
        bright.c1.a = alpha(255.0 * (s + 1 - (last - trail)) / trail);
        pane.trails.push_back(bright);
      }
    }
  }
  if (!pane.paths.empty()) f.lines.push_back({pane.paths.data(), pane.paths.size(), 1.2f});
  if (!pane.trails.empty()) f.lines.push_back({pane.trails.data(), pane.trails.size(), 2.2f});
}

void FrameBuilder::fillLegend(const Session& session, const Scene& scene, Pane& pane, std::size_t index) {
  const render::FrameData& f = pane.frame;
  LegendInput in;
  in.particles = !f.particles.empty();
  if (in.particles && f.particles.front().labels && session.plan().target) {
    in.classes = session.plan().target->labelCount();
  }
  const RunOutput* shown = session.shown();
  if (shown && !lessonShowsData(shown->scene.lesson) && index < shown->runs.size()) {
    const PlannedRun& run = shown->runs[index].run;
    if (run.guidance != GuidanceKind::None) in.guidedClass = run.label;
  }
  in.arrows = !f.arrows.empty() && f.arrows.front().count > 0;
  in.trueArrowLength = scene.display.trueArrowLength;
  in.arrowGain = scene.display.arrowGain;
  in.maxScore = pane.arrowMaxScore;
  if (showsTiltedLaw(scene)) in.arrowField = "∇ log Zₜ";
  pane.legend = makeLegend(in);
}

}  // namespace scorescope::gui
