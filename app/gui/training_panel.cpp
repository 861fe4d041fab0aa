// The learn-the-score lesson's section of the sidebar (training settings, Start / Pause / Resume /
// Reset, the loss curve, throughput, the score error and its curve over t, the noisy classifier)
// and the score-source switch of the other lessons. Settings are scene fields; the buttons act on
// the session's training controllers and change no scene field.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gui/panels.hpp"
#include "gui/imgui_style.hpp"
#include "gui/session.hpp"

namespace scorescope::gui {
namespace {

constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;
constexpr ImGuiSliderFlags kLogClamp = ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp;
const ImVec4 kWarning(1.0f, 0.7f, 0.4f, 1.0f);

// log10 of the bucket means, smoothed by an exponential moving average: per-step DSM losses are
// noisy (a fresh batch and fresh t every step) and span decades, so the raw curve is a band of
// noise and a linear axis flattens everything after the first drop.
std::vector<float> smoothedLogLoss(const std::vector<float>& loss) {
  std::vector<float> out;
  out.reserve(loss.size());
  constexpr float kAlpha = 0.15f;
  float ema = 0.0f;
  for (std::size_t i = 0; i < loss.size(); ++i) {
    const float v = std::log10(std::max(loss[i], 1e-12f));
    ema = i == 0 ? v : ema + kAlpha * (v - ema);
    out.push_back(ema);
  }
  return out;
}

std::string compact(double v) {
  char buffer[32];
  if (v >= 1e6) std::snprintf(buffer, sizeof buffer, "%.2fM", v / 1e6);
  else if (v >= 1e3) std::snprintf(buffer, sizeof buffer, "%.1fk", v / 1e3);
  else std::snprintf(buffer, sizeof buffer, "%.0f", v);
  return buffer;
}

void settings(TrainingSettings& t, int labelCount, WidgetLog& log) {
  std::array<const char*, kAllTrainingLosses.size()> lossNames{};
  for (std::size_t i = 0; i < lossNames.size(); ++i) lossNames[i] = lossTitle(kAllTrainingLosses[i]);
  enumCombo("loss", t.loss, kAllTrainingLosses, lossNames);
  log.add("loss", {"sampled.training.loss"});
  if (t.loss == TrainingLoss::Ncsn) {
    ImGui::SliderInt("noise levels L", &t.ncsnLevels, 2, 50, "%d", kClamp);
    log.add("ncsn levels", {"sampled.training.ncsnLevels"});
  }
  ImGui::SliderInt("width", &t.network.width, 8, 512, "%d", kLogClamp);
  log.add("width", {"sampled.training.network.width"});
  ImGui::SliderInt("depth", &t.network.depth, 1, 6, "%d", kClamp);
  log.add("depth", {"sampled.training.network.depth"});
  ImGui::SliderInt("batch", &t.batch, 32, 8192, "%d", kLogClamp);
  log.add("batch", {"sampled.training.batch"});
  sliderDouble("learning rate", t.adam.learningRate, 1e-4, 1e-1, "%.1e", true);
  log.add("learning rate", {"sampled.training.adam.learningRate"});
  int steps = static_cast<int>(std::min<long long>(t.steps, 200000));
  if (ImGui::SliderInt("train steps", &steps, 100, 200000, "%d", kLogClamp)) t.steps = steps;
  log.add("train steps", {"sampled.training.steps"});
  constexpr std::uint64_t kSeedStep = 1;
  std::uint64_t seed = t.seed;
  if (ImGui::InputScalar("train seed", ImGuiDataType_U64, &seed, &kSeedStep)) t.seed = std::min(seed, kMaxSeed);
  log.add("train seed", {"sampled.training.seed"});
  bool conditional = t.network.classes > 0;
  ImGui::BeginDisabled(labelCount <= 1);
  if (ImGui::Checkbox("class-conditional (for CFG)", &conditional)) t.network.classes = conditional ? labelCount : 0;
  ImGui::EndDisabled();
  log.add("class-conditional", {"sampled.training.network.classes"});
  if (labelCount <= 1) ImGui::TextDisabled("(this target has one class)");
  if (t.network.classes > 0) {
    sliderDouble("p_empty", t.pEmpty, 0.0, 0.5, "%.2f");
    log.add("p_empty", {"sampled.training.pEmpty"});
  }
}

// Start / Pause / Resume and Reset for one controller; `start` begins from scratch.
template <typename Start>
void controls(const char* what, TrainingController& training, Start&& start, std::string& message, WidgetLog& log) {
  const TrainingState state = training.state();
  const std::string name(what);
  if (state == TrainingState::Running) {
    if (ImGui::Button("Pause", ImVec2(scaledPx(90), 0))) training.pause();
    log.add(name + " pause", {});
  } else if (state == TrainingState::Paused) {
    if (ImGui::Button("Resume", ImVec2(scaledPx(90), 0))) training.resume();
    log.add(name + " resume", {});
  } else {
    if (ImGui::Button(training.hasModel() ? "Restart" : "Start", ImVec2(scaledPx(90), 0))) message = start();
    log.add(name + " start", {});
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(state == TrainingState::Empty);
  if (ImGui::Button("Reset", ImVec2(scaledPx(90), 0))) {
    training.reset();
    message.clear();
  }
  ImGui::EndDisabled();
  log.add(name + " reset", {});
}

void progressLine(const TrainingStatus& st) {
  const float fraction = st.totalSteps > 0 ? static_cast<float>(st.steps) / static_cast<float>(st.totalSteps) : 0.0f;
  char text[96];
  std::snprintf(text, sizeof text, "%s  %lld / %lld", trainingStateTitle(st.state), st.steps, st.totalSteps);
  ImGui::ProgressBar(fraction, ImVec2(-1, 0), text);
  if (st.samplesPerSecond > 0.0 && st.state == TrainingState::Running) {
    ImGui::Text("%s samples/s", compact(st.samplesPerSecond).c_str());
  }
}

void lossPlot(const TrainingStatus& st, WidgetLog& log) {
  if (st.loss.size() < 2) return;
  const std::vector<float> curve = smoothedLogLoss(st.loss);
  char overlay[64];
  std::snprintf(overlay, sizeof overlay, "loss %.3g (log scale)", std::pow(10.0f, curve.back()));
  ImGui::PlotLines("##loss", curve.data(), static_cast<int>(curve.size()), 0, overlay, FLT_MAX, FLT_MAX,
                   ImVec2(ImGui::GetContentRegionAvail().x, scaledPx(70)));  // PlotLines takes no -1 width
  log.add("loss curve", {});
}

void errorReadout(const TrainingStatus& st, WidgetLog& log) {
  if (st.errorSteps < 0) return;
  ImGui::Text("score error  E σₜ² |s_θ − ∇ log pₜ|² = %.4f", st.error);
  ImGui::TextDisabled("(measured at step %lld)", st.errorSteps);
  if (st.errorCurve.size() < 2) return;
  const float top = *std::max_element(st.errorCurve.begin(), st.errorCurve.end());
  ImGui::PlotHistogram("##error by t", st.errorCurve.data(), static_cast<int>(st.errorCurve.size()), 0,
                       "error by t", 0.0f, std::max(top, 1e-6f) * 1.1f,
                       ImVec2(ImGui::GetContentRegionAvail().x, scaledPx(60)));
  log.add("error by t", {});
  ImGui::TextDisabled("t = %.2f (left) .. %.2f (right)", st.errorTimes.front(), st.errorTimes.back());
}

}  // namespace

void trainingSection(Session& session, Scene& scene, TrainingMessages& messages, WidgetLog& log) {
  std::string& message = messages.score;
  const int labels = session.labelCount();
  settings(scene.sampled.training, labels, log);
  ImGui::TextDisabled("Settings apply at the next Start.");
  TrainingController& score = session.scoreTraining();
  controls("train", score, [&] { return session.startTraining(); }, message, log);
  if (!message.empty()) ImGui::TextColored(kWarning, "%s", message.c_str());
  const TrainingStatus st = score.status();
  if (st.state != TrainingState::Empty) {
    progressLine(st);
    if (st.state == TrainingState::Failed) ImGui::TextColored(kWarning, "%s", st.message.c_str());
    lossPlot(st, log);
    errorReadout(st, log);
  }
  if (const std::string mismatch = session.modelMismatch(score); !mismatch.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kWarning, "%s Reset to train on this one.", mismatch.c_str());
    ImGui::PopTextWrapPos();
  }

  ImGui::Separator();
  ImGui::TextUnformatted("Noisy classifier (for classifier guidance)");
  if (labels <= 1) {
    ImGui::TextDisabled("Needs a labelled target.");
    return;
  }
  TrainingController& classifier = session.classifierTraining();
  std::string& classifierMessage = messages.classifier;
  controls("classifier", classifier, [&] { return session.startClassifierTraining(); }, classifierMessage, log);
  if (!classifierMessage.empty()) ImGui::TextColored(kWarning, "%s", classifierMessage.c_str());
  const TrainingStatus cs = classifier.status();
  if (cs.state != TrainingState::Empty) {
    progressLine(cs);
    if (!cs.loss.empty()) ImGui::Text("cross-entropy %.3f", cs.loss.back());
  }
  if (const std::string mismatch = session.modelMismatch(classifier); !mismatch.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kWarning, "%s", mismatch.c_str());
    ImGui::PopTextWrapPos();
  }
}

void scoreSourceSwitch(Session& session, Scene& scene, WidgetLog& log) {
  ScoreSource& source = scene.sampled.score;
  const bool model = session.scoreTraining().hasModel();
  ImGui::TextUnformatted("score");
  for (ScoreSource option : kAllScoreSources) {
    ImGui::SameLine();
    const std::string name(scoreSourceName(option));
    // Learned and Both need a model; Exact is always there (the way back when a model is reset).
    ImGui::BeginDisabled(!model && option != ScoreSource::Exact && source != option);
    if (ImGui::RadioButton(name.c_str(), source == option)) source = option;
    ImGui::EndDisabled();
    log.add("score " + name, {"sampled.score"});
  }
  if (!model) ImGui::TextDisabled("learned: train a model in lesson 6 first");
  // Runs on a model (the learned score, or a trained classifier guiding) re-sample on request.
  if (!lessonShowsData(scene.sampled.lesson) && (session.learnedRunsStale() || (model && source != ScoreSource::Exact))) {
    if (session.learnedRunsStale()) ImGui::TextColored(kWarning, "The model has changed since these runs.");
    if (ImGui::Button("Re-sample with current model")) session.resample();
    log.add("re-sample", {});
  }
}

}  // namespace scorescope::gui
