#include "gui/scene_settings.hpp"

#include <stdexcept>

#include "scorescope/presets.hpp"

namespace scorescope::gui {

const char* lessonTitle(Lesson lesson) {
  switch (lesson) {
    case Lesson::ForwardNoising: return "1  Forward noising";
    case Lesson::ScoreField: return "2  Score field at t";
    case Lesson::Langevin: return "3  Langevin dynamics";
    case Lesson::ReverseVsOde: return "4  Reverse SDE vs PF-ODE";
    case Lesson::Guidance: return "5  Guidance";
  }
  throw std::logic_error("lessonTitle(): unknown lesson");
}

bool needsResampling(const SceneSettings& a, const SceneSettings& b) {
  // Everything that enters a sampler run or the data particles; display options do not.
  return a.lesson != b.lesson || a.target != b.target || a.process != b.process ||
         a.particles != b.particles || a.seed != b.seed || a.pathCount != b.pathCount ||
         a.annealed != b.annealed || a.langevinStep != b.langevinStep ||
         a.langevinNoiseLevel != b.langevinNoiseLevel || a.langevinSteps != b.langevinSteps ||
         a.annealedLevels != b.annealedLevels || a.stepsPerLevel != b.stepsPerLevel ||
         a.annealedEpsilon != b.annealedEpsilon || a.stochastic != b.stochastic ||
         a.deterministic != b.deterministic || a.ddimEta != b.ddimEta || a.steps != b.steps ||
         a.guidanceClass != b.guidanceClass || a.guidance != b.guidance ||
         a.classifierGamma != b.classifierGamma || a.cfgScale != b.cfgScale ||
         a.cfgLectureConvention != b.cfgLectureConvention || a.sweep != b.sweep ||
         a.guidanceSampler != b.guidanceSampler;
}

std::string targetNameError(const std::string& name) {
  if (name == "draw" || makePreset(name)) return {};
  return "unknown '" + name + "'; expected one of " + presetNames() + ", draw";
}

}  // namespace scorescope::gui
