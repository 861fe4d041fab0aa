#include "scorescope/scene.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "scorescope/presets.hpp"

namespace scorescope {

std::string_view scoreSourceName(ScoreSource source) {
  switch (source) {
    case ScoreSource::Exact: return "exact";
    case ScoreSource::Learned: return "learned";
    case ScoreSource::Both: return "both";
  }
  throw std::logic_error("scoreSourceName(): unknown source");
}

bool parseScoreSource(std::string_view name, ScoreSource& out) {
  for (const ScoreSource source : kAllScoreSources) {
    if (name == scoreSourceName(source)) {
      out = source;
      return true;
    }
  }
  return false;
}
namespace {

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

std::string expected(const std::string& field, const std::string& allowed, double got) {
  return field + ": expected " + allowed + ", got " + number(got);
}


}  // namespace

const char* lessonTitle(Lesson lesson) {
  switch (lesson) {
    case Lesson::ForwardNoising: return "1  Forward noising";
    case Lesson::ScoreField: return "2  Score field at t";
    case Lesson::Langevin: return "3  Langevin dynamics";
    case Lesson::ReverseVsOde: return "4  Reverse SDE vs PF-ODE";
    case Lesson::Guidance: return "5  Guidance";
    case Lesson::LearnScore: return "6  Learn the score";
  }
  throw std::logic_error("lessonTitle(): unknown lesson " + std::to_string(static_cast<int>(lesson)));
}

TargetSpec threePointsDrawing() {
  TargetSpec spec;
  spec.source = TargetSource::PointCloud;
  const PointSet three = makeThreePoints();
  for (Eigen::Index i = 0; i < three.points.rows(); ++i) {
    spec.points.emplace_back(three.points(i, 0), three.points(i, 1));
    spec.labels.push_back(three.labels(i));
  }
  return spec;
}

bool lessonShowsData(Lesson lesson) {
  return lesson == Lesson::ForwardNoising || lesson == Lesson::ScoreField || lesson == Lesson::LearnScore;
}

bool samplerFitsLesson(SamplerKind k, Lesson lesson) {
  const bool langevin = k == SamplerKind::Langevin || k == SamplerKind::AnnealedLangevin;
  switch (lesson) {
    case Lesson::ForwardNoising:
    case Lesson::ScoreField: return false;
    case Lesson::Langevin: return langevin;
    case Lesson::ReverseVsOde:
      return k == SamplerKind::ReverseSde || k == SamplerKind::Ddpm || k == SamplerKind::Ddim ||
             k == SamplerKind::PredictorCorrector;
    case Lesson::Guidance: return !langevin;
    case Lesson::LearnScore: return false;
  }
  throw std::logic_error("samplerFitsLesson(): unknown lesson " + std::to_string(static_cast<int>(lesson)));
}

SampledScene enterLesson(SampledScene s, Lesson lesson) {
  s.lesson = lesson;
  switch (lesson) {
    case Lesson::ForwardNoising:
    case Lesson::ScoreField: break;
    case Lesson::Langevin:
      if (!samplerFitsLesson(s.sampler.kind, lesson)) {
        s.sampler = defaultSamplerSettings(SamplerKind::Langevin);
        s.sampler.denoiseFinal = false;  // show where the Langevin chain itself ends
      }
      break;
    case Lesson::ReverseVsOde:
      if (!samplerFitsLesson(s.sampler.kind, lesson)) s.sampler = defaultSamplerSettings(SamplerKind::ReverseSde);
      break;
    case Lesson::Guidance:
      if (!samplerFitsLesson(s.sampler.kind, lesson)) s.sampler = defaultSamplerSettings(SamplerKind::OdeHeun);
      if (s.guidance.kind == GuidanceKind::None || s.guidance.kind == GuidanceKind::Conditional) {
        s.guidance.kind = GuidanceKind::ClassifierFree;
      }
      break;
    case Lesson::LearnScore: s.score = ScoreSource::Exact; break;
  }
  return s;
}

std::string checkLessonSampler(const SampledScene& s) {
  // Lessons 1-2 and 6 run no sampler, so theirs is kept for the next lesson whatever it is.
  if (s.lesson != Lesson::Langevin && s.lesson != Lesson::ReverseVsOde && s.lesson != Lesson::Guidance) return {};
  if (samplerFitsLesson(s.sampler.kind, s.lesson)) return {};
  std::string fitting;
  for (const SamplerKind kind : kAllSamplerKinds) {
    if (samplerFitsLesson(kind, s.lesson)) fitting += (fitting.empty() ? "" : ", ") + std::string(samplerName(kind));
  }
  return "sampler.kind: expected a sampler of lesson " + std::to_string(static_cast<int>(s.lesson)) + " (" + fitting +
         "), got " + std::string(samplerName(s.sampler.kind));
}

std::string validateSampledScene(const SampledScene& s) {
  const int lesson = static_cast<int>(s.lesson);
  if (lesson < 1 || lesson > kLessonCount) return expected("lesson", "an integer in [1, " + std::to_string(kLessonCount) + "]", lesson);
  const TargetSpec& t = s.target;
  switch (t.source) {
    case TargetSource::Preset:
      if (!makePreset(t.preset)) return "target.preset: unknown '" + t.preset + "'; expected one of " + presetNames();
      break;
    case TargetSource::Mixture:
      if (auto invalid = validateMixture(t.components)) return "target." + *invalid;
      break;
    case TargetSource::PointCloud:
      if (t.labels.size() != t.points.size()) {
        return expected("target.labels", "one label per point (" + std::to_string(t.points.size()) + ")",
                        static_cast<double>(t.labels.size()));
      }
      for (std::size_t i = 0; i < t.points.size(); ++i) {
        const Eigen::Vector2d& p = t.points[i];
        if (!(std::abs(p.x()) <= kMaxMixtureMean && std::abs(p.y()) <= kMaxMixtureMean)) {
          return "target.points[" + std::to_string(i) + "]: expected finite coordinates within [-1e6, 1e6]";
        }
        if (t.labels[i] < 0 || t.labels[i] > kMaxLabel) {
          return expected("target.labels[" + std::to_string(i) + "]", "an integer in [0, " + std::to_string(kMaxLabel) + "]", t.labels[i]);
        }
      }
      break;
  }
  if (s.seed > kMaxSeed) return "seed: expected an integer in [0, 2^62], got " + std::to_string(s.seed);
  if (s.particles < 1 || s.particles > kMaxParticles) {
    return expected("particles", "an integer in [1, 10000000]", s.particles);
  }
  if (s.recordedPaths < 0 || s.recordedPaths > kMaxRecordedPaths) {
    return expected("recorded-paths", "an integer in [0, 1000]", s.recordedPaths);
  }
  if (std::string invalid = validateTrainingSettings(s.training); !invalid.empty()) return invalid;
  if (std::string invalid = validateSamplerSettings(s.sampler); !invalid.empty()) return "sampler." + invalid;
  const bool comparesRuns = s.lesson == Lesson::ReverseVsOde || (s.lesson == Lesson::Langevin && s.compareSamplers);
  if (comparesRuns) {
    if (std::string invalid = validateSamplerSettings(s.comparison); !invalid.empty()) return "comparison." + invalid;
  }
  if (s.lesson == Lesson::Langevin && s.compareSamplers && !samplerFitsLesson(s.comparison.kind, s.lesson)) {
    return "comparison.kind: expected langevin or annealed-langevin beside a Langevin sampler, got " +
           std::string(samplerName(s.comparison.kind));
  }
  if (s.etaSweep.size() > static_cast<std::size_t>(kMaxSweepScales)) {
    return expected("eta-sweep", "at most 9 values", static_cast<double>(s.etaSweep.size()));
  }
  for (double eta : s.etaSweep) {
    if (!(eta >= 0.0 && eta <= 1.0)) return expected("eta-sweep", "eta in [0, 1]", eta);
  }
  if (!s.etaSweep.empty() && s.ddimRoundTrip) {
    return "eta-sweep: cannot be combined with ddim-round-trip (each replaces the sampler comparison)";
  }
  const GuidanceSpec& g = s.guidance;
  if (g.label < 0 || g.label > kMaxLabel) {
    return expected("class", "an integer in [0, " + std::to_string(kMaxLabel) + "]", g.label);
  }
  if (g.sweep.size() > static_cast<std::size_t>(kMaxSweepScales)) {
    return expected("guidance.sweep", "at most 9 scales", static_cast<double>(g.sweep.size()));
  }
  for (double gamma : g.sweep) {
    if (!(gamma >= 0.0 && gamma <= kMaxGuidanceScale)) return expected("guidance.sweep", "gamma in [0, 100]", gamma);
  }
  for (double scale : {g.scale}) {
    switch (g.kind) {
      case GuidanceKind::None:
      case GuidanceKind::Conditional: break;
      case GuidanceKind::Classifier:
        if (!(scale >= 0.0 && scale <= kMaxGuidanceScale)) return expected("scale", "gamma in [0, 100]", scale);
        break;
      case GuidanceKind::ClassifierFree:
        if (!(scale >= kMinCfgW && scale <= kMaxGuidanceScale)) return expected("scale", "w in [-1, 100]", scale);
        break;
    }
  }
  return {};
}

std::string validateDisplayScene(const DisplayScene& d) {
  if (d.arrowGrid < 2 || d.arrowGrid > 256) return expected("arrow-grid", "an integer in [2, 256]", d.arrowGrid);
  if (!(d.pointSize >= 0.5f && d.pointSize <= 32.0f)) return expected("point-size", "a number in [0.5, 32]", d.pointSize);
  if (!(d.pointAlpha > 0.0f && d.pointAlpha <= 1.0f)) return expected("point-alpha", "a number in (0, 1]", d.pointAlpha);
  if (!(d.arrowGain > 0.0f && d.arrowGain <= 100.0f)) return expected("arrow-gain", "a number in (0, 100]", d.arrowGain);
  if (d.contourLevels < 1 || d.contourLevels > 64) return expected("contour-levels", "an integer in [1, 64]", d.contourLevels);
  if (d.trailLength < 1 || d.trailLength > 1000) return expected("trail-length", "an integer in [1, 1000]", d.trailLength);
  if (!(d.camera.halfExtent >= kMinHalfExtent && d.camera.halfExtent <= kMaxHalfExtent)) {
    return expected("camera.halfExtent", "a number in [0.05, 500]", d.camera.halfExtent);
  }
  if (!(std::abs(d.camera.centreX) <= 1e6 && std::abs(d.camera.centreY) <= 1e6)) {
    return "camera.centre: expected coordinates within [-1e6, 1e6], got [" + number(d.camera.centreX) + ", " +
           number(d.camera.centreY) + "]";
  }
  if (!(d.playback.position >= 0.0 && d.playback.position <= 1.0)) {
    return expected("playback.position", "a number in [0, 1]", d.playback.position);
  }
  if (!(d.playback.speed >= 0.05 && d.playback.speed <= 20.0)) {
    return expected("playback.speed", "a number in [0.05, 20]", d.playback.speed);
  }
  return {};
}

std::vector<std::string> changedSceneFields(const Scene& a, const Scene& b) {
  std::vector<std::string> changed;
  visitSceneFields(a, b, [&](const std::string& path, const auto& x, const auto& y) {
    if (!(x == y)) changed.push_back(path);
  });
  return changed;
}

}  // namespace scorescope
