#pragma once
// The Qt platform layer for Dear ImGui 1.86 (its old input API: io.MousePos, io.MouseDown[],
// io.KeysDown[] + io.KeyMap[], io.AddInputCharacter). It owns one ImGui context, feeds it Qt's
// mouse, wheel, keyboard, text and device-pixel ratio, and answers whether ImGui wants an event
// so the canvas handles only the rest (pan and zoom never fire through a panel). Rendering is
// the stock imgui_impl_opengl3 backend; the bridge only frames it.
#include <QElapsedTimer>

struct ImGuiContext;
class QEvent;
class QKeyEvent;
class QMouseEvent;
class QWheelEvent;

namespace scorescope::gui {

class ImGuiBridge {
 public:
  ImGuiBridge();
  ~ImGuiBridge();
  ImGuiBridge(const ImGuiBridge&) = delete;
  ImGuiBridge& operator=(const ImGuiBridge&) = delete;

  // Creates the GL objects of the renderer backend; call once with the context current.
  void initializeGl();
  // Releases them; call with the context current (before the context dies).
  void releaseGl();

  // Makes this bridge's ImGui context current (there may be several widgets, one context each).
  void makeCurrent() const;

  // Starts a frame for a widget of logical size (w, h) at the given device-pixel ratio.
  void newFrame(int widthPx, int heightPx, float devicePixelRatio);
  // Ends the frame and draws the overlay into the current framebuffer.
  void render();

  // Feed events; each returns true when ImGui wants that input (the caller should not act on it).
  bool mousePress(const QMouseEvent& e);
  bool mouseRelease(const QMouseEvent& e);
  bool mouseMove(const QMouseEvent& e);
  bool wheel(const QWheelEvent& e);
  bool key(const QKeyEvent& e, bool down);
  void focusOut();

  // Sets the UI scale (ui_scale.hpp): the style and font atlas are rebuilt at the start of the
  // next frame (with the GL context current, so the atlas texture is re-uploaded there).
  void setUiScale(float scale) { pendingScale_ = scale; }
  float uiScale() const { return pendingScale_; }

  // An ImGui item has keyboard focus (a text field being edited, a slider held): keys go to it.
  bool wantsKeyboard() const;

 private:
  ImGuiContext* context_ = nullptr;
  bool glInitialized_ = false;
  QElapsedTimer clock_;
  qint64 lastFrameNs_ = 0;
  float scale_ = 1.0f, pendingScale_ = 1.0f;  // applied, wanted
};

}  // namespace scorescope::gui
