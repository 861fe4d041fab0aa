#include "gui/imgui_bridge.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <QFile>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include "gui/imgui_style.hpp"

namespace scorescope::gui {
namespace {

// Our key indices into io.KeysDown are the ImGuiKey_ values themselves.
int imguiKey(int qtKey) {
  switch (qtKey) {
    case Qt::Key_Tab: return ImGuiKey_Tab;
    case Qt::Key_Left: return ImGuiKey_LeftArrow;
    case Qt::Key_Right: return ImGuiKey_RightArrow;
    case Qt::Key_Up: return ImGuiKey_UpArrow;
    case Qt::Key_Down: return ImGuiKey_DownArrow;
    case Qt::Key_PageUp: return ImGuiKey_PageUp;
    case Qt::Key_PageDown: return ImGuiKey_PageDown;
    case Qt::Key_Home: return ImGuiKey_Home;
    case Qt::Key_End: return ImGuiKey_End;
    case Qt::Key_Insert: return ImGuiKey_Insert;
    case Qt::Key_Delete: return ImGuiKey_Delete;
    case Qt::Key_Backspace: return ImGuiKey_Backspace;
    case Qt::Key_Space: return ImGuiKey_Space;
    case Qt::Key_Return: return ImGuiKey_Enter;
    case Qt::Key_Escape: return ImGuiKey_Escape;
    case Qt::Key_Enter: return ImGuiKey_KeyPadEnter;
    case Qt::Key_A: return ImGuiKey_A;
    case Qt::Key_C: return ImGuiKey_C;
    case Qt::Key_V: return ImGuiKey_V;
    case Qt::Key_X: return ImGuiKey_X;
    case Qt::Key_Y: return ImGuiKey_Y;
    case Qt::Key_Z: return ImGuiKey_Z;
    default: return -1;
  }
}

int mouseButton(Qt::MouseButton b) {
  switch (b) {
    case Qt::LeftButton: return 0;
    case Qt::RightButton: return 1;
    case Qt::MiddleButton: return 2;
    default: return -1;
  }
}

void setModifiers(ImGuiIO& io, Qt::KeyboardModifiers m) {
  io.KeyCtrl = m.testFlag(Qt::ControlModifier);
  io.KeyShift = m.testFlag(Qt::ShiftModifier);
  io.KeyAlt = m.testFlag(Qt::AltModifier);
  io.KeySuper = m.testFlag(Qt::MetaModifier);
}

}  // namespace

ImGuiBridge::ImGuiBridge() {
  ImGuiContext* previous = ImGui::GetCurrentContext();
  context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // Qt keeps the settings; no imgui.ini next to the binary
  io.BackendPlatformName = "scorescope_qt";
  for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;
  applyScorescopeStyle();
  clock_.start();
  if (previous) ImGui::SetCurrentContext(previous);
}

ImGuiBridge::~ImGuiBridge() {
  // releaseGl() must have run while the GL context was current; only the CPU side is left.
  ImGui::DestroyContext(context_);
}

void ImGuiBridge::makeCurrent() const { ImGui::SetCurrentContext(context_); }

void ImGuiBridge::initializeGl() {
  makeCurrent();
  if (glInitialized_) return;  // initializeGL may run again after a reparent
  ImGui_ImplOpenGL3_Init("#version 330 core");
  glInitialized_ = true;
}

void ImGuiBridge::releaseGl() {
  makeCurrent();
  if (!glInitialized_) return;
  ImGui_ImplOpenGL3_Shutdown();
  glInitialized_ = false;
}

void ImGuiBridge::newFrame(int widthPx, int heightPx, float devicePixelRatio) {
  makeCurrent();
  if (pendingScale_ != scale_) {
    // Between frames: the atlas may change now. When the backend already holds a texture of the
    // old atlas (a non-zero TexID), it is replaced; else ImGui_ImplOpenGL3_NewFrame makes the
    // first one from the new atlas.
    scale_ = pendingScale_;
    const bool hadTexture = ImGui::GetIO().Fonts->TexID != nullptr;
    if (glInitialized_ && hadTexture) ImGui_ImplOpenGL3_DestroyFontsTexture();
    applyScorescopeStyle(scale_);
    if (glInitialized_ && hadTexture) ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(widthPx), static_cast<float>(heightPx));
  io.DisplayFramebufferScale = ImVec2(devicePixelRatio, devicePixelRatio);
  const qint64 now = clock_.nsecsElapsed();
  io.DeltaTime = lastFrameNs_ == 0 ? 1.0f / 60.0f
                                   : std::max(1e-4f, static_cast<float>(now - lastFrameNs_) * 1e-9f);
  lastFrameNs_ = now;
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
}

void ImGuiBridge::render() {
  makeCurrent();
  ImGui::Render();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

bool ImGuiBridge::mousePress(const QMouseEvent& e) {
  makeCurrent();
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(static_cast<float>(e.position().x()), static_cast<float>(e.position().y()));
  setModifiers(io, e.modifiers());
  // Decide before the press reaches ImGui: it wants the mouse if the cursor is over a window.
  const bool wanted = io.WantCaptureMouse;
  const int b = mouseButton(e.button());
  if (b >= 0) io.MouseDown[b] = true;
  return wanted;
}

bool ImGuiBridge::mouseRelease(const QMouseEvent& e) {
  makeCurrent();
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(static_cast<float>(e.position().x()), static_cast<float>(e.position().y()));
  const bool wanted = io.WantCaptureMouse;
  const int b = mouseButton(e.button());
  if (b >= 0) io.MouseDown[b] = false;
  return wanted;
}

bool ImGuiBridge::mouseMove(const QMouseEvent& e) {
  makeCurrent();
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(static_cast<float>(e.position().x()), static_cast<float>(e.position().y()));
  return io.WantCaptureMouse;
}

bool ImGuiBridge::wheel(const QWheelEvent& e) {
  makeCurrent();
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(static_cast<float>(e.position().x()), static_cast<float>(e.position().y()));
  // Qt reports eighths of a degree; one notch (15 degrees) is one ImGui wheel unit.
  io.MouseWheel += static_cast<float>(e.angleDelta().y()) / 120.0f;
  io.MouseWheelH += static_cast<float>(e.angleDelta().x()) / 120.0f;
  return io.WantCaptureMouse;
}

bool ImGuiBridge::key(const QKeyEvent& e, bool down) {
  makeCurrent();
  ImGuiIO& io = ImGui::GetIO();
  setModifiers(io, e.modifiers());
  const int k = imguiKey(e.key());
  if (k >= 0) io.KeysDown[k] = down;
  if (down) {
    for (QChar c : e.text()) {
      if (c.isPrint()) io.AddInputCharacterUTF16(c.unicode());
    }
  }
  return io.WantCaptureKeyboard || io.WantTextInput;
}

void ImGuiBridge::focusOut() {
  makeCurrent();
  ImGuiIO& io = ImGui::GetIO();
  for (bool& d : io.KeysDown) d = false;
  for (bool& d : io.MouseDown) d = false;
  io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
}

bool ImGuiBridge::wantsKeyboard() const {
  makeCurrent();
  const ImGuiIO& io = ImGui::GetIO();
  return io.WantCaptureKeyboard || io.WantTextInput;
}

}  // namespace scorescope::gui
