#include "gui/panels.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "gui/imgui_style.hpp"
#include "gui/number_text.hpp"
#include "gui/session.hpp"
#include "scorescope/presets.hpp"

namespace scorescope::gui {
namespace {

constexpr ImGuiWindowFlags kStripFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                         ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoTitleBar |
                                         ImGuiWindowFlags_NoBackground;
constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;

const char* lessonBlurb(Lesson lesson) {
  switch (lesson) {
    case Lesson::ForwardNoising:
      return "Every data point x₀ is pushed towards noise: xₜ = αₜ x₀ + σₜ ε. Each particle keeps "
             "its own ε, so scrubbing t is smooth. Right: the exact density pₜ of xₜ.";
    case Lesson::ScoreField:
      return "Arrows show the exact score ∇ log pₜ, pointing uphill on pₜ. Slide t: the modes "
             "blur and merge, the field becomes a gentle pull towards the centre.";
    case Lesson::Langevin:
      return "x ← x + (η/2) ∇ log p(x) + √η z. Plain Langevin uses one noise level and gets "
             "stuck between modes; annealed Langevin (NCSN) walks the levels down.";
    case Lesson::ReverseVsOde:
      return "Both start from the same noise. The reverse SDE adds fresh noise each step; the "
             "probability-flow ODE is deterministic with the same marginals.";
    case Lesson::Guidance:
      return "Steer samples towards a class. Classifier guidance adds γ ∇ log pₜ(y|x); CFG mixes "
             "conditional and unconditional predictions: (1 + w) ε_c − w ε_u = γ ε_c + (1 − γ) ε_u.";
    case Lesson::LearnScore:
      return "A network s_θ learns the score from noised samples (denoising score matching). Left: "
             "its field over its error; right: the exact field.";
  }
  throw std::logic_error("lessonBlurb(): unknown lesson " + std::to_string(static_cast<int>(lesson)));
}

// Core's presets, then "draw" (the user's own points), then "edited mixture" while a preset's
// modes have been moved.
std::vector<const char*> targetMenu() {
  std::vector<const char*> names;
  for (std::string_view name : kPresetNames) names.push_back(name.data());  // literals: null-terminated
  names.push_back("draw");
  names.push_back("edited mixture");
  return names;
}

}  // namespace

void Panels::draw(Session& session, const CanvasLayout& layout, double frameMs) {
  log_.clear();
  Scene s = session.scene();
  const Scene before = s;
  sidebar(session, s, layout);
  if (!(s == before)) session.setScene(s);
  timelineBar(session, layout, frameMs);
}

void Panels::sidebar(Session& session, Scene& s, const CanvasLayout& layout) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(static_cast<float>(layout.sidebarWidth()), static_cast<float>(layout.windowHeight)));
  ImGui::Begin("Scorescope", nullptr, kStripFlags);
  ImGui::TextColored(ImVec4(0.55f, 0.8f, 1.0f, 1.0f), "SCORESCOPE");
  ImGui::SameLine();
  ImGui::TextDisabled("diffusion models, hands on");
  ImGui::Separator();
  ImGui::PushItemWidth(-scaledPx(110.0f));

  ImGui::PushID("lessons");
  for (int l = 1; l <= kLessonCount; ++l) {
    const auto lesson = static_cast<Lesson>(l);
    if (ImGui::Selectable(lessonTitle(lesson), s.sampled.lesson == lesson) && s.sampled.lesson != lesson) {
      s.sampled = enterLesson(s.sampled, lesson);
    }
    log_.add("lesson " + std::to_string(l), {"sampled.lesson", "sampled.sampler", "sampled.guidance.kind"});
  }
  ImGui::PopID();
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.72f, 0.76f, 0.82f, 1.0f));
  ImGui::TextWrapped("%s", lessonBlurb(s.sampled.lesson));
  ImGui::PopStyleColor();
  ImGui::Spacing();

  // Lesson 6's training controls come first: they are what the lecturer works with there.
  const bool lessonFirst = s.sampled.lesson == Lesson::LearnScore;
  if (lessonFirst) lessonHeader(session, s);
  if (ImGui::CollapsingHeader("Scene", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::PushID("scene");
    sceneSection(session, s);
    ImGui::PopID();
  }
  if (!lessonFirst) lessonHeader(session, s);
  if (ImGui::CollapsingHeader("Layers", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::PushID("layers");
    layersSection(s);
    ImGui::PopID();
  }
  ImGui::PopItemWidth();
  ImGui::End();
}

void Panels::lessonHeader(Session& session, Scene& s) {
  if (!ImGui::CollapsingHeader("Lesson", ImGuiTreeNodeFlags_DefaultOpen)) return;
  ImGui::PushID("lesson");
  const Lesson lesson = s.sampled.lesson;
  // Lesson 1 shows no score; lesson 6 always shows both.
  if (lesson != Lesson::ForwardNoising && lesson != Lesson::LearnScore) scoreSourceSwitch(session, s, log_);
  if (lesson == Lesson::LearnScore) trainingSection(session, s, trainingMessages_, log_);
  else lessonSection(s, session.labelCount(), session.plan().target.get(), log_);
  ImGui::PopID();
}

void Panels::sceneSection(Session& session, Scene& s) {
  TargetSpec& target = s.sampled.target;
  static const std::vector<const char*> menu = targetMenu();
  const int draw = static_cast<int>(kPresetNames.size()), edited = draw + 1;
  int index = target.source == TargetSource::PointCloud ? draw : target.source == TargetSource::Mixture ? edited : 0;
  for (std::size_t i = 0; i < kPresetNames.size(); ++i) {
    if (target.source == TargetSource::Preset && target.preset == kPresetNames[i]) index = static_cast<int>(i);
  }
  // "edited mixture" is listed only while there is one (it is reached by dragging a mode).
  const int count = target.source == TargetSource::Mixture ? edited + 1 : edited;
  if (comboIndex("target", index, menu.data(), count)) {
    if (index == draw) {
      if (target.points.empty()) target = threePointsDrawing();  // the lecture's three points
      target.source = TargetSource::PointCloud;
    } else if (index < draw) {
      target.source = TargetSource::Preset;
      target.preset = kPresetNames[static_cast<std::size_t>(index)];
      target.components.clear();
    }
  }
  log_.add("target", {"sampled.target", "sampled.guidance.label"});
  int p = 0;
  std::array<const char*, kAllProcessKinds.size()> processNames{};
  for (std::size_t i = 0; i < kAllProcessKinds.size(); ++i) {
    processNames[i] = processTitle(kAllProcessKinds[i]);
    if (s.sampled.process == kAllProcessKinds[i]) p = static_cast<int>(i);
  }
  if (comboIndex("process", p, processNames.data(), static_cast<int>(processNames.size()))) {
    s.sampled.process = kAllProcessKinds[static_cast<std::size_t>(p)];
  }
  log_.add("process", {"sampled.process"});
  int n = pendingParticles_ >= 0 ? pendingParticles_ : s.sampled.particles;
  ImGui::SliderInt("particles", &n, 100, 1'000'000, "%d", ImGuiSliderFlags_Logarithmic | kClamp);
  log_.add("particles", {"sampled.particles"});
  pendingParticles_ = n;
  if (!ImGui::IsItemActive()) {
    s.sampled.particles = n;
    pendingParticles_ = -1;
  }
  // The CLI's range: any seed a command line can reproduce.
  constexpr std::uint64_t kSeedStep = 1;
  std::uint64_t seed = s.sampled.seed;
  if (ImGui::InputScalar("seed", ImGuiDataType_U64, &seed, &kSeedStep)) s.sampled.seed = std::min(seed, kMaxSeed);
  log_.add("seed", {"sampled.seed"});
  if (session.drawing()) {
    ImGui::TextWrapped("Click on the canvas to add points (%zu so far).", target.points.size());
    if (ImGui::Button("clear points")) {
      target.points.clear();
      target.labels.clear();
    }
    log_.add("clear points", {"sampled.target"});
  } else {
    // Always one line, empty when there is nothing to say: the handles come and go with the
    // target and with t (lessons 1-2 hide them once the modes blur), and a line that came and
    // went moved every control below it under the lecturer's mouse.
    ImGui::TextDisabled("%s", session.hasHandles() ? "Drag a ring handle to move a mode." : "");
  }
}

void Panels::layersSection(Scene& s) {
  DisplayScene& d = s.display;
  Layers& l = d.layers;
  ImGui::Checkbox("particles", &l.particles);
  log_.add("layer particles", {"display.layers.particles"});
  ImGui::SameLine(scaledPx(160));
  ImGui::Checkbox("density", &l.density);
  log_.add("layer density", {"display.layers.density"});
  ImGui::Checkbox("score arrows", &l.arrows);
  log_.add("score arrows", {"display.layers.arrows"});
  ImGui::SameLine(scaledPx(160));
  ImGui::Checkbox("contours", &l.contours);
  log_.add("contours", {"display.layers.contours"});
  ImGui::Checkbox("trails", &l.trails);
  log_.add("trails", {"display.layers.trails"});
  ImGui::SameLine(scaledPx(160));
  ImGui::Checkbox("full paths", &l.paths);
  log_.add("full paths", {"display.layers.paths"});
  ImGui::Checkbox("grid", &l.grid);
  log_.add("grid", {"display.layers.grid"});
  ImGui::SameLine(scaledPx(160));
  ImGui::Checkbox("equations", &d.equationOverlay);  // the update rule and its numbers, on the canvas
  log_.add("equation overlay", {"display.equationOverlay"});
  ImGui::Checkbox("legend", &d.legend);
  log_.add("legend", {"display.legend"});
  // The view grows with the noise (VE at t = 1 has s = 50); the camera stays the one at t = 0.
  ImGui::Checkbox("auto-fit view to the noise", &d.autoFit);
  log_.add("auto-fit", {"display.autoFit"});
  ImGui::SliderFloat("point size", &d.pointSize, 1.0f, 8.0f, "%.1f px", kClamp);
  log_.add("point size", {"display.pointSize"});
  ImGui::SliderFloat("point alpha", &d.pointAlpha, 0.05f, 1.0f, "%.2f", kClamp);
  log_.add("point alpha", {"display.pointAlpha"});
  ImGui::SliderInt("arrow grid", &d.arrowGrid, 8, 64, "%d", kClamp);
  log_.add("arrow grid", {"display.arrowGrid"});
  ImGui::Checkbox("true arrow length", &d.trueArrowLength);
  log_.add("true arrow length", {"display.trueArrowLength"});
  if (d.trueArrowLength) {
    ImGui::SliderFloat("arrow gain", &d.arrowGain, 0.01f, 1.0f, "%.3f", ImGuiSliderFlags_Logarithmic | kClamp);
    log_.add("arrow gain", {"display.arrowGain"});
  }
  ImGui::Checkbox("log density", &d.logDensity);
  log_.add("log density", {"display.logDensity"});
  if (l.contours) {
    ImGui::SliderInt("levels", &d.contourLevels, 2, 20, "%d", kClamp);
    log_.add("contour levels", {"display.contourLevels"});
  }
  ImGui::SliderInt("trail length", &d.trailLength, 1, 60, "%d", kClamp);
  log_.add("trail length", {"display.trailLength"});
}

void Panels::timelineBar(Session& session, const CanvasLayout& layout, double frameMs) {
  Timeline& tl = session.timeline();
  const float left = static_cast<float>(layout.canvasLeft());
  const float width = static_cast<float>(layout.canvasWidth());
  const float stripHeight = static_cast<float>(layout.timelineHeight());
  ImGui::SetNextWindowPos(ImVec2(left, static_cast<float>(layout.windowHeight) - stripHeight));
  ImGui::SetNextWindowSize(ImVec2(width, stripHeight));
  ImGui::Begin("Timeline", nullptr, kStripFlags | ImGuiWindowFlags_NoScrollbar);
  const std::vector<std::string> playback = {"display.playback"};
  if (ImGui::Button(tl.playing() ? "Pause" : "Play", ImVec2(scaledPx(64), 0))) tl.setPlaying(!tl.playing());
  log_.add("play", playback);
  ImGui::SameLine();
  if (ImGui::ArrowButton("back", ImGuiDir_Left)) tl.step(-1);
  log_.add("step back", playback);
  ImGui::SameLine();
  if (ImGui::ArrowButton("forward", ImGuiDir_Right)) tl.step(+1);
  log_.add("step forward", playback);
  ImGui::SameLine();
  // The time slider takes what the speed slider and the readout leave (measured, so it fits at
  // every UI scale).
  const double t = session.displayTime();
  const Process& process = session.plan().process;
  char readout[96];
  std::snprintf(readout, sizeof readout, "t = %s   αₜ = %s   σₜ = %s", fixedText(t, 3).c_str(),  // never "-0.000"
                fixedText(process.a(t), 3).c_str(), fixedText(process.s(t), 3).c_str());
  const float speedWidth = scaledPx(120.0f), spacing = ImGui::GetStyle().ItemSpacing.x;
  const float rest = ImGui::GetContentRegionAvail().x - speedWidth - ImGui::CalcTextSize(readout).x - 2.0f * spacing;
  // Too narrow (a large UI scale): the readout starts the second row instead.
  const bool readoutFirstRow = rest >= scaledPx(200.0f);
  // Narrower still (3x on a small window): the speed slider joins the readout on the second row,
  // so the time slider keeps room for its label.
  const float besideSpeed = ImGui::GetContentRegionAvail().x - speedWidth - spacing;
  const bool speedFirstRow = readoutFirstRow || besideSpeed >= scaledPx(200.0f);
  ImGui::SetNextItemWidth(readoutFirstRow ? rest : speedFirstRow ? besideSpeed : ImGui::GetContentRegionAvail().x);
  if (tl.discrete()) {
    int step = tl.currentStep();
    // The recorded steps are the initial noise, the sampler's steps and (often) the final
    // denoise: the label names which one this is rather than "step 101 / 101".
    const std::string label = tl.stepLabel(step);
    if (ImGui::SliderInt("##step", &step, 0, tl.lastStep(), label.c_str(), kClamp)) {
      tl.scrubTo(static_cast<double>(step) / tl.lastStep());
      tl.setPlaying(false);
    }
    log_.add("step", playback);
  } else {
    float u = static_cast<float>(tl.position());
    if (ImGui::SliderFloat("##t", &u, 0.0f, 1.0f, "t = %.3f", kClamp)) {
      tl.scrubTo(u);
      tl.setPlaying(false);
    }
    log_.add("t", playback);
  }
  if (speedFirstRow) ImGui::SameLine();
  ImGui::SetNextItemWidth(speedWidth);
  float speed = static_cast<float>(tl.speed());
  if (ImGui::SliderFloat("##speed", &speed, 0.1f, 8.0f, "speed %.2fx", ImGuiSliderFlags_Logarithmic | kClamp)) {
    tl.setSpeed(speed);
  }
  log_.add("speed", playback);
  if (readoutFirstRow || !speedFirstRow) ImGui::SameLine();  // else the readout starts row two
  ImGui::TextUnformatted(readout);
  if (!readoutFirstRow) ImGui::SameLine(0.0f, 3.0f * spacing);
  // Second row, always on screen (the sidebar scrolls): progress or why nothing is sampled.
  const float lineHeight = ImGui::GetTextLineHeight();
  if (session.busy()) {
    ImGui::ProgressBar(static_cast<float>(session.progress()), ImVec2(scaledPx(240.0f), lineHeight), "sampling...");
    log_.add("progress", {});
    ImGui::SameLine();
  }
  const std::string& status = session.status();
  if (!status.empty() && status != "sampling...") {
    ImGui::TextColored(ImVec4(1.0f, 0.7f, 0.4f, 1.0f), "%s", status.c_str());
    log_.add("status", {});
    ImGui::SameLine();
  }
  const RunOutput* shown = session.shown();
  const int particles = shown ? shown->scene.particles : 0;
  // The frame statistics take what room is left on the row (none at a large UI scale on a
  // narrow window: then they are left out rather than cut).
  char stats[64];
  std::snprintf(stats, sizeof stats, "%d particles   %.1f ms/frame", particles, frameMs);
  if (ImGui::CalcTextSize(stats).x > ImGui::GetContentRegionAvail().x) std::snprintf(stats, sizeof stats, "%.0f ms", frameMs);
  if (ImGui::CalcTextSize(stats).x <= ImGui::GetContentRegionAvail().x) ImGui::TextDisabled("%s", stats);
  else ImGui::NewLine();
  ImGui::End();
}

}  // namespace scorescope::gui
