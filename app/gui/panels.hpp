#pragma once
// The ImGui panels inside the viewport: a sidebar with the lesson, the scene (target, process,
// particles, seed), the lesson's own parameters and the layers; and a timeline bar (play,
// pause, step, scrub, speed). They edit a copy of the SceneSettings and hand it back to the
// Scene, which decides what to recompute. The screen rectangle of every named widget is kept so
// tests can click and drag real widgets with synthetic Qt events.
#include <map>
#include <string>

#include <QRectF>

namespace scorescope::gui {

class Scene;

// Widths of the strips the panels occupy; the canvas panes fill the rest.
inline constexpr int kSidebarWidth = 330;
inline constexpr int kTimelineHeight = 62;
// Background of the panel strips (linear RGB 0..1), cleared by the viewport under the panels.
inline constexpr float kPanelColour[3] = {0.075f, 0.085f, 0.115f};

class Panels {
 public:
  // Draws the panels for a canvas of w x h logical pixels and applies edits to `scene`.
  // frameMs is shown in the status line.
  void draw(Scene& scene, int widthPx, int heightPx, double frameMs);

  // Screen rectangle (logical pixels) of a widget drawn in the last frame, by its label
  // ("t", "step", "speed", "particles", "arrow grid", "status", ...); empty when not drawn.
  QRectF widgetRect(const std::string& name) const;

 private:
  void sidebar(Scene& scene, int heightPx);
  // Play controls and the step/t slider, and below them the status line (progress, errors).
  void timelineBar(Scene& scene, int widthPx, int heightPx, double frameMs);
  void remember(const std::string& name);

  std::map<std::string, QRectF> rects_;
  int pendingParticles_ = -1;  // the particle slider applies on release (re-sampling is costly)
};

}  // namespace scorescope::gui
