#include "gui/panels.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "gui/scene.hpp"
#include "scorescope/guidance.hpp"
#include "scorescope/presets.hpp"

namespace scorescope::gui {
namespace {

// Core's presets plus "draw" (the user's own points). Core's names are string literals, so
// their data() is null-terminated, as ImGui::Combo needs.
const std::array<const char*, kPresetNames.size() + 1> kTargets = [] {
  std::array<const char*, kPresetNames.size() + 1> names{};
  for (std::size_t i = 0; i < kPresetNames.size(); ++i) names[i] = kPresetNames[i].data();
  names.back() = "draw";
  return names;
}();

const std::array<const char*, kAllSamplerKinds.size()> kSamplerNames = [] {
  std::array<const char*, kAllSamplerKinds.size()> names{};
  for (std::size_t i = 0; i < kAllSamplerKinds.size(); ++i) names[i] = samplerName(kAllSamplerKinds[i]).data();
  return names;
}();
constexpr std::array kProcesses = {ProcessKind::Ddpm, ProcessKind::DdpmCosine, ProcessKind::Vp,
                                   ProcessKind::SubVp, ProcessKind::Ve, ProcessKind::Ou};

const char* lessonBlurb(Lesson lesson) {
  switch (lesson) {
    case Lesson::ForwardNoising:
      return "Every data point x0 is pushed towards noise: x_t = a(t) x0 + s(t) eps. Each particle keeps "
             "its own eps, so scrubbing t is smooth. Right: the exact density p_t of x_t.";
    case Lesson::ScoreField:
      return "Arrows show the exact score grad log p_t, pointing uphill on p_t. Slide t: the modes "
             "blur and merge, the field becomes a gentle pull towards the centre.";
    case Lesson::Langevin:
      return "x <- x + (eta/2) score(x) + sqrt(eta) z. Plain Langevin uses one noise level and gets "
             "stuck between modes; annealed Langevin (NCSN) walks the levels down.";
    case Lesson::ReverseVsOde:
      return "Both start from the same noise. The reverse SDE adds fresh noise each step; the "
             "probability-flow ODE is deterministic with the same marginals.";
    case Lesson::Guidance:
      return "Steer samples towards a class. Classifier guidance adds gamma grad log p_t(y|x); CFG mixes "
             "conditional and unconditional scores: (1+w) eps_c - w eps_u = gamma eps_c + (1-gamma) eps_u.";
  }
  throw std::logic_error("lessonBlurb(): unknown lesson " + std::to_string(static_cast<int>(lesson)));
}

const char* processLabel(ProcessKind k) {
  switch (k) {
    case ProcessKind::Ddpm: return "DDPM (linear betas)";
    case ProcessKind::DdpmCosine: return "DDPM (cosine)";
    case ProcessKind::Vp: return "VP SDE";
    case ProcessKind::SubVp: return "sub-VP SDE";
    case ProcessKind::Ve: return "VE SDE (NCSN)";
    case ProcessKind::Ou: return "OU (T = 5)";
  }
  throw std::logic_error("processLabel(): unknown process kind " + std::to_string(static_cast<int>(k)));
}

template <typename Enum, std::size_t N>
bool enumCombo(const char* label, Enum& value, const std::array<const char*, N>& names) {
  int i = static_cast<int>(value);
  const bool changed = ImGui::Combo(label, &i, names.data(), static_cast<int>(N));
  if (changed) value = static_cast<Enum>(i);
  return changed;
}

bool sliderDouble(const char* label, double& v, double lo, double hi, const char* format, bool log = false) {
  float f = static_cast<float>(v);
  const bool changed = ImGui::SliderFloat(label, &f, static_cast<float>(lo), static_cast<float>(hi), format,
                                          log ? ImGuiSliderFlags_Logarithmic : 0);
  if (changed) v = f;
  return changed;
}

}  // namespace

QRectF Panels::widgetRect(const std::string& name) const {
  auto it = rects_.find(name);
  return it == rects_.end() ? QRectF() : it->second;
}

void Panels::remember(const std::string& name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  rects_[name] = QRectF(a.x, a.y, b.x - a.x, b.y - a.y);
}

void Panels::draw(Scene& scene, int widthPx, int heightPx, double frameMs) {
  rects_.clear();
  sidebar(scene, heightPx);
  timelineBar(scene, widthPx, heightPx, frameMs);
}

void Panels::sidebar(Scene& scene, int heightPx) {
  SceneSettings s = scene.settings();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(kSidebarWidth, static_cast<float>(heightPx)));
  ImGui::Begin("Scorescope", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoBackground);
  ImGui::TextColored(ImVec4(0.55f, 0.8f, 1.0f, 1.0f), "SCORESCOPE");
  ImGui::SameLine();
  ImGui::TextDisabled("diffusion models, hands on");
  ImGui::Separator();
  ImGui::PushItemWidth(-110.0f);

  for (int l = 1; l <= kLessonCount; ++l) {
    const auto lesson = static_cast<Lesson>(l);
    if (ImGui::Selectable(lessonTitle(lesson), s.lesson == lesson)) s.lesson = lesson;
    remember("lesson " + std::to_string(l));
  }
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.72f, 0.76f, 0.82f, 1.0f));
  ImGui::TextWrapped("%s", lessonBlurb(s.lesson));
  ImGui::PopStyleColor();
  ImGui::Spacing();

  if (ImGui::CollapsingHeader("Scene", ImGuiTreeNodeFlags_DefaultOpen)) {
    int t = 0;
    for (std::size_t i = 0; i < kTargets.size(); ++i) {
      if (s.target == kTargets[i]) t = static_cast<int>(i);
    }
    if (ImGui::Combo("target", &t, kTargets.data(), static_cast<int>(kTargets.size()))) s.target = kTargets[static_cast<std::size_t>(t)];
    remember("target");
    int p = 0;
    for (std::size_t i = 0; i < kProcesses.size(); ++i) {
      if (s.process == kProcesses[i]) p = static_cast<int>(i);
    }
    std::array<const char*, kProcesses.size()> processNames{};
    for (std::size_t i = 0; i < kProcesses.size(); ++i) processNames[i] = processLabel(kProcesses[i]);
    if (ImGui::Combo("process", &p, processNames.data(), static_cast<int>(processNames.size()))) {
      s.process = kProcesses[static_cast<std::size_t>(p)];
    }
    remember("process");
    int n = pendingParticles_ >= 0 ? pendingParticles_ : s.particles;
    ImGui::SliderInt("particles", &n, 100, 1000000, "%d", ImGuiSliderFlags_Logarithmic);
    remember("particles");
    pendingParticles_ = n;
    if (!ImGui::IsItemActive()) {
      s.particles = n;
      pendingParticles_ = -1;
    }
    ImGui::InputInt("seed", &s.seed);
    remember("seed");
    s.seed = std::max(0, s.seed);
    if (scene.drawing()) {
      ImGui::TextWrapped("Click on the canvas to add points (%zu so far).", scene.drawnPointCount());
      if (ImGui::Button("clear points")) scene.clearDrawnPoints();
    } else if (scene.hasHandles()) {
      ImGui::TextDisabled("Drag a ring handle to move a mode.");
    }
  }

  if (ImGui::CollapsingHeader("Lesson", ImGuiTreeNodeFlags_DefaultOpen)) {
    switch (s.lesson) {
      case Lesson::ForwardNoising:
      case Lesson::ScoreField:
        ImGui::TextDisabled("Scrub t in the timeline below.");
        break;
      case Lesson::Langevin: {
        int mode = s.annealed ? 1 : 0;
        ImGui::RadioButton("plain", &mode, 0);
        ImGui::SameLine();
        ImGui::RadioButton("annealed (NCSN)", &mode, 1);
        s.annealed = mode == 1;
        if (!s.annealed) {
          sliderDouble("step eta", s.langevinStep, 1e-4, 0.5, "%.4f", true);
          remember("step eta");
          sliderDouble("noise s/a", s.langevinNoiseLevel, 0.01, 2.0, "%.3f", true);
          ImGui::SliderInt("steps", &s.langevinSteps, 10, 2000, "%d", ImGuiSliderFlags_Logarithmic);
        } else {
          ImGui::SliderInt("levels", &s.annealedLevels, 2, 30);
          ImGui::SliderInt("steps/level", &s.stepsPerLevel, 5, 300, "%d", ImGuiSliderFlags_Logarithmic);
          sliderDouble("epsilon", s.annealedEpsilon, 1e-6, 1e-2, "%.2e", true);
          ImGui::TextDisabled("eta_l = epsilon s_l^2 / s_L^2");
        }
        break;
      }
      case Lesson::ReverseVsOde: {
        enumCombo("stochastic", s.stochastic, std::array{"reverse SDE", "DDPM ancestral", "DDIM(eta)"});
        if (s.stochastic == StochasticSampler::Ddim) {
          sliderDouble("eta", s.ddimEta, 0.0, 1.0, "%.2f");
          remember("eta");
        }
        enumCombo("deterministic", s.deterministic, std::array{"PF-ODE Euler", "PF-ODE Heun", "PF-ODE RK4", "DDIM eta = 0"});
        ImGui::SliderInt("steps", &s.steps, 5, 500, "%d", ImGuiSliderFlags_Logarithmic);
        break;
      }
      case Lesson::Guidance: {
        const int classes = scene.labelCount();
        ImGui::SliderInt("class y", &s.guidanceClass, 0, std::max(0, classes - 1));
        remember("class y");
        enumCombo("guidance", s.guidance, std::array{"classifier", "classifier-free"});
        if (s.guidance == GuidanceKind::Classifier) {
          sliderDouble("gamma", s.classifierGamma, 0.0, 20.0, "%.2f");
          remember("gamma");
        } else {
          ImGui::Checkbox("slider is gamma (lecture notes)", &s.cfgLectureConvention);
          sliderDouble(s.cfgLectureConvention ? "gamma" : "w", s.cfgScale, 0.0, 20.0, "%.2f");
          remember("cfg scale");
          const double w = s.cfgLectureConvention ? s.cfgScale - 1.0 : s.cfgScale;
          ImGui::Text("w = %.2f  <=>  gamma = 1 + w = %.2f", w, lectureGammaFromW(w));
        }
        ImGui::Checkbox("sweep: scales 0, 1, 3, 7", &s.sweep);
        enumCombo("sampler", s.guidanceSampler, kSamplerNames);
        ImGui::SliderInt("steps", &s.steps, 5, 500, "%d", ImGuiSliderFlags_Logarithmic);
        break;
      }
    }
  }

  if (ImGui::CollapsingHeader("Layers", ImGuiTreeNodeFlags_DefaultOpen)) {
    Layers& l = s.layers;
    ImGui::Checkbox("particles", &l.particles);
    ImGui::SameLine(160);
    ImGui::Checkbox("density", &l.density);
    ImGui::Checkbox("score arrows", &l.arrows);
    remember("score arrows");
    ImGui::SameLine(160);
    ImGui::Checkbox("contours", &l.contours);
    ImGui::Checkbox("trails", &l.trails);
    ImGui::SameLine(160);
    ImGui::Checkbox("full paths", &l.paths);
    ImGui::Checkbox("grid", &l.grid);
    ImGui::SliderFloat("point size", &s.pointSize, 1.0f, 8.0f, "%.1f px");
    ImGui::SliderFloat("point alpha", &s.pointAlpha, 0.05f, 1.0f, "%.2f");
    ImGui::SliderInt("arrow grid", &s.arrowGrid, 8, 64);
    remember("arrow grid");
    bool trueLength = s.arrowLength == render::ArrowLength::TrueLength;
    ImGui::Checkbox("true arrow length", &trueLength);
    s.arrowLength = trueLength ? render::ArrowLength::TrueLength : render::ArrowLength::Normalised;
    if (trueLength) ImGui::SliderFloat("arrow gain", &s.arrowGain, 0.01f, 1.0f, "%.3f", ImGuiSliderFlags_Logarithmic);
    bool logScale = s.densityScale == render::DensityScale::Log;
    ImGui::Checkbox("log density", &logScale);
    s.densityScale = logScale ? render::DensityScale::Log : render::DensityScale::Linear;
    if (l.contours) ImGui::SliderInt("levels", &s.contourLevels, 2, 20);
    ImGui::SliderInt("trail length", &s.trailLength, 1, 60);
  }

  ImGui::PopItemWidth();
  ImGui::End();

  if (!(s == scene.settings())) scene.setSettings(s);
}

void Panels::timelineBar(Scene& scene, int widthPx, int heightPx, double frameMs) {
  Timeline& tl = scene.timeline();
  ImGui::SetNextWindowPos(ImVec2(kSidebarWidth, static_cast<float>(heightPx - kTimelineHeight)));
  ImGui::SetNextWindowSize(ImVec2(static_cast<float>(widthPx - kSidebarWidth), kTimelineHeight));
  ImGui::Begin("Timeline", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
  if (ImGui::Button(tl.playing() ? "Pause" : "Play", ImVec2(64, 0))) tl.setPlaying(!tl.playing());
  remember("play");
  ImGui::SameLine();
  if (ImGui::ArrowButton("back", ImGuiDir_Left)) tl.step(-1);
  ImGui::SameLine();
  if (ImGui::ArrowButton("forward", ImGuiDir_Right)) tl.step(+1);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::max(120.0f, static_cast<float>(widthPx - kSidebarWidth) - 560.0f));
  if (tl.discrete()) {
    int step = tl.currentStep();
    char label[64];
    std::snprintf(label, sizeof label, "step %%d / %d", tl.lastStep());
    if (ImGui::SliderInt("##step", &step, 0, tl.lastStep(), label)) {
      tl.scrubTo(static_cast<double>(step) / tl.lastStep());
      tl.setPlaying(false);
    }
    remember("step");
  } else {
    float u = static_cast<float>(tl.position());
    if (ImGui::SliderFloat("##t", &u, 0.0f, 1.0f, "t = %.3f")) {
      tl.scrubTo(u);
      tl.setPlaying(false);
    }
    remember("t");
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120.0f);
  float speed = static_cast<float>(tl.speed());
  if (ImGui::SliderFloat("##speed", &speed, 0.1f, 8.0f, "speed %.2fx", ImGuiSliderFlags_Logarithmic)) tl.setSpeed(speed);
  remember("speed");
  ImGui::SameLine();
  const double t = scene.displayTime();
  ImGui::Text("t = %.3f  a = %.3f  s = %.3f", t, scene.process().a(t), scene.process().s(t));
  // Second row, always on screen (the sidebar scrolls): progress or why nothing is sampled.
  const float lineHeight = ImGui::GetTextLineHeight();
  if (scene.sampling()) {
    ImGui::ProgressBar(static_cast<float>(scene.samplingProgress()), ImVec2(240.0f, lineHeight), "sampling...");
    remember("status");
    ImGui::SameLine();
  }
  const std::string status = scene.status();
  if (!status.empty() && status != "sampling...") {
    ImGui::TextColored(ImVec4(1.0f, 0.7f, 0.4f, 1.0f), "%s", status.c_str());
    remember("status");
    ImGui::SameLine();
  }
  ImGui::TextDisabled("%zu particles   %.1f ms/frame", scene.particleCount(), frameMs);
  ImGui::End();
}

}  // namespace scorescope::gui
