#include "gui/imgui_style.hpp"

#include <imgui.h>

#include <QFile>

namespace scorescope::gui {

void applyScorescopeStyle() {
  ImGui::StyleColorsDark();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowRounding = 6.0f;
  s.FrameRounding = 4.0f;
  s.GrabRounding = 4.0f;
  s.WindowBorderSize = 0.0f;
  s.FramePadding = ImVec2(6.0f, 4.0f);
  s.ItemSpacing = ImVec2(8.0f, 6.0f);
  ImVec4* c = s.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.08f, 0.09f, 0.12f, 0.88f);
  c[ImGuiCol_TitleBg] = ImVec4(0.10f, 0.12f, 0.17f, 1.0f);
  c[ImGuiCol_TitleBgActive] = ImVec4(0.13f, 0.18f, 0.27f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.15f, 0.18f, 0.24f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.20f, 0.26f, 0.36f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.24f, 0.32f, 0.45f, 1.0f);
  c[ImGuiCol_SliderGrab] = ImVec4(0.35f, 0.62f, 0.90f, 1.0f);
  c[ImGuiCol_SliderGrabActive] = ImVec4(0.50f, 0.75f, 1.00f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.18f, 0.27f, 0.40f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.25f, 0.38f, 0.56f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.30f, 0.46f, 0.68f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.18f, 0.27f, 0.40f, 1.0f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.25f, 0.38f, 0.56f, 1.0f);
  c[ImGuiCol_CheckMark] = ImVec4(0.50f, 0.78f, 1.00f, 1.0f);

  // A system TrueType font when present (Debian's fonts-dejavu-core), else the built-in one.
  ImGuiIO& io = ImGui::GetIO();
  const char* path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  if (QFile::exists(path)) {
    io.Fonts->AddFontFromFileTTF(path, 16.0f);
  } else {
    io.Fonts->AddFontDefault();
  }
}

}  // namespace scorescope::gui
