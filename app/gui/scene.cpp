#include "gui/scene.hpp"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "render/density_image.hpp"
#include "scorescope/empirical_set.hpp"
#include "scorescope/guidance.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/sampler_run.hpp"
#include "scorescope/time_grid.hpp"

namespace scorescope::gui {
namespace {

constexpr std::size_t kRunMemoryBudget = 384u << 20;
// Full paths (faint, from the start) are drawn for this many of the recorded particles; the
// rest show only their trails. More whole paths turn into a hairball.
constexpr std::size_t kFullPathCount = 12;
constexpr double kSweepScales[] = {0.0, 1.0, 3.0, 7.0};

std::string fmt(const char* format, double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

// Most probable class of each point at the sampler noise floor (exact posterior of the target).
Labels classify(const Target& target, const Points& x) {
  if (target.labelCount() <= 1 || x.rows() == 0) return {};
  const Eigen::MatrixXd posterior =
      target.evaluate(x, 1.0, kMinNoiseLevel, {.classPosterior = true}).classPosterior;
  Labels labels(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) posterior.row(i).maxCoeff(&labels(i));
  return labels;
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

std::string guidanceTitle(const SceneSettings& s, double scale) {
  const std::string y = "  class " + std::to_string(s.guidanceClass);
  if (s.guidance == GuidanceKind::Classifier) return "classifier guidance  gamma = " + fmt("%.3g", scale) + y;
  const double w = s.cfgLectureConvention ? scale - 1.0 : scale;
  return "CFG  w = " + fmt("%.3g", w) + "  (gamma = 1 + w = " + fmt("%.3g", lectureGammaFromW(w)) + ")" + y;
}

SamplerSettings stochasticSettings(const SceneSettings& s) {
  SamplerSettings out;
  out.steps = s.steps;
  switch (s.stochastic) {
    case StochasticSampler::ReverseSde: out.kind = SamplerKind::ReverseSde; break;
    case StochasticSampler::Ddpm: out.kind = SamplerKind::Ddpm; break;
    case StochasticSampler::Ddim:
      out.kind = SamplerKind::Ddim;
      out.ddimEta = s.ddimEta;
      break;
  }
  return out;
}

SamplerSettings deterministicSettings(const SceneSettings& s) {
  SamplerSettings out;
  out.steps = s.steps;
  switch (s.deterministic) {
    case DeterministicSampler::OdeEuler: out.kind = SamplerKind::OdeEuler; break;
    case DeterministicSampler::OdeHeun: out.kind = SamplerKind::OdeHeun; break;
    case DeterministicSampler::OdeRk4: out.kind = SamplerKind::OdeRk4; break;
    case DeterministicSampler::DdimEta0:
      out.kind = SamplerKind::Ddim;
      out.ddimEta = 0.0;
      break;
  }
  return out;
}

std::string samplerTitle(const SamplerSettings& s) {
  switch (s.kind) {
    case SamplerKind::Ddim: return "DDIM  eta = " + fmt("%.2f", s.ddimEta);
    case SamplerKind::ReverseSde: return "Reverse SDE (Euler-Maruyama)";
    case SamplerKind::Ddpm: return "DDPM ancestral";
    case SamplerKind::OdeEuler: return "PF-ODE (Euler)";
    case SamplerKind::OdeHeun: return "PF-ODE (Heun)";
    case SamplerKind::OdeRk4: return "PF-ODE (RK4)";
    case SamplerKind::OdeRk45:
    case SamplerKind::Langevin:
    case SamplerKind::AnnealedLangevin:
    case SamplerKind::PredictorCorrector: return std::string(samplerName(s.kind));
  }
  throw std::logic_error("samplerTitle(): unknown sampler kind " + std::to_string(static_cast<int>(s.kind)));
}

}  // namespace

std::size_t shownSnapshot(const Trajectory& tr, int step) {
  std::size_t k = 0;
  for (std::size_t i = 0; i < tr.snapshotSteps.size(); ++i) {
    if (tr.snapshotSteps[i] <= step) k = i;
  }
  return k;
}

Scene::Scene(QObject* parent) : QObject(parent) {
  connect(&worker_, &SamplingWorker::finished, this, &Scene::onRunsFinished);
  const PointSet three = makeThreePoints();
  drawn_ = three.points;
  drawnLabels_ = three.labels;
  rebuildTarget();
  resample();
}

Scene::~Scene() { worker_.cancel(); }

void Scene::setSettings(const SceneSettings& s) {
  const SceneSettings old = settings_;
  settings_ = s;
  settings_.particles = std::clamp(settings_.particles, 1, 2'000'000);
  if (old.target != settings_.target || old.process != settings_.process || old.seed != settings_.seed) {
    rebuildTarget();
  }
  // The guidance class names a class of the current target (titles and runs agree).
  settings_.guidanceClass = std::clamp(settings_.guidanceClass, 0, std::max(0, labelCount() - 1));
  if (needsResampling(old, settings_)) resample();
  emit changed();
}

void Scene::rebuildTarget() {
  process_ = Process(settings_.process);
  if (settings_.target == "draw") {
    targetError_.clear();
    mixture_.clear();
    target_ = drawn_.rows() > 0 ? std::make_shared<EmpiricalSet>(drawn_, drawnLabels_) : nullptr;
  } else {
    std::unique_ptr<Target> t = makePreset(settings_.target, static_cast<std::uint64_t>(settings_.seed));
    targetError_.clear();
    if (!t) {
      targetError_ = "target: " + targetNameError(settings_.target) + " (showing gmm8-ring)";
      t = makeGmm8Ring();
    }
    auto* mixture = dynamic_cast<GaussianMixture*>(t.get());
    mixture_ = mixture ? mixture->components() : std::vector<MixtureComponent>{};
    target_ = std::move(t);
  }
  settings_.guidanceClass = std::clamp(settings_.guidanceClass, 0, std::max(0, labelCount() - 1));
  ++targetVersion_;
}

void Scene::resample() {
  const Lesson lesson = settings_.lesson;
  if (!target_) {
    forward_.setData(Points(0, 2), CounterRng(0));
    models_.clear();
    dropRuns("click on the canvas to add data points");
    return;
  }
  if (lesson == Lesson::ForwardNoising || lesson == Lesson::ScoreField) {
    dropRuns("");
    models_.clear();
    const CounterRng rng(static_cast<std::uint64_t>(settings_.seed));
    forward_.setData(target_->sample(settings_.particles, rng, &labels0_), rng.derive(1));
    if (target_->labelCount() <= 1) labels0_.resize(0);
    return;
  }
  // Sampling lessons: models on this thread (cheap), runs on the worker.
  models_.clear();
  auto exact = std::make_shared<ExactScore>(target_, process_);
  if (lesson == Lesson::Langevin || lesson == Lesson::ReverseVsOde) {
    models_.push_back(exact);
    if (lesson == Lesson::ReverseVsOde) models_.push_back(exact);
  } else {
    if (target_->labelCount() <= 1) {
      dropRuns("guidance needs a labelled target (gmm8-ring, two-moons, rings, ...)");
      return;
    }
    const int label = std::clamp(settings_.guidanceClass, 0, target_->labelCount() - 1);
    std::shared_ptr<const Target> conditional(target_->conditional(label));
    if (!conditional) {
      // A drawn set may skip a label (points labelled 0 and 2): there is nothing to guide to.
      dropRuns("class y = " + std::to_string(label) + " has no data");
      return;
    }
    std::vector<double> scales;
    if (settings_.sweep) scales.assign(std::begin(kSweepScales), std::end(kSweepScales));
    else scales.push_back(settings_.guidance == GuidanceKind::Classifier ? settings_.classifierGamma
                                                                         : settings_.cfgScale);
    for (double scale : scales) {
      if (settings_.guidance == GuidanceKind::Classifier) {
        models_.push_back(std::make_shared<ClassifierGuidance>(target_, process_, label, scale));
      } else {
        models_.push_back(std::make_shared<ClassifierFreeGuidance>(
            std::make_shared<ExactScore>(conditional, process_), exact, scale,
            settings_.cfgLectureConvention ? CfgConvention::Lecture : CfgConvention::HoSalimans));
      }
    }
  }
  std::string problem;
  SamplingJob job = makeJob(problem);
  if (!job) {
    dropRuns(problem);
    return;
  }
  // Runs of another lesson or pane count would show old titles over a new layout: clear them.
  if (lesson != runsLesson_ || runs_.size() != models_.size()) {
    runs_.clear();
    timeline_.setSteps(0);
  }
  runsLesson_ = lesson;
  status_ = "sampling...";
  generation_ = worker_.submit(std::move(job));
}

void Scene::dropRuns(std::string status) {
  generation_ = worker_.cancel();
  runs_.clear();
  timeline_.setSteps(0);
  status_ = std::move(status);
}

SamplingJob Scene::makeJob(std::string& problem) {
  const SceneSettings s = settings_;
  std::vector<SamplerSettings> samplers;
  std::vector<std::string> titles;
  if (s.lesson == Lesson::Langevin) {
    SamplerSettings l;
    if (s.annealed) {
      l.kind = SamplerKind::AnnealedLangevin;
      l.stepsPerLevel = s.stepsPerLevel;
      l.steps = s.annealedLevels * s.stepsPerLevel;
      l.annealedEpsilon = s.annealedEpsilon;
    } else {
      l.kind = SamplerKind::Langevin;
      l.steps = s.langevinSteps;
      l.langevinStepSize = s.langevinStep;
      l.langevinNoiseLevel = s.langevinNoiseLevel;
    }
    l.denoiseFinal = false;  // show where Langevin itself ends
    samplers.push_back(l);
    titles.push_back(s.annealed ? "Annealed Langevin (NCSN)" : "Langevin at a fixed noise level");
  } else if (s.lesson == Lesson::ReverseVsOde) {
    samplers.push_back(stochasticSettings(s));
    samplers.push_back(deterministicSettings(s));
    titles.push_back(samplerTitle(samplers[0]));
    titles.push_back(samplerTitle(samplers[1]));
  } else {
    SamplerSettings g;
    g.kind = s.guidanceSampler;
    g.steps = s.steps;
    for (std::size_t k = 0; k < models_.size(); ++k) {
      samplers.push_back(g);
      const double scale = s.sweep ? kSweepScales[k]
                                   : (s.guidance == GuidanceKind::Classifier ? s.classifierGamma : s.cfgScale);
      titles.push_back(guidanceTitle(s, scale));
    }
  }
  for (const SamplerSettings& sampler : samplers) {
    problem = validateSamplerSettings(sampler);
    if (!problem.empty()) return {};
  }
  const auto models = models_;
  const auto target = target_;
  const Process process = process_;
  return [s, samplers, titles, models, target, process](const JobControl& control) {
    if (control.cancelled()) return std::vector<SampleRun>{};  // before the costly initial noise
    std::vector<SampleRun> runs;
    const CounterRng rng(static_cast<std::uint64_t>(s.seed));
    // The same initial noise for every run: differences come from the samplers alone.
    const Points start = initialParticles(process, samplers[0], s.particles, rng);
    RecordOptions record;
    for (int i = 0; i < std::min(s.pathCount, s.particles); ++i) record.pathIndices.push_back(i);
    record.memoryBudgetBytes = kRunMemoryBudget / samplers.size();
    for (std::size_t r = 0; r < samplers.size(); ++r) {
      const double expected = expectedSteps(samplers[r]);
      const double base = static_cast<double>(r) / static_cast<double>(samplers.size());
      Trajectory t = runSampler(*models[r], samplers[r], start, rng, record,
                                [&](int step, double, const Points&) {
                                  control.setProgress(base + step / expected / static_cast<double>(samplers.size()));
                                  return !control.cancelled();
                                });
      if (t.cancelled || control.cancelled()) return std::vector<SampleRun>{};
      SampleRun run;
      run.model = models[r];
      run.title = titles[r];
      run.labels = classify(*target, t.final);
      run.trajectory = std::move(t);
      runs.push_back(std::move(run));
    }
    return runs;
  };
}

void Scene::onRunsFinished(int generation, std::shared_ptr<std::vector<SampleRun>> runs) {
  if (generation != generation_ || runs->empty()) return;
  runs_ = std::move(*runs);
  runsGeneration_ = generation;
  int last = 1;
  for (const SampleRun& r : runs_) last = std::max(last, static_cast<int>(r.trajectory.times.size()) - 1);
  const bool first = timeline_.lastStep() == 0;
  timeline_.setSteps(last);
  if (first) timeline_.scrubTo(0.0);
  status_.clear();
  emit changed();
}

std::string Scene::status() const {
  if (targetError_.empty()) return status_;
  return status_.empty() ? targetError_ : targetError_ + "; " + status_;
}

void Scene::waitForSampling() {
  worker_.waitForIdle();
  QCoreApplication::sendPostedEvents(&worker_);
  QCoreApplication::processEvents();
}

std::size_t Scene::particleCount() const {
  if (!runs_.empty()) return static_cast<std::size_t>(runs_.front().trajectory.final.rows());
  return static_cast<std::size_t>(forward_.data().rows());
}

double Scene::displayTime() const {
  if (settings_.lesson == Lesson::ForwardNoising || settings_.lesson == Lesson::ScoreField) {
    return timeline_.position();
  }
  if (runs_.empty()) return 1.0;
  const Trajectory& tr = runs_.front().trajectory;
  if (tr.times.empty()) return 1.0;
  const int step = tr.snapshotSteps.empty() ? timeline_.currentStep()
                                            : tr.snapshotSteps[shownSnapshot(tr, timeline_.currentStep())];
  return tr.times[static_cast<std::size_t>(std::clamp(step, 0, static_cast<int>(tr.times.size()) - 1))];
}

int Scene::displayStep() const {
  if (settings_.lesson == Lesson::ForwardNoising || settings_.lesson == Lesson::ScoreField) return -1;
  return timeline_.currentStep();
}

// Density and field are shown at t no smaller than the sampler noise floor (s/a = 0.01), and
// for point sets at s/a >= 0.03, where p_t is a sum of visible bumps rather than spikes.
double Scene::densityTime(double t) const {
  const double floor = timeForNoiseLevel(process_, target_ && !target_->hasDensityAtZeroNoise() ? 0.03 : kMinNoiseLevel);
  return std::clamp(t, std::max(floor, 1e-5), 1.0);
}

int Scene::paneAt(double xPx, double yPx) const {
  for (std::size_t i = 0; i < panes_.size(); ++i) {
    const Pane& p = panes_[i];
    if (xPx >= p.x && xPx < p.x + p.width && yPx >= p.y && yPx < p.y + p.height) return static_cast<int>(i);
  }
  return -1;
}

std::vector<Pane>& Scene::buildFrame(int widthPx, int heightPx) {
  // Pane layout for the lesson.
  std::vector<std::string> titles;
  switch (settings_.lesson) {
    case Lesson::ForwardNoising:
      titles = {"samples  x_t = a(t) x0 + s(t) eps", "exact density p_t"};
      if (!settings_.layers.density) titles.pop_back();
      break;
    case Lesson::ScoreField: titles = {"score  grad log p_t  over  p_t"}; break;
    case Lesson::Langevin:
    case Lesson::ReverseVsOde:
    case Lesson::Guidance:
      for (const SampleRun& r : runs_) titles.push_back(r.title);
      if (titles.empty()) titles.push_back(sampling() ? "sampling..." : "");
      break;
  }
  const int n = static_cast<int>(titles.size());
  panes_.resize(static_cast<std::size_t>(n));
  const double t = displayTime();
  const int step = displayStep();
  for (int i = 0; i < n; ++i) {
    Pane& pane = panes_[static_cast<std::size_t>(i)];
    pane.title = titles[static_cast<std::size_t>(i)];
    // Side by side, except four small multiples, which get a 2 x 2 grid.
    const int columns = n == 4 ? 2 : n, rows = n == 4 ? 2 : 1;
    const int c = i % columns, r = i / columns;
    pane.x = c * widthPx / columns;
    pane.width = (c + 1) * widthPx / columns - pane.x;
    pane.y = r * heightPx / rows;
    pane.height = (r + 1) * heightPx / rows - pane.y;
    pane.view.resize(pane.width, pane.height);
    pane.view.fit({camera_.centreX - camera_.halfExtent, camera_.centreY - camera_.halfExtent,
                   camera_.centreX + camera_.halfExtent, camera_.centreY + camera_.halfExtent});
    fillPane(pane, static_cast<std::size_t>(i), t, step);
  }
  return panes_;
}

void Scene::fillPane(Pane& pane, std::size_t index, double t, int step) {
  render::FrameData& f = pane.frame;
  f = render::FrameData{};
  const Layers& layers = settings_.layers;
  const Lesson lesson = settings_.lesson;
  const bool forwardSamplesPane = lesson == Lesson::ForwardNoising && index == 0;

  if (layers.grid) {
    pane.ticks = render::makeTicks(pane.view);
    pane.grid = render::makeGridSegments(pane.view, pane.ticks);
    f.underlays.push_back({pane.grid.data(), pane.grid.size(), 1.0f});
  }
  if (!target_) return;

  if (layers.density && !forwardSamplesPane) {
    fillDensity(pane, t);
    render::DensityLayer d;
    d.values = pane.density.data();
    d.columns = densityColumns(pane.width);
    d.rows = static_cast<int>(pane.density.size()) / d.columns;
    d.rect = pane.view.visibleRect();
    d.contourLevels = layers.contours ? settings_.contourLevels : 0;
    f.densities.push_back(d);
  }

  const bool showArrows = layers.arrows && lesson != Lesson::ForwardNoising;
  if (showArrows) {
    fillArrows(pane, index, t);
    render::ArrowLayer a;
    a.arrows = pane.arrows.data();
    a.count = pane.arrows.size();
    const double cell = 2.0 * camera_.halfExtent / std::max(1, settings_.arrowGrid);
    a.shaftWidth = static_cast<float>(0.075 * cell);
    a.headLength = static_cast<float>(0.3 * cell);
    a.opacity = 0.85f;
    f.arrows.push_back(a);
  }

  if (!layers.particles) return;
  if (lesson == Lesson::ForwardNoising || lesson == Lesson::ScoreField) {
    if (lesson == Lesson::ForwardNoising && index != 0) return;
    const Points& xt = forward_.at(process_, t);
    render::ParticleLayer p;
    p.xs = xt.col(0).data();
    p.ys = xt.col(1).data();
    p.count = static_cast<std::size_t>(xt.rows());
    p.labels = labels0_.size() == xt.rows() ? labels0_.data() : nullptr;
    p.pointSizePx = settings_.pointSize;
    p.alpha = settings_.pointAlpha;
    f.particles.push_back(p);
    return;
  }
  if (index < runs_.size()) fillRunParticles(pane, runs_[index], step);
}

void Scene::fillDensity(Pane& pane, double t) {
  const render::WorldRect r = pane.view.visibleRect();
  const int columns = densityColumns(pane.width);
  const int rows = std::max(2, static_cast<int>(std::lround(columns * r.height() / r.width())));
  const double te = densityTime(t);
  char key[256];
  std::snprintf(key, sizeof key, "%d %.9g %.9g %.9g %.9g %.9g %d %d %d", targetVersion_, te, r.xMin, r.yMin,
                r.xMax, r.yMax, columns, rows, static_cast<int>(settings_.densityScale));
  if (pane.densityKey == key) return;
  pane.densityKey = key;
  // Nodes at the texel centres: column i at xMin + i w / (columns - 1), row j likewise.
  std::vector<double> xs, ys;
  xs.reserve(static_cast<std::size_t>(columns * rows));
  ys.reserve(static_cast<std::size_t>(columns * rows));
  for (int j = 0; j < rows; ++j) {
    for (int i = 0; i < columns; ++i) {
      xs.push_back(r.xMin + i * r.width() / (columns - 1));
      ys.push_back(r.yMin + j * r.height() / (rows - 1));
    }
  }
  const FieldValues v = target_->evaluate(gridPoints(xs, ys), process_.a(te), process_.s(te), {.logDensity = true});
  pane.density = render::scaleLogDensity(v.logDensity.data(), static_cast<std::size_t>(v.logDensity.size()),
                                         settings_.densityScale);
}

void Scene::fillArrows(Pane& pane, std::size_t index, double t) {
  const double te = densityTime(t);
  // The arrow grid covers the camera square (not the whole pane) so the arrow count is the
  // slider's n x n whatever the window shape; it is centred in the visible rect.
  const double h = camera_.halfExtent;
  const render::WorldRect square{camera_.centreX - h, camera_.centreY - h, camera_.centreX + h, camera_.centreY + h};
  // The field of the run shown in the pane; before the first run, of the model being sampled;
  // else (lessons 1-2) the exact score. generation_ changes whenever models_ is rebuilt.
  std::shared_ptr<const ScoreModel> model;
  int source = 0, version = 0;
  if (index < runs_.size()) {
    model = runs_[index].model;
    source = 1;
    version = runsGeneration_;
  } else if (index < models_.size()) {
    model = models_[index];
    source = 2;
    version = generation_;
  }
  char key[256];
  std::snprintf(key, sizeof key, "%d %zu %.9g %.9g %.9g %.9g %d %d %.4g %d %d", targetVersion_, index, te,
                square.xMin, square.yMin, square.xMax, settings_.arrowGrid,
                static_cast<int>(settings_.arrowLength), static_cast<double>(settings_.arrowGain), source, version);
  if (pane.arrowKey == key) return;
  pane.arrowKey = key;
  if (!model) model = std::make_shared<ExactScore>(target_, process_);
  const render::GridNodes nodes = render::makeGridNodes(square, std::max(2, settings_.arrowGrid));
  const Points score = model->score(gridPoints(nodes.xs, nodes.ys), te);
  render::ArrowStyle style;
  style.length = settings_.arrowLength;
  style.gain = settings_.arrowGain;
  pane.arrows = render::makeArrows(nodes, score.col(0).data(), score.col(1).data(), style);
}

void Scene::fillRunParticles(Pane& pane, const SampleRun& run, int step) {
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
  p.pointSizePx = settings_.pointSize;
  p.alpha = settings_.pointAlpha;
  f.particles.push_back(p);

  // Full paths (faint, from the start to now) and trails (the last k steps, fading in).
  pane.paths.clear();
  pane.trails.clear();
  const int trail = std::max(1, settings_.trailLength);
  for (std::size_t j = 0; j < tr.paths.size(); ++j) {
    const Points& path = tr.paths[j];
    const int last = std::min<int>(step, static_cast<int>(path.rows()) - 1);
    const auto idx = static_cast<Eigen::Index>(tr.pathIndices[j]);
    render::Rgba8 c = p.labels ? render::classColour(run.labels(idx)) : p.colour;
    for (int s = 0; s < last; ++s) {
      const render::Segment seg{static_cast<float>(path(s, 0)), static_cast<float>(path(s, 1)),
                                static_cast<float>(path(s + 1, 0)), static_cast<float>(path(s + 1, 1)), c, c};
      if (settings_.layers.paths && j < kFullPathCount) {
        render::Segment faint = seg;
        faint.c0.a = faint.c1.a = 70;
        pane.paths.push_back(faint);
      }
      if (settings_.layers.trails && s >= last - trail) {
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

double Scene::handleScale() const {
  const bool forward = settings_.lesson == Lesson::ForwardNoising || settings_.lesson == Lesson::ScoreField;
  return forward ? process_.a(displayTime()) : 1.0;
}

bool Scene::hasHandles() const { return !mixture_.empty() && handleScale() >= kMinHandleScale; }

std::vector<std::array<double, 2>> Scene::handlePositions() const {
  const double a = handleScale();
  std::vector<std::array<double, 2>> out;
  for (const MixtureComponent& c : mixture_) out.push_back({a * c.mean.x(), a * c.mean.y()});
  return out;
}

void Scene::moveHandle(int index, double worldX, double worldY) {
  // t may have moved on (playing) since the drag started: no edit once the handles are gone.
  if (index < 0 || index >= static_cast<int>(mixture_.size()) || !hasHandles()) return;
  const double a = handleScale();
  mixture_[static_cast<std::size_t>(index)].mean = Eigen::Vector2d(worldX / a, worldY / a);
  target_ = std::make_shared<GaussianMixture>(mixture_);
  ++targetVersion_;
  resample();
  emit changed();
}

void Scene::addDrawnPoint(double x, double y, int label) {
  const Eigen::Index n = drawn_.rows();
  drawn_.conservativeResize(n + 1, 2);
  drawn_.row(n) << x, y;
  drawnLabels_.conservativeResize(n + 1);
  drawnLabels_(n) = std::max(0, label);
  if (drawing()) {
    rebuildTarget();
    resample();
  }
  emit changed();
}

void Scene::clearDrawnPoints() {
  drawn_.resize(0, 2);
  drawnLabels_.resize(0);
  if (drawing()) {
    rebuildTarget();
    resample();
  }
  emit changed();
}

}  // namespace scorescope::gui
