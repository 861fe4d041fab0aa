#include "gui/viewport_controller.hpp"

#include <imgui.h>

#include <QCoreApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>
#include <QSurfaceFormat>
#include <QWheelEvent>
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>

#include "gui/equation_overlay.hpp"
#include "gui/ui_scale.hpp"
#include "gui/legend_overlay.hpp"
#include "gui/overlay_text.hpp"
#include "gui/number_text.hpp"
#include "render/colormap.hpp"
#include "render/offscreen_target.hpp"
#include "render/scene_renderer.hpp"
#include "scorescope/parallel.hpp"

namespace scorescope::gui {

// Overlay text shrinks to its pane down to this fraction of the UI's text size, then wraps.
constexpr float kMinOverlayText = 0.8f;

// `text` with each line broken at spaces so that it is at most maxWidth wide at fontSize (a word
// wider than that stays whole): numbers such as "0.042" are never split.
std::string wrapAtSpaces(const std::string& text, float fontSize, float maxWidth) {
  std::string out, line, word;
  auto flushWord = [&] {
    if (word.empty()) return;
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (!line.empty() && textSize(candidate.c_str(), fontSize).x > maxWidth) {
      out += line + "\n";
      line = word;
    } else {
      line = candidate;
    }
    word.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == '\n') {
      flushWord();
      if (c == '\n') {
        out += line + "\n";
        line.clear();
      }
    } else {
      word += c;
    }
  }
  flushWord();
  return out + line;
}

struct ViewportController::EquationBox {
  std::vector<std::string> lines;
  float fontSize = 0.0f, lineHeight = 0.0f, lineGap = 0.0f, pad = 0.0f;
  ImVec2 min{0.0f, 0.0f}, max{0.0f, 0.0f};
};

namespace {

constexpr double kHandleRadiusPx = 11.0;
constexpr double kClickSlopPx = 4.0;

ImU32 rgba(int r, int g, int b, int a) { return IM_COL32(r, g, b, a); }

std::string tickLabel(double v, double step) {
  const int decimals = step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return fixedText(v, decimals);
}

// A tick label on a dark backing: the density under it can be as bright as the text (a nearly
// flat p_t fills the pane with the top of the colour map), and bare grey labels vanished there.
void axisLabel(ImDrawList* dl, ImVec2 at, const std::string& text) {
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  dl->AddRectFilled(ImVec2(at.x - 2.0f, at.y), ImVec2(at.x + size.x + 2.0f, at.y + size.y), IM_COL32(10, 12, 18, 150),
                    3.0f);
  dl->AddText(at, IM_COL32(185, 195, 210, 255), text.c_str());
}

// Lesson 3 on a mixture: one bar per mode for the fraction of the run's particles that ended
// there, and a white line across it at the mixture's weight, in the pane's top-right corner
// (outside the toy targets' [-3.5, 3.5]^2; the caption says what bars and lines are). The
// lecture point is the gap between the two: plain Langevin keeps the basins it started in.
constexpr std::size_t kMaxChartModes = 16;  // more would be slivers

// The chart's slot per mode, at UI scale 1.
float modeSlot(std::size_t modes) { return modes > 8 ? 10.0f : modes > 4 ? 17.0f : 30.0f; }

ImVec2 modeChartSize(const Pane& p, float u) {
  const std::size_t modes = std::min(p.modeFractions.size(), kMaxChartModes);
  constexpr float kBarHeight = 80.0f, kPad = 8.0f;
  return {(modeSlot(modes) * static_cast<float>(modes) + 2.0f * kPad) * u,
          (kBarHeight + 2.0f * kPad) * u + ImGui::GetTextLineHeight()};
}

void drawModeChart(ImDrawList* dl, const Pane& p, ImVec2 a, float u) {
  const std::size_t modes = std::min(p.modeFractions.size(), kMaxChartModes);
  double top = 0.0;
  for (std::size_t k = 0; k < modes; ++k) top = std::max({top, p.modeFractions[k], k < p.modeWeights.size() ? p.modeWeights[k] : 0.0});
  top = std::max(0.1, top);
  const float slot = modeSlot(modes) * u, barHeight = 80.0f * u, pad = 8.0f * u;
  const ImVec2 size = modeChartSize(p, u);
  dl->AddRectFilled(a, ImVec2(a.x + size.x, a.y + size.y), rgba(10, 12, 18, 190), 4.0f * u);
  const float baseY = a.y + pad + barHeight;
  const float left = a.x + pad;
  for (std::size_t k = 0; k < modes; ++k) {
    const float x = left + slot * static_cast<float>(k);
    const float h = static_cast<float>(p.modeFractions[k] / top) * barHeight;
    // A labelled mixture's bars take the colour of their class's particles.
    const bool labelled = p.modeLabels.size() == p.modeFractions.size() && p.frame.particles.size() == 1 &&
                          p.frame.particles[0].labels;
    const render::Rgba8 c = labelled ? render::classColour(p.modeLabels[k]) : render::Rgba8{110, 180, 255, 255};
    dl->AddRectFilled(ImVec2(x + 2.0f * u, baseY - h), ImVec2(x + slot - 2.0f * u, baseY), rgba(c.r, c.g, c.b, 240));
    if (k < p.modeWeights.size()) {
      const float w = baseY - static_cast<float>(p.modeWeights[k] / top) * barHeight;
      dl->AddLine(ImVec2(x, w), ImVec2(x + slot, w), rgba(255, 255, 255, 255), 3.0f * u);
    }
    if (modes <= 8 || k % 2 == 0) {
      char label[8];
      std::snprintf(label, sizeof label, "%zu", k);
      dl->AddText(ImVec2(x + 0.5f * slot - 0.5f * ImGui::CalcTextSize(label).x, baseY + 2.0f * u), rgba(160, 170, 185, 255), label);
    }
  }
  dl->AddLine(ImVec2(left, baseY), ImVec2(left + slot * static_cast<float>(modes), baseY), rgba(160, 170, 185, 255), 1.0f * u);
}

// A legend equal to one drawn in a pane above this one, or to its right in the same row, is
// drawn there only: a sweep's panes share classes and one arrow colour scale, and four copies
// of the same box would hide the particles.
bool legendShownElsewhere(const std::vector<Pane>& panes, std::size_t i) {
  for (std::size_t j = 0; j < panes.size(); ++j) {
    if (j == i || !(panes[j].legend == panes[i].legend)) continue;
    if (panes[j].y < panes[i].y || (panes[j].y == panes[i].y && panes[j].x > panes[i].x)) return true;
  }
  return false;
}

}  // namespace

QSurfaceFormat viewportFormat() {
  QSurfaceFormat format = QSurfaceFormat::defaultFormat();
  format.setVersion(3, 3);
  format.setProfile(QSurfaceFormat::CoreProfile);
  format.setSwapInterval(0);  // no vsync cap: frame times measure our work
  return format;
}

ViewportController::ViewportController() {
  // The per-frame core calls on this thread are small (a density grid of ~10k nodes, ~1k arrow
  // nodes) and llvmpipe rasterises with its own threads on the same cores: an OpenMP team here
  // spin-waits against them (measured: 0.9 ms single-threaded vs 23 ms with two threads on a
  // loaded 2-core machine). The thread count is per thread, so sampler jobs on the worker
  // threads keep every core.
  setThreadCount(1);
  clock_.start();
}

ViewportController::~ViewportController() = default;  // the host released GL first

void ViewportController::initializeGl() {
  bridge_.initializeGl();
  if (!renderer_) renderer_ = std::make_unique<render::SceneRenderer>();
}

void ViewportController::releaseGl() {
  renderer_.reset();
  bridge_.releaseGl();
}

bool ViewportController::wantsAnimation() const {
  return session_.timeline().playing() || session_.busy() || settleFrames_ > 0 ||
         session_.scoreTraining().state() == TrainingState::Running ||
         session_.classifierTraining().state() == TrainingState::Running;
}

void ViewportController::paint(int widthPx, int heightPx, float devicePixelRatio) {
  QElapsedTimer paintClock;
  paintClock.start();
  const qint64 now = clock_.nsecsElapsed();
  const double seconds = fixedFrameSeconds_ > 0.0 ? fixedFrameSeconds_
                         : lastTickNs_ < 0          ? 0.0
                                                    : std::min(0.1, static_cast<double>(now - lastTickNs_) * 1e-9);
  lastTickNs_ = now;
  session_.tick(seconds);
  draw(widthPx, heightPx, devicePixelRatio, paintClock);
  if (settleFrames_ > 0) --settleFrames_;
  lastPaintSeconds_ = static_cast<double>(paintClock.nsecsElapsed()) * 1e-9;
  frameMsSmoothed_ = frameMsSmoothed_ == 0.0 ? lastPaintSeconds_ * 1e3
                                             : 0.9 * frameMsSmoothed_ + 0.1 * lastPaintSeconds_ * 1e3;
}

void ViewportController::renderExportFrame(render::OffscreenTarget& target, double advanceSeconds) {
  session_.tick(advanceSeconds);
  // A frame must not depend on how fast the machine is: the runs it shows are finished and
  // applied first, and a frame that started a likelihood map is drawn again once it is there.
  session_.waitForRuns();
  QElapsedTimer clock;
  for (int pass = 0; pass < 3; ++pass) {
    clock.start();
    target.bind();
    draw(target.width(), target.height(), 1.0f, clock);
    target.release();
    if (!session_.likelihoodMaps().computing()) break;
    session_.waitForRuns();
  }
}

void ViewportController::draw(int widthPx, int heightPx, float devicePixelRatio, const QElapsedTimer& paintClock) {
  layout_ = CanvasLayout{widthPx, heightPx, uiScale_, panelsHidden_};
  frames_.setUiScale(uiScale_);
  const int h = heightPx;
  const float dpr = devicePixelRatio;
  bridge_.newFrame(widthPx, h, dpr);
  if (panelsHidden_) panels_.skip();
  else panels_.draw(session_, layout_, frameMsSmoothed_);

  const int canvasH = layout_.canvasHeight();
  std::vector<Pane>& panes = frames_.build(session_, layout_.canvasWidth(), canvasH);
  lastBuildSeconds_ = static_cast<double>(paintClock.nsecsElapsed()) * 1e-9;
  const render::Rgba8 bg = render::FrameData{}.background;
  render::clearAll(bg.r / 255.0f, bg.g / 255.0f, bg.b / 255.0f);
  // The panel strips get their background from a scissored clear (a memset for a software
  // rasteriser) instead of ImGui's blended window quads: the panels draw without background.
  const auto px = [dpr](int v) { return static_cast<int>(std::lround(static_cast<float>(v) * dpr)); };
  render::clearRect(kPanelColour[0], kPanelColour[1], kPanelColour[2], 0, 0, px(layout_.canvasLeft()), px(h));
  render::clearRect(kPanelColour[0], kPanelColour[1], kPanelColour[2], px(layout_.canvasLeft()), 0,
                    px(layout_.canvasWidth()), px(layout_.timelineHeight()));
  for (const Pane& pane : panes) {
    render::TargetRect rect;
    // GL's y runs up from the bottom of the window, below which lies the timeline strip.
    rect.x = static_cast<int>(std::lround(static_cast<float>(layout_.canvasLeft() + pane.x) * dpr));
    rect.y = static_cast<int>(std::lround(static_cast<float>(layout_.timelineHeight() + canvasH - pane.y - pane.height) * dpr));
    rect.width = static_cast<int>(std::lround(static_cast<float>(pane.width) * dpr));
    rect.height = static_cast<int>(std::lround(static_cast<float>(pane.height) * dpr));
    rect.devicePixelRatio = dpr;
    renderer_->draw(pane.frame, pane.view, rect, false);
  }
  const EquationBox equations = layoutEquationOverlay();
  drawOverlay(equations);
  drawEquationOverlay(equations);
  drawBanner();
  bridge_.render();
}

std::vector<double> ViewportController::benchOffscreen(int frames, int widthPx, int heightPx) {
  std::vector<double> times;
  if (!renderer_) return times;
  const CanvasLayout layout{widthPx, heightPx};
  const int canvasW = layout.canvasWidth(), canvasH = layout.canvasHeight();
  QOpenGLFramebufferObject fbo(canvasW, canvasH);
  QOpenGLFunctions* gl = QOpenGLContext::currentContext()->functions();
  for (int i = 0; i < frames; ++i) {
    QElapsedTimer clock;
    clock.start();
    session_.tick(1.0 / 60.0);
    const std::vector<Pane>& panes = frames_.build(session_, canvasW, canvasH);
    fbo.bind();
    for (const Pane& pane : panes) {
      renderer_->draw(pane.frame, pane.view, {pane.x, canvasH - pane.y - pane.height, pane.width, pane.height, 1.0f});
    }
    gl->glFinish();
    times.push_back(static_cast<double>(clock.nsecsElapsed()) * 1e-6);
  }
  fbo.release();
  return times;
}

void ViewportController::drawOverlay(const EquationBox& equations) {
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  const float u = uiScale_;  // offsets below are pixels at UI scale 1
  const auto& panes = frames_.panes();
  const bool grid = session_.scene().display.layers.grid;
  const bool legend = session_.scene().display.legend;
  const bool handles = session_.hasHandles();
  const auto handlePositions = session_.handlePositions();
  for (std::size_t i = 0; i < panes.size(); ++i) {
    const Pane& p = panes[i];
    const float x0 = static_cast<float>(layout_.canvasLeft() + p.x);
    const float x1 = x0 + static_cast<float>(p.width);
    const float y0 = static_cast<float>(p.y);
    const float y1 = y0 + static_cast<float>(p.height);
    dl->PushClipRect(ImVec2(x0, y0), ImVec2(x1, y1), true);
    // Axis labels along the bottom and left edges of the pane.
    if (grid) {
      for (double x : p.ticks.xs) {
        const glm::dvec2 px = p.view.worldToPixel({x, 0.0});
        axisLabel(dl, ImVec2(x0 + static_cast<float>(px.x) + 3.0f * u, y1 - 20.0f * u), tickLabel(x, p.ticks.step));
      }
      for (double y : p.ticks.ys) {
        const glm::dvec2 px = p.view.worldToPixel({0.0, y});
        axisLabel(dl, ImVec2(x0 + 5.0f * u, y0 + static_cast<float>(px.y) - 17.0f * u), tickLabel(y, p.ticks.step));
      }
    }
    // Handles on the mixture means.
    if (handles && p.showsHandles) {
      for (std::size_t k = 0; k < handlePositions.size(); ++k) {
        const glm::dvec2 px = p.view.worldToPixel({handlePositions[k][0], handlePositions[k][1]});
        const ImVec2 c(x0 + static_cast<float>(px.x), y0 + static_cast<float>(px.y));
        const bool active = drag_ == Drag::Handle && dragHandle_ == static_cast<int>(k);
        const float r = (static_cast<float>(kHandleRadiusPx) - 3.0f) * u;
        dl->AddCircle(c, r + 1.0f * u, rgba(0, 0, 0, 140), 20, 3.0f * u);  // dark halo: visible on bright density too
        dl->AddCircle(c, r, active ? rgba(255, 255, 255, 255) : rgba(255, 255, 255, 170), 20, 1.5f * u);
      }
    }
    // Title.
    if (!p.title.empty()) {
      const float fontSize = fittedFontSize(p.title.c_str(), static_cast<float>(p.width) - 24.0f * u);
      const ImVec2 size = textSize(p.title.c_str(), fontSize);
      const ImVec2 at(x0 + 0.5f * (static_cast<float>(p.width) - size.x), y0 + 10.0f * u);
      dl->AddRectFilled(ImVec2(at.x - 8 * u, at.y - 4 * u), ImVec2(at.x + size.x + 8 * u, at.y + size.y + 4 * u),
                        rgba(10, 12, 18, 190), 4.0f * u);
      dl->AddText(ImGui::GetFont(), fontSize, at, rgba(225, 232, 245, 255), p.title.c_str());
    }
    // Caption (what the colour means, a run's W1), above the x tick labels.
    if (!p.caption.empty()) {
      // Shrunk to the pane, but to no less than 80% of the UI's text size: a narrow pane wraps
      // the lines instead, so a larger UI scale never gives smaller text.
      const float maxWidth = static_cast<float>(p.width) - 24.0f * u;
      const float fontSize = std::max(fittedFontSize(p.caption.c_str(), maxWidth), kMinOverlayText * ImGui::GetFontSize());
      const std::string caption = wrapAtSpaces(p.caption, fontSize, maxWidth);
      const ImVec2 size = textSize(caption.c_str(), fontSize);
      const ImVec2 at(x0 + 0.5f * (static_cast<float>(p.width) - size.x), y1 - size.y - 34.0f * u);
      dl->AddRectFilled(ImVec2(at.x - 8 * u, at.y - 4 * u), ImVec2(at.x + size.x + 8 * u, at.y + size.y + 4 * u),
                        rgba(10, 12, 18, 200), 4.0f * u);
      dl->AddText(ImGui::GetFont(), fontSize, at, rgba(225, 232, 245, 255), caption.c_str());
    }
    // Top-right, below the title: the legend, then the mode chart, both below the equation box
    // where it reaches this far.
    const float maxWidth = static_cast<float>(p.width) - 20.0f * u;
    const LegendLayout legendBox = legend && !legendShownElsewhere(panes, i) ? layoutLegend(p.legend, u, maxWidth)
                                                                             : LegendLayout{};
    const ImVec2 chartSize = p.modeFractions.empty() ? ImVec2(0.0f, 0.0f) : modeChartSize(p, u);
    const float stackWidth = std::max(legendBox.size.x, chartSize.x);
    float stackTop = y0 + 10.0f * u + ImGui::GetTextLineHeight() + 14.0f * u;
    if (!equations.lines.empty() && equations.max.x > x1 - 10.0f * u - stackWidth && equations.min.x < x1 &&
        equations.max.y > stackTop && equations.min.y < y1) {
      stackTop = equations.max.y + 8.0f * u;
    }
    if (legendBox.size.x > 0.0f) {
      // A legend wider than its pane (its text does not shrink below 70%) reaches into the pane
      // on its left rather than being cut: the canvas, not the pane, clips it.
      const float canvasLeft = static_cast<float>(layout_.canvasLeft());
      dl->PushClipRect(ImVec2(canvasLeft, y0), ImVec2(canvasLeft + static_cast<float>(layout_.canvasWidth()), y1), false);
      drawLegend(dl, p.legend, legendBox, ImVec2(std::max(canvasLeft + 4.0f * u, x1 - 10.0f * u - legendBox.size.x), stackTop));
      dl->PopClipRect();
      stackTop += legendBox.size.y + 8.0f * u;
    }
    if (chartSize.x > 0.0f) drawModeChart(dl, p, ImVec2(x1 - 10.0f * u - chartSize.x, stackTop), u);
    // Data coordinates under the cursor.
    if (hoverPos_.x() >= x0 && hoverPos_.x() < x1 && hoverPos_.y() >= y0 && hoverPos_.y() < y1) {
      const glm::dvec2 w = toWorld(p, hoverPos_);
      const std::string coordinates = "x = " + fixedText(w.x, 3) + "   y = " + fixedText(w.y, 3);
      const char* text = coordinates.c_str();
      const ImVec2 size = ImGui::CalcTextSize(text);
      const ImVec2 at(x1 - size.x - 12.0f * u, y1 - size.y - 30.0f * u);
      dl->AddRectFilled(ImVec2(at.x - 6 * u, at.y - 3 * u), ImVec2(at.x + size.x + 6 * u, at.y + size.y + 3 * u),
                        rgba(10, 12, 18, 190), 4.0f * u);
      dl->AddText(at, rgba(225, 232, 245, 255), text);
    }
    dl->PopClipRect();
    if (p.x > 0) dl->AddLine(ImVec2(x0, y0), ImVec2(x0, y1), rgba(60, 70, 90, 255), 2.0f * u);
    if (p.y > 0) dl->AddLine(ImVec2(x0, y0), ImVec2(x1, y0), rgba(60, 70, 90, 255), 2.0f * u);
  }
}

ViewportController::EquationBox ViewportController::layoutEquationOverlay() const {
  EquationBox box;
  const auto& panes = frames_.panes();
  if (!session_.scene().display.equationOverlay || panes.empty()) return box;
  box.lines = equationLines(session_.scene(), session_.displayTime());
  if (box.lines.empty()) return box;
  // Top-left of the first pane, below its title row, so it never covers a title. It may reach
  // over the next pane (the rule belongs to the whole canvas) but stays inside the canvas: a
  // line too wide for it shrinks the whole box's text.
  const float u = uiScale_;
  box.pad = 8.0f * u;
  box.lineGap = 2.0f * u;
  const Pane& p = panes.front();
  std::string all;
  for (const std::string& line : box.lines) all += line + "\n";
  box.fontSize = fittedFontSize(all.c_str(), static_cast<float>(layout_.canvasWidth() - p.x) - 2.0f * (12.0f * u + box.pad));
  box.lineHeight = textSize("Ag", box.fontSize).y;
  float width = 0.0f;
  for (const std::string& line : box.lines) width = std::max(width, textSize(line.c_str(), box.fontSize).x);
  const float height = static_cast<float>(box.lines.size()) * (box.lineHeight + box.lineGap) - box.lineGap;
  const ImVec2 at(static_cast<float>(layout_.canvasLeft() + p.x) + 12.0f * u,
                  static_cast<float>(p.y) + 10.0f * u + ImGui::GetTextLineHeight() + 8.0f * u + 10.0f * u);
  box.min = ImVec2(at.x - box.pad, at.y - box.pad);
  box.max = ImVec2(at.x + width + box.pad, at.y + height + box.pad);
  return box;
}

void ViewportController::drawEquationOverlay(const EquationBox& box) {
  if (box.lines.empty()) return;
  const float u = uiScale_;
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  dl->AddRectFilled(box.min, box.max, rgba(10, 12, 18, 235), 6.0f * u);
  dl->AddRect(box.min, box.max, rgba(70, 90, 120, 200), 6.0f * u, 0, 1.0f * u);
  // The numbers line is yellow, the formulas above it white.
  for (std::size_t i = 0; i < box.lines.size(); ++i) {
    const bool numbers = i + 1 == box.lines.size();
    const ImVec2 at(box.min.x + box.pad, box.min.y + box.pad + static_cast<float>(i) * (box.lineHeight + box.lineGap));
    dl->AddText(ImGui::GetFont(), box.fontSize, at, numbers ? rgba(255, 214, 120, 255) : rgba(225, 232, 245, 255),
                box.lines[i].c_str());
  }
}

void ViewportController::setUiScale(float scale) {
  uiScale_ = clampUiScale(scale);
  bridge_.setUiScale(uiScale_);
  settleFrames_ = 3;
}

void ViewportController::showBanner(std::string text) {
  banner_ = std::move(text);
  bannerStartNs_ = clock_.nsecsElapsed();
  settleFrames_ = std::max(settleFrames_, 3);
}

void ViewportController::drawBanner() {
  if (banner_.empty()) return;
  // Fully there for 3 s, then fading over 1 s.
  const double age = static_cast<double>(clock_.nsecsElapsed() - bannerStartNs_) * 1e-9;
  const double alpha = std::clamp(4.0 - age, 0.0, 1.0);
  if (alpha <= 0.0) {
    banner_.clear();
    return;
  }
  settleFrames_ = std::max(settleFrames_, 2);  // keep frames coming while it fades
  const float u = uiScale_;
  const float fontSize = 1.25f * ImGui::GetFontSize();
  const ImVec2 size = textSize(banner_.c_str(), fontSize);
  const ImVec2 at(static_cast<float>(layout_.canvasLeft()) + 16.0f * u, static_cast<float>(layout_.canvasHeight()) - size.y - 40.0f * u);
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  const auto a = static_cast<unsigned>(std::lround(alpha * 255.0));
  dl->AddRectFilled(ImVec2(at.x - 10 * u, at.y - 6 * u), ImVec2(at.x + size.x + 10 * u, at.y + size.y + 6 * u),
                    IM_COL32(10, 12, 18, static_cast<int>(a * 230 / 255)), 6.0f * u);
  dl->AddText(ImGui::GetFont(), fontSize, at, IM_COL32(255, 214, 120, static_cast<int>(a)), banner_.c_str());
}

void ViewportController::setPanelsHidden(bool hidden) {
  panelsHidden_ = hidden;
  settleFrames_ = 3;
}

const Pane* ViewportController::paneAt(QPointF pos) const {
  const QPointF c = layout_.toCanvas(pos);
  const int i = frames_.paneAt(c.x(), c.y());
  return i < 0 ? nullptr : &frames_.panes()[static_cast<std::size_t>(i)];
}

QPointF ViewportController::toWindow(const Pane& pane, double x, double y) const {
  const glm::dvec2 px = pane.view.worldToPixel({x, y});
  return layout_.toWindow({px.x + pane.x, px.y + pane.y});
}

void ViewportController::editCamera(const Camera& camera) {
  session_.edit([&](Scene& s) { s.display.camera = camera; });
}

int ViewportController::handleAt(QPointF pos) const {
  const Pane* p = paneAt(pos);
  if (!p || !p->showsHandles || !session_.hasHandles()) return -1;
  const auto handles = session_.handlePositions();
  for (std::size_t k = 0; k < handles.size(); ++k) {
    const QPointF at = toWindow(*p, handles[k][0], handles[k][1]);
    if (std::hypot(at.x() - pos.x(), at.y() - pos.y()) <= kHandleRadiusPx * uiScale_) {
      return static_cast<int>(k);
    }
  }
  return -1;
}

glm::dvec2 ViewportController::toWorld(const Pane& p, QPointF pos) const {
  const QPointF c = layout_.toCanvas(pos);
  return p.view.pixelToWorld({c.x() - p.x, c.y() - p.y});
}

void ViewportController::mousePress(const QMouseEvent& e) {
  settleFrames_ = 3;
  if (bridge_.mousePress(e) || !paneAt(e.position())) return;
  pressPos_ = lastPos_ = e.position();
  if (e.button() == Qt::LeftButton && (dragHandle_ = handleAt(e.position())) >= 0) {
    drag_ = Drag::Handle;
  } else if (e.button() == Qt::LeftButton && session_.drawing()) {
    drag_ = Drag::PendingClick;
  } else {
    drag_ = Drag::Pan;
  }
}

void ViewportController::mouseMove(const QMouseEvent& e) {
  const bool imguiWants = bridge_.mouseMove(e);
  hoverPos_ = e.position();
  if (drag_ == Drag::None) {
    if (imguiWants) settleFrames_ = 3;
    return;
  }
  const QPointF pos = e.position();
  const Pane* p = paneAt(pressPos_);
  if (!p) return;
  if (drag_ == Drag::PendingClick && std::hypot(pos.x() - pressPos_.x(), pos.y() - pressPos_.y()) > kClickSlopPx) {
    drag_ = Drag::Pan;
  }
  if (drag_ == Drag::Pan) {
    const double u = p->view.unitsPerPixel();
    Camera c = session_.scene().display.camera;
    c.centreX = std::clamp(c.centreX - (pos.x() - lastPos_.x()) * u, -1e6, 1e6);
    c.centreY = std::clamp(c.centreY + (pos.y() - lastPos_.y()) * u, -1e6, 1e6);
    editCamera(c);
  } else if (drag_ == Drag::Handle) {
    const glm::dvec2 w = toWorld(*p, pos);
    session_.moveHandle(dragHandle_, w.x, w.y);
  }
  lastPos_ = pos;
}

void ViewportController::mouseRelease(const QMouseEvent& e) {
  settleFrames_ = 3;
  bridge_.mouseRelease(e);
  if (drag_ == Drag::PendingClick) {
    if (const Pane* p = paneAt(pressPos_)) {
      const glm::dvec2 w = toWorld(*p, pressPos_);
      session_.addDrawnPoint(w.x, w.y, 0);
    }
  }
  drag_ = Drag::None;
  dragHandle_ = -1;
}

void ViewportController::wheel(const QWheelEvent& e) {
  settleFrames_ = 3;
  if (bridge_.wheel(e)) return;
  const Pane* p = paneAt(e.position());
  if (!p) return;
  // Zoom about the cursor: the data point under it stays put.
  const double factor = std::pow(1.0015, e.angleDelta().y());
  const glm::dvec2 anchor = toWorld(*p, e.position());
  Camera c = session_.scene().display.camera;
  const double before = c.halfExtent;
  c.halfExtent = std::clamp(c.halfExtent / factor, kMinHalfExtent, kMaxHalfExtent);
  const double ratio = c.halfExtent / before;
  c.centreX = std::clamp(anchor.x + (c.centreX - anchor.x) * ratio, -1e6, 1e6);
  c.centreY = std::clamp(anchor.y + (c.centreY - anchor.y) * ratio, -1e6, 1e6);
  editCamera(c);
}

bool ViewportController::keyPress(const QKeyEvent& e) {
  settleFrames_ = 3;
  // Tab hides or shows the panels, unless a text field or slider is taking keys (there Tab is
  // ImGui's: it moves to the next field).
  if (e.key() == Qt::Key_Tab && e.modifiers() == Qt::NoModifier && !bridge_.wantsKeyboard()) {
    setPanelsHidden(!panelsHidden_);
    return true;
  }
  return bridge_.key(e, true);
}

void ViewportController::keyRelease(const QKeyEvent& e) { bridge_.key(e, false); }

void ViewportController::focusOut() { bridge_.focusOut(); }

}  // namespace scorescope::gui
