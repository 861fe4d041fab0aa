// The "Lesson" section of the sidebar: the parameters of the lesson on show, each bound to a
// field of the scene's sampled part (the sampler, the comparison sampler, the guidance).
#include <imgui.h>

#include <algorithm>
#include <array>
#include <string>

#include "gui/panels.hpp"
#include "scorescope/guidance.hpp"
#include "scorescope/mode_weights.hpp"
#include "scorescope/scene_plan.hpp"

namespace scorescope::gui {
namespace {

constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;
constexpr ImGuiSliderFlags kLogClamp = ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp;
const std::vector<std::string> kSampler = {"sampled.sampler"};
// The sweep of the guidance lesson, in gamma for both kinds (classifier-free runs w = gamma - 1):
// unconditional, the class itself, and two sharper tilts.
const std::vector<double> kSweepScales = {0.0, 1.0, 3.0, 7.0};
// Lesson 4's eta sweep: deterministic DDIM, halfway, and DDPM-like stochastic DDIM.
const std::vector<double> kEtaSweep = {0.0, 0.5, 1.0};

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
  // While plain and annealed are compared, switching one switches the other (langevinComparison).
  ImGui::RadioButton("plain", &mode, 0);
  log.add("plain", {"sampled.sampler", "sampled.comparison"});
  ImGui::SameLine();
  ImGui::RadioButton("annealed (NCSN)", &mode, 1);
  log.add("annealed", {"sampled.sampler", "sampled.comparison"});
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
  ImGui::TextDisabled("η_l = ε σ_l² / σ_L²");
}

// The other Langevin sampler, to run beside `sampler` (lesson 3's comparison).
SamplerSettings otherLangevin(const SamplerSettings& sampler) {
  SamplerSettings s = defaultSamplerSettings(sampler.kind == SamplerKind::Langevin ? SamplerKind::AnnealedLangevin
                                                                                  : SamplerKind::Langevin);
  s.denoiseFinal = false;  // show where the Langevin chain itself ends
  return s;
}

// Lessons 1-2: the same data noised by the other family of process in a second pane.
void processComparison(SampledScene& s, WidgetLog& log) {
  const std::string label = std::string("compare with ") + (comparedProcessKind(s.process) == ProcessKind::Ve ? "VE" : "VP") +
                            "##compare-processes";
  ImGui::Checkbox(label.c_str(), &s.compareProcesses);
  log.add("compare processes", {"sampled.compareProcesses"});
}

// Lesson 3: plain beside annealed Langevin from the same noise, and a mixture's weights.
void langevinComparison(SampledScene& s, const Target* target, WidgetLog& log) {
  if (ImGui::Checkbox("compare plain / annealed", &s.compareSamplers) && s.compareSamplers) s.comparison = otherLangevin(s.sampler);
  log.add("compare samplers", {"sampled.compareSamplers", "sampled.comparison"});
  // A sampler switched while comparing: the comparison stays the other one.
  if (s.compareSamplers && (s.comparison.kind == s.sampler.kind || !samplerFitsLesson(s.comparison.kind, s.lesson))) {
    s.comparison = otherLangevin(s.sampler);
  }
  const auto* mixture = dynamic_cast<const GaussianMixture*>(target);
  if (!mixture || mixture->components().size() < 2) return;
  ImGui::Separator();
  ImGui::TextUnformatted("mode weights");
  const std::vector<double> weights = modeWeights(*mixture);
  for (std::size_t k = 0; k < weights.size() && k < 16; ++k) {
    double w = weights[k];
    const std::string name = "weight " + std::to_string(k);
    if (sliderDouble(name.c_str(), w, 0.01, 0.99, "%.2f")) {
      // Editing a preset's weights makes it an explicit mixture (as dragging a mode does).
      s.target.components = withModeWeight(mixture->components(), k, std::clamp(w, 0.01, 0.99));
      s.target.source = TargetSource::Mixture;
    }
    log.add(name, {"sampled.target"});
  }
}

// Lesson 4: DDIM over several eta side by side, or the DDIM round trip, instead of the pair.
void ddimViews(SampledScene& s, WidgetLog& log) {
  bool sweep = !s.etaSweep.empty();
  if (ImGui::Checkbox("eta sweep (DDIM)", &sweep)) {
    s.etaSweep = sweep ? kEtaSweep : std::vector<double>{};
    if (sweep) s.ddimRoundTrip = false;
  }
  log.add("eta sweep", {"sampled.etaSweep", "sampled.ddimRoundTrip"});
  for (std::size_t i = 0; i < s.etaSweep.size(); ++i) {
    const std::string name = "eta " + std::to_string(i + 1);
    sliderDouble(name.c_str(), s.etaSweep[i], 0.0, 1.0, "%.2f");
    log.add(name, {"sampled.etaSweep"});
  }
  if (sweep) {
    if (s.etaSweep.size() < static_cast<std::size_t>(kMaxSweepScales) && ImGui::Button("add eta")) s.etaSweep.push_back(1.0);
    log.add("add eta", {"sampled.etaSweep"});
    if (s.etaSweep.size() > 1) {
      ImGui::SameLine();
      if (ImGui::Button("remove eta")) s.etaSweep.pop_back();
      log.add("remove eta", {"sampled.etaSweep"});
    }
  }
  if (ImGui::Checkbox("DDIM round trip (encode, decode)", &s.ddimRoundTrip) && s.ddimRoundTrip) s.etaSweep.clear();
  log.add("round trip", {"sampled.ddimRoundTrip", "sampled.etaSweep"});
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

// One input per gamma of the sweep, with a button to remove it and one to add a value (up to
// kMaxSweepScales). Typed values are clamped to [0, 100], the range the scene accepts.
void sweepValues(std::vector<double>& sweep, WidgetLog& log) {
  const std::vector<std::string> field = {"sampled.guidance.sweep"};
  ImGui::TextDisabled("γ values (CFG: w = γ − 1)");
  std::size_t remove = sweep.size();
  for (std::size_t i = 0; i < sweep.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    const std::string name = "sweep gamma " + std::to_string(i + 1);
    const std::string label = "gamma " + std::to_string(i + 1);
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.4f);
    if (ImGui::InputDouble(label.c_str(), &sweep[i], 0.0, 0.0, "%.2f")) sweep[i] = std::clamp(sweep[i], 0.0, kMaxGuidanceScale);
    log.add(name, field);
    if (sweep.size() > 1) {
      ImGui::SameLine();
      if (ImGui::SmallButton("remove")) remove = i;
      log.add("remove " + name, field);
    }
    ImGui::PopID();
  }
  if (remove < sweep.size()) sweep.erase(sweep.begin() + static_cast<std::ptrdiff_t>(remove));
  if (sweep.size() < static_cast<std::size_t>(kMaxSweepScales) && ImGui::SmallButton("add gamma")) {
    sweep.push_back(std::min(kMaxGuidanceScale, sweep.back() + 2.0));
  }
  log.add("add gamma", field);
}

void guidance(SampledScene& s, int labelCount, bool cfgShowsGamma, WidgetLog& log) {
  GuidanceSpec& g = s.guidance;
  ImGui::SliderInt("class y", &g.label, 0, std::max(0, labelCount - 1), "%d", kClamp);
  log.add("class y", {"sampled.guidance.label"});
  GuidanceKind kind = g.kind;
  // Every kind a scene may hold is offered (a scene file may ask for none or the conditional
  // score), so the combo never shows a kind the run does not use.
  constexpr std::array guidanceKinds = {GuidanceKind::Classifier, GuidanceKind::ClassifierFree, GuidanceKind::Conditional,
                                        GuidanceKind::None};
  if (enumCombo("guidance", kind, guidanceKinds, {"classifier", "classifier-free", "conditional score", "none (unguided)"})) {
    g.kind = kind;
    if (kind == GuidanceKind::None || kind == GuidanceKind::Conditional) g.sweep.clear();  // a sweep needs a scale
  }
  log.add("guidance", {"sampled.guidance.kind", "sampled.guidance.sweep"});
  if (g.kind == GuidanceKind::None || g.kind == GuidanceKind::Conditional) {
    ImGui::TextDisabled(g.kind == GuidanceKind::None ? "the unconditional score, no guidance" : "∇ log pₜ(x | y): the class's own score");
  } else if (g.kind == GuidanceKind::Classifier) {
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
    ImGui::Text("w = %.2f  ⇔  γ = 1 + w = %.2f", g.scale, lectureGammaFromW(g.scale));
  }
  if (g.kind == GuidanceKind::Classifier || g.kind == GuidanceKind::ClassifierFree) {
    bool sweep = !g.sweep.empty();
    if (ImGui::Checkbox("sweep over gamma", &sweep)) g.sweep = sweep ? kSweepScales : std::vector<double>{};
    log.add("sweep", {"sampled.guidance.sweep"});
    if (!g.sweep.empty()) sweepValues(g.sweep, log);
  }
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

void lessonSection(Scene& scene, int labelCount, const Target* target, WidgetLog& log) {
  SampledScene& s = scene.sampled;
  switch (s.lesson) {
    case Lesson::ForwardNoising:
    case Lesson::ScoreField:
      processComparison(s, log);
      ImGui::TextDisabled("Scrub t in the timeline below.");
      return;
    case Lesson::LearnScore: ImGui::TextDisabled("Scrub t in the timeline below."); return;
    case Lesson::Langevin:
      langevin(s.sampler, log);
      langevinComparison(s, target, log);
      return;
    case Lesson::ReverseVsOde:
      // The sweep and the round trip run DDIM only: the pair's menus would change nothing.
      if (s.etaSweep.empty() && !s.ddimRoundTrip) {
        reverseVsOde(s, log);
      } else {
        int steps = s.sampler.steps;
        if (stepsSlider(steps, log, {"sampled.sampler.steps", "sampled.comparison.steps"})) {
          s.sampler.steps = s.comparison.steps = steps;
        }
      }
      ddimViews(s, log);
      ImGui::Checkbox("likelihood map (PF-ODE log p₀)", &scene.display.likelihoodMap);
      log.add("likelihood map", {"display.likelihoodMap"});
      return;
    case Lesson::Guidance: {
      guidance(s, labelCount, scene.display.cfgShowsGamma, log);
      ImGui::TextDisabled("exact scores: classifier at γ");
      ImGui::TextDisabled("= CFG at w = γ − 1");
      if (s.guidance.kind == GuidanceKind::Classifier) {
        ImGui::Checkbox("tilted law q₀ and ∇ log Zₜ", &scene.display.tiltedLaw);
        log.add("tilted law", {"display.tiltedLaw"});
      }
      if (s.guidance.kind == GuidanceKind::ClassifierFree) {
        ImGui::Checkbox("slider is gamma (lecture notes)", &scene.display.cfgShowsGamma);
        log.add("slider is gamma", {"display.cfgShowsGamma"});
      }
      return;
    }
  }
}

}  // namespace scorescope::gui
