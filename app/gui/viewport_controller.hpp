#pragma once
// Everything the viewport does, independent of the Qt class that hosts the GL surface: draws a
// frame (canvas panes through the render library's SceneRenderer, then the ImGui overlay of
// panels, pane titles, axis labels and mode handles), routes Qt input to ImGui first and to the
// canvas (pan, zoom, drag a mode, click to add a point) only when ImGui does not want it.
// Kept apart from ViewportWindow (the Qt host) so a headless exporter can drive it too.
#include <QElapsedTimer>
#include <QPointF>
#include <memory>
#include <string>
#include <vector>

#include "gui/canvas_layout.hpp"
#include "gui/frame_builder.hpp"
#include "gui/imgui_bridge.hpp"
#include "gui/panels.hpp"
#include "gui/session.hpp"

class QKeyEvent;
class QMouseEvent;
class QWheelEvent;
class QSurfaceFormat;

namespace scorescope::render {
class SceneRenderer;
}

namespace scorescope::render {
class OffscreenTarget;
}

namespace scorescope::gui {

// The GL format every host requests: OpenGL 3.3 core (the shaders are #version 330 core) and no
// vsync cap, so frame times measure our work.
QSurfaceFormat viewportFormat();

class ViewportController {
 public:
  ViewportController();
  ~ViewportController();
  ViewportController(const ViewportController&) = delete;
  ViewportController& operator=(const ViewportController&) = delete;

  Session& session() { return session_; }
  const Panels& panels() const { return panels_; }
  const std::vector<Pane>& panes() const { return frames_.panes(); }
  const CanvasLayout& layout() const { return layout_; }
  // Window pixel of a data point in pane `pane`.
  QPointF toWindow(const Pane& pane, double x, double y) const;

  // With the host's context current.
  void initializeGl();
  void releaseGl();
  bool ready() const { return renderer_ != nullptr; }
  // Draws a frame of a w x h (logical pixels) canvas into the bound framebuffer.
  void paint(int widthPx, int heightPx, float devicePixelRatio);
  // Export: advances the play head by `advanceSeconds`, then draws the frame into `target` (its
  // size in pixels, device-pixel ratio 1) once every run and likelihood map it shows is there,
  // so the same scene gives the same frames on any machine speed. Context current.
  void renderExportFrame(render::OffscreenTarget& target, double advanceSeconds);
  // Renders `frames` frames of the playing scene into an offscreen FBO of the canvas size with
  // the same renderers (no ImGui, no host: what a headless exporter does), timing each to
  // glFinish; milliseconds per frame. Context current.
  std::vector<double> benchOffscreen(int frames, int widthPx, int heightPx);

  void mousePress(const QMouseEvent& e);
  void mouseMove(const QMouseEvent& e);
  void mouseRelease(const QMouseEvent& e);
  void wheel(const QWheelEvent& e);
  // Returns true when ImGui took the key (the host should not pass it on).
  bool keyPress(const QKeyEvent& e);
  // True while an ImGui item takes keyboard input: the host then accepts QEvent::ShortcutOverride
  // so application shortcuts (Space, '.', ',', Home) do not steal keys from a text field.
  bool wantsKeyboard() const { return bridge_.wantsKeyboard(); }
  void keyRelease(const QKeyEvent& e);
  void focusOut();

  // The UI scale (ui_scale.hpp), applied from the next frame on: fonts, strips, overlay text and
  // offsets, line widths and point sizes.
  void setUiScale(float scale);
  float uiScale() const { return uiScale_; }
  // Tab: the sidebar and timeline hide and the canvas fills the window (the scene is unchanged).
  void setPanelsHidden(bool hidden);
  // A line shown at the bottom left of the canvas for a few seconds, fading out (the lecture's
  // "3 / 13  title" after a slide change).
  void showBanner(std::string text);
  const std::string& banner() const { return banner_; }
  bool panelsHidden() const { return panelsHidden_; }

  // True while frames should keep coming: playing, sampling, or ImGui settling after input.
  bool wantsAnimation() const;
  void setFixedFrameSeconds(double s) { fixedFrameSeconds_ = s; }
  double lastPaintSeconds() const { return lastPaintSeconds_; }
  double lastBuildSeconds() const { return lastBuildSeconds_; }

 private:
  enum class Drag { None, Pan, Handle, PendingClick };
  // The update rule on show and its numbers, boxed in the top-left corner of the canvas: laid
  // out first so the panes' legends and charts can keep clear of it, drawn last.
  struct EquationBox;  // in the .cpp: its geometry is ImGui's
  EquationBox layoutEquationOverlay() const;
  void draw(int widthPx, int heightPx, float devicePixelRatio, const QElapsedTimer& paintClock);
  void drawBanner();
  void drawOverlay(const EquationBox& equations);
  void drawEquationOverlay(const EquationBox& box);
  int handleAt(QPointF pos) const;
  const Pane* paneAt(QPointF pos) const;
  glm::dvec2 toWorld(const Pane& pane, QPointF pos) const;
  void editCamera(const Camera& camera);

  Session session_;
  FrameBuilder frames_;
  CanvasLayout layout_;
  ImGuiBridge bridge_;
  Panels panels_;
  std::unique_ptr<render::SceneRenderer> renderer_;
  QElapsedTimer clock_;
  qint64 lastTickNs_ = -1;
  double fixedFrameSeconds_ = 0.0;
  double lastPaintSeconds_ = 0.0;
  double lastBuildSeconds_ = 0.0;
  double frameMsSmoothed_ = 0.0;
  float uiScale_ = 1.0f;
  bool panelsHidden_ = false;
  int settleFrames_ = 0;  // ImGui needs a few frames after input to settle hover states

  Drag drag_ = Drag::None;
  int dragHandle_ = -1;
  QPointF pressPos_, lastPos_;
  QPointF hoverPos_{-1.0, -1.0};
  std::string banner_;
  qint64 bannerStartNs_ = 0;  // last mouse position, for the coordinate readout
};

}  // namespace scorescope::gui
