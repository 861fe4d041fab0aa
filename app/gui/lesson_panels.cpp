// The "Lesson" section of the sidebar: the parameters of the lesson on show, each bound to a
// field of the scene's sampled part (the sampler, the comparison sampler, the guidance).
#include <imgui.h>

#include <algorithm>
#include <array>

#include "gui/panels.hpp"
#include "scorescope/guidance.hpp"

namespace scorescope::gui {
namespace {

constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;
constexpr ImGuiSliderFlags kLogClamp = ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp;
const std::vector<std::string> kSampler = {"sampled.sampler"};
// The sweep of the guidance lesson (w for classifier-free guidance, gamma for classifier).
const std::vector<double> kSweepScales = {0.0, 1.0, 3.0, 7.0};

// Switches the sampler kind keeping the step count the panel shows.
void setKind(SamplerSettings& s, SamplerKind kind) {
  const int steps = s.steps;
  const bool denoise = s.denoiseFinal;
  s = defaultSamplerSettings(kind);
  s.steps = steps;
  s.denoiseFinal = denoise;
}

bool stepsSlider(int& steps, WidgetLog& log, std::vector<std::string> fields) {
  const bool changed = ImGui::SliderInt("steps", &steps, 5, 1000, "%d", kLogClamp);
  log.add("steps", std::move(fields));
  return changed;
}

void langevin(SamplerSettings& s, WidgetLog& log) {
  int mode = s.kind == SamplerKind::AnnealedLangevin ? 1 : 0;
  const int was = mode;
  ImGui::RadioButton("plain", &mode, 0);
  log.add("plain", kSampler);
  ImGui::SameLine();
  ImGui::RadioButton("annealed (NCSN)", &mode, 1);
  log.add("annealed", kSampler);
  if (mode != was) {
    s = defaultSamplerSettings(mode == 1 ? SamplerKind::AnnealedLangevin : SamplerKind::Langevin);
    s.denoiseFinal = false;  // show where the Langevin chain itself ends
  }
  if (s.kind == SamplerKind::Langevin) {
    sliderDouble("step eta", s.langevinStepSize, 1e-4, 0.5, "%.4f", true);
    log.add("step eta", {"sampled.sampler.langevinStepSize"});
    sliderDouble("noise s/a", s.langevinNoiseLevel, 0.01, 2.0, "%.3f", true);
    log.add("noise s/a", {"sampled.sampler.langevinNoiseLevel"});
    ImGui::SliderInt("steps", &s.steps, 10, 5000, "%d", kLogClamp);
    log.add("steps", {"sampled.sampler.steps"});
    return;
  }
  int levels = std::max(1, s.steps / s.stepsPerLevel);
  if (ImGui::SliderInt("noise levels", &levels, 2, 30, "%d", kClamp)) s.steps = levels * s.stepsPerLevel;
  log.add("noise levels", {"sampled.sampler.steps"});
  if (ImGui::SliderInt("steps/level", &s.stepsPerLevel, 5, 300, "%d", kLogClamp)) s.steps = levels * s.stepsPerLevel;
  log.add("steps/level", {"sampled.sampler.stepsPerLevel", "sampled.sampler.steps"});
  sliderDouble("epsilon", s.annealedEpsilon, 1e-6, 1e-2, "%.2e", true);
  log.add("epsilon", {"sampled.sampler.annealedEpsilon"});
  ImGui::TextDisabled("eta_l = epsilon s_l^2 / s_L^2");
}

void reverseVsOde(SampledScene& s, WidgetLog& log) {
  constexpr std::array stochastic = {SamplerKind::ReverseSde, SamplerKind::Ddpm, SamplerKind::Ddim,
                                     SamplerKind::PredictorCorrector};
  SamplerKind kind = s.sampler.kind;
  if (enumCombo("stochastic", kind, stochastic, {"reverse SDE", "DDPM ancestral", "DDIM(eta)", "predictor-corrector"})) {
    setKind(s.sampler, kind);
    if (kind == SamplerKind::Ddim) s.sampler.ddimEta = 1.0;  // the stochastic end of DDIM
  }
  log.add("stochastic", kSampler);
  if (s.sampler.kind == SamplerKind::Ddim) {
    sliderDouble("eta", s.sampler.ddimEta, 0.0, 1.0, "%.2f");
    log.add("eta", {"sampled.sampler.ddimEta"});
  }
  // DDIM with eta = 0 is the deterministic DDIM.
  constexpr std::array deterministic = {SamplerKind::OdeEuler, SamplerKind::OdeHeun, SamplerKind::OdeRk4,
                                        SamplerKind::Ddim};
  kind = s.comparison.kind;
  if (enumCombo("deterministic", kind, deterministic, {"PF-ODE Euler", "PF-ODE Heun", "PF-ODE RK4", "DDIM eta = 0"})) {
    setKind(s.comparison, kind);
  }
  log.add("deterministic", {"sampled.comparison"});
  int steps = s.sampler.steps;
  // One slider moves both runs' steps; a scene (file) may give them apart, which drawing keeps.
  if (stepsSlider(steps, log, {"sampled.sampler.steps", "sampled.comparison.steps"})) {
    s.sampler.steps = s.comparison.steps = steps;
  }
}

void guidance(SampledScene& s, int labelCount, bool cfgShowsGamma, WidgetLog& log) {
  GuidanceSpec& g = s.guidance;
  ImGui::SliderInt("class y", &g.label, 0, std::max(0, labelCount - 1), "%d", kClamp);
  log.add("class y", {"sampled.guidance.label"});
  GuidanceKind kind = g.kind;
  constexpr std::array guidanceKinds = {GuidanceKind::Classifier, GuidanceKind::ClassifierFree};
  if (enumCombo("guidance", kind, guidanceKinds, {"classifier", "classifier-free"})) g.kind = kind;
  log.add("guidance", {"sampled.guidance.kind"});
  if (g.kind == GuidanceKind::Classifier) {
    sliderDouble("gamma", g.scale, 0.0, 20.0, "%.2f");
    log.add("scale", {"sampled.guidance.scale"});
  } else {
    // The scene stores w; the lecture notes' gamma = 1 + w is the same value in another notation.
    double shown = cfgShowsGamma ? lectureGammaFromW(g.scale) : g.scale;
    if (sliderDouble(cfgShowsGamma ? "gamma" : "w", shown, cfgShowsGamma ? 0.0 : -1.0, cfgShowsGamma ? 21.0 : 20.0,
                     "%.2f")) {
      g.scale = cfgShowsGamma ? shown - 1.0 : shown;
    }
    log.add("scale", {"sampled.guidance.scale"});
    ImGui::Text("w = %.2f  <=>  gamma = 1 + w = %.2f", g.scale, lectureGammaFromW(g.scale));
  }
  bool sweep = !g.sweep.empty();
  if (ImGui::Checkbox("sweep: scales 0, 1, 3, 7", &sweep)) g.sweep = sweep ? kSweepScales : std::vector<double>{};
  log.add("sweep", {"sampled.guidance.sweep"});
  std::vector<SamplerKind> samplers;
  std::vector<const char*> names;
  for (SamplerKind k : kAllSamplerKinds) {
    if (!samplerFitsLesson(k, Lesson::Guidance)) continue;
    samplers.push_back(k);
    names.push_back(samplerName(k).data());  // literals: null-terminated
  }
  int index = 0;
  for (std::size_t i = 0; i < samplers.size(); ++i) {
    if (samplers[i] == s.sampler.kind) index = static_cast<int>(i);
  }
  if (comboIndex("sampler", index, names.data(), static_cast<int>(names.size()))) {
    setKind(s.sampler, samplers[static_cast<std::size_t>(index)]);
  }
  log.add("sampler", kSampler);
  stepsSlider(s.sampler.steps, log, {"sampled.sampler.steps"});
}

}  // namespace

void lessonSection(Scene& scene, int labelCount, WidgetLog& log) {
  SampledScene& s = scene.sampled;
  switch (s.lesson) {
    case Lesson::ForwardNoising:
    case Lesson::ScoreField:
    case Lesson::LearnScore: ImGui::TextDisabled("Scrub t in the timeline below."); return;
    case Lesson::Langevin: langevin(s.sampler, log); return;
    case Lesson::ReverseVsOde: reverseVsOde(s, log); return;
    case Lesson::Guidance: {
      guidance(s, labelCount, scene.display.cfgShowsGamma, log);
      if (s.guidance.kind == GuidanceKind::ClassifierFree) {
        ImGui::Checkbox("slider is gamma (lecture notes)", &scene.display.cfgShowsGamma);
        log.add("slider is gamma", {"display.cfgShowsGamma"});
      }
      return;
    }
  }
}

}  // namespace scorescope::gui
