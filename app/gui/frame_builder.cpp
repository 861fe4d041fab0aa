#include "gui/frame_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

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

std::vector<std::string> paneTitles(const Session& session, const Scene& scene) {
  const DisplayScene& display = scene.display;
  const ScoreSource source = scene.sampled.score;
  switch (scene.sampled.lesson) {
    case Lesson::ForwardNoising:
      if (!display.layers.density) return {"samples  x_t = a(t) x0 + s(t) eps"};
      return {"samples  x_t = a(t) x0 + s(t) eps", "exact density p_t"};
    case Lesson::ScoreField:
      if (source == ScoreSource::Learned) return {"learned score  s_theta  over  p_t"};
      if (source == ScoreSource::Both) return {"exact  grad log p_t  over  p_t", "learned  s_theta  over  p_t"};
      return {"score  grad log p_t  over  p_t"};
    case Lesson::LearnScore:
      return {session.scoreTraining().hasModel() ? "learned  s_theta  over its error" : "learned  s_theta  (no model yet)",
              "exact  grad log p_t  over  p_t"};
    case Lesson::Langevin:
    case Lesson::ReverseVsOde:
    case Lesson::Guidance: break;
  }
  std::vector<std::string> titles;
  if (const RunOutput* out = session.shown()) {
    const bool both = out->scene.score == ScoreSource::Both;
    for (const RunResult& r : out->runs) {
      std::string title = runTitle(r.run, display.cfgShowsGamma);
      if (both || r.run.source == ScoreSource::Learned) title += r.run.source == ScoreSource::Learned ? "  (learned)" : "  (exact)";
      titles.push_back(title);
    }
  }
  if (titles.empty()) titles.push_back(session.busy() ? "sampling..." : "");
  return titles;
}

// Panes side by side; more than three in two rows (a 2 x 2 sweep, exact over learned).
std::pair<int, int> paneGrid(int n) { return n > 3 ? std::pair{(n + 1) / 2, 2} : std::pair{n, 1}; }

std::string captionOf(const Session& session, const Scene& scene, std::size_t index) {
  if (scene.sampled.lesson == Lesson::LearnScore) {
    if (index != 0 || !session.scoreTraining().hasModel()) return {};
    return "colour: s(t) |s_theta - grad log p_t|\nlog scale: " + fmt("%.3g", kErrorScaleLow) + " dark .. " +
           fmt("%.3g", kErrorScaleHigh) + " bright";
  }
  const RunOutput* out = session.shown();
  if (!out || index >= out->w1.size()) return {};
  return "sliced W1 to exact target samples: " + fmt("%.3f", out->w1[index]);
}

}  // namespace

std::string runTitle(const PlannedRun& run, bool cfgShowsGamma) {
  const std::string y = "  class " + std::to_string(run.label);
  switch (run.guidance) {
    case GuidanceKind::None: break;
    case GuidanceKind::Conditional: return "conditional score" + y;
    case GuidanceKind::Classifier: return "classifier guidance  gamma = " + fmt("%.3g", run.scale) + y;
    case GuidanceKind::ClassifierFree: {
      const std::string w = fmt("%.3g", run.scale), gamma = fmt("%.3g", lectureGammaFromW(run.scale));
      if (cfgShowsGamma) return "CFG  gamma = " + gamma + "  (w = gamma - 1 = " + w + ")" + y;
      return "CFG  w = " + w + "  (gamma = 1 + w = " + gamma + ")" + y;
    }
  }
  const std::string title(samplerInfo(run.sampler.kind).title);
  if (run.sampler.kind == SamplerKind::Ddim) return title + "  eta = " + fmt("%.2f", run.sampler.ddimEta);
  return title;
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
    pane.title = titles[static_cast<std::size_t>(i)];
    pane.caption = captionOf(session, scene, static_cast<std::size_t>(i));
    const int c = i % columns, r = i / columns;
    pane.x = c * widthPx / columns;
    pane.width = (c + 1) * widthPx / columns - pane.x;
    pane.y = r * heightPx / rows;
    pane.height = (r + 1) * heightPx / rows - pane.y;
    pane.view.resize(pane.width, pane.height);
    pane.view.fit({camera.centreX - camera.halfExtent, camera.centreY - camera.halfExtent,
                   camera.centreX + camera.halfExtent, camera.centreY + camera.halfExtent});
    fillPane(session, scene, pane, static_cast<std::size_t>(i));
  }
  return panes_;
}

void FrameBuilder::fillPane(const Session& session, const Scene& scene, Pane& pane, std::size_t index) {
  render::FrameData& f = pane.frame;
  f = render::FrameData{};
  const DisplayScene& display = scene.display;
  const Layers& layers = display.layers;
  const Lesson lesson = scene.sampled.lesson;
  const ScenePlan& plan = session.plan();
  const RunOutput* shown = session.shown();
  const double t = session.displayTime();
  const bool forwardSamplesPane = lesson == Lesson::ForwardNoising && index == 0;
  const bool errorPane = lesson == Lesson::LearnScore && index == 0;

  if (layers.grid) {
    pane.ticks = render::makeTicks(pane.view);
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
  } else if (layers.density && !forwardSamplesPane) {
    const render::WorldRect r = pane.view.visibleRect();
    DensityKey key{plan.target, plan.process.kind(), fieldTime(plan, t), r, densityColumns(pane.width), 0,
                   display.logDensity};
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

  if (layers.arrows && lesson != Lesson::ForwardNoising) {
    const std::shared_ptr<const ScoreModel> model = arrowModel(session, scene, index);
    // The arrow grid covers the camera square (not the whole pane) so the arrow count is the
    // slider's n x n whatever the window shape; it is centred in the visible rect.
    const Camera& c = display.camera;
    const render::WorldRect square{c.centreX - c.halfExtent, c.centreY - c.halfExtent, c.centreX + c.halfExtent,
                                   c.centreY + c.halfExtent};
    const ArrowKey key{model, fieldTime(plan, t), square, display.arrowGrid, display.trueArrowLength, display.arrowGain};
    if (!model) {
      pane.arrows.clear();
      pane.arrowKey = {};
    } else if (!(key == pane.arrowKey)) {
      pane.arrowKey = key;
      const render::GridNodes nodes = render::makeGridNodes(square, key.grid);
      const Points score = model->score(gridPoints(nodes.xs, nodes.ys), key.t);
      render::ArrowStyle style;
      style.length = key.trueLength ? render::ArrowLength::TrueLength : render::ArrowLength::Normalised;
      style.gain = key.gain;
      pane.arrows = render::makeArrows(nodes, score.col(0).data(), score.col(1).data(), style);
    }
    render::ArrowLayer a;
    a.arrows = pane.arrows.data();
    a.count = pane.arrows.size();
    const double cell = 2.0 * c.halfExtent / key.grid;
    a.shaftWidth = static_cast<float>(0.075 * cell);
    a.headLength = static_cast<float>(0.3 * cell);
    a.opacity = 0.85f;
    f.arrows.push_back(a);
  }

  if (!layers.particles || !shown) return;
  if (lessonShowsData(lesson)) {
    // Lesson 1: the samples pane; lesson 6: beside the exact field (the learned pane shows its
    // error map undisturbed); lesson 2: every pane.
    const std::size_t dataPane = lesson == Lesson::LearnScore ? 1 : 0;
    if ((lesson != Lesson::ScoreField && index != dataPane) || !lessonShowsData(shown->scene.lesson)) return;
    // x_t = a(t) x0 + s(t) eps with each particle's own eps: scrubbing t moves it smoothly.
    const ForwardData& data = shown->forward;
    const Process process(shown->scene.process);
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
  Eigen::VectorXd logDensity;
  if (const auto* set = dynamic_cast<const EmpiricalSet*>(key.target.get())) {
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

  // Full paths (faint, from the start to now) and trails (the last k steps, fading in).
  pane.paths.clear();
  pane.trails.clear();
  const int trail = std::max(1, display.trailLength);
  for (std::size_t j = 0; j < tr.paths.size(); ++j) {
    const Points& path = tr.paths[j];
    const int last = std::min<int>(step, static_cast<int>(path.rows()) - 1);
    const auto idx = static_cast<Eigen::Index>(tr.pathIndices[j]);
    const render::Rgba8 c = p.labels ? render::classColour(run.labels(idx)) : p.colour;
    for (int s = 0; s < last; ++s) {
      const render::Segment seg{static_cast<float>(path(s, 0)), static_cast<float>(path(s, 1)),
                                static_cast<float>(path(s + 1, 0)), static_cast<float>(path(s + 1, 1)), c, c};
      if (display.layers.paths && j < kFullPathCount) {
        render::Segment faint = seg;
        faint.c0.a = faint.c1.a = 70;
        pane.paths.push_back(faint);
      }
      if (display.layers.trails && s >= last - trail) {
        render::Segment bright = seg;
        bright.c0.a = static_cast<std::uint8_t>(255 * (s - (last - trail)) / trail);
        bright.c1.a = static_cast<std::uint8_t>(255 * (s + 1 - (last - trail)) / trail);
        pane.trails.push_back(bright);
      }
    }
  }
  if (!pane.paths.empty()) f.lines.push_back({pane.paths.data(), pane.paths.size(), 1.2f});
  if (!pane.trails.empty()) f.lines.push_back({pane.trails.data(), pane.trails.size(), 2.2f});
}

}  // namespace scorescope::gui
