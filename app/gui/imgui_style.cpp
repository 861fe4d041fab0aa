#include "gui/imgui_style.hpp"

#include <imgui.h>

#include <QFile>
#include <cmath>

namespace scorescope::gui {
namespace {

// The code points the panels and overlays write (pairs of first, last; ImGui keeps the pointer).
const ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF,  // Basic Latin and Latin-1 (·, ², ½, ×)
    0x0300, 0x036F,  // combining marks: x̂ (hat), ε̃ (tilde), w̄ (bar)
    0x0370, 0x03FF,  // Greek: α σ ε η γ θ ς ∇'s neighbours
    0x2010, 0x2027,  // dashes, ‖, …
    0x2070, 0x209F,  // superscripts and subscripts: ² ⁻ ₀ ₜ ₓ ₛ
    0x2190, 0x21FF,  // arrows: ←
    0x2200, 0x22FF,  // mathematical operators: ∇ √ − ∫ ≈ ∈
    0,
};

void applyColours(ImGuiStyle& s) {
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
}

}  // namespace

float scaledPx(float px) { return px * ImGui::GetFontSize() / kBaseFontPx; }

void applyScorescopeStyle(float uiScale) {
  // Sizes start from ImGui's defaults every time, so scaling twice does not compound.
  ImGuiStyle& s = ImGui::GetStyle();
  s = ImGuiStyle();
  ImGui::StyleColorsDark();
  s.WindowRounding = 6.0f;
  s.FrameRounding = 4.0f;
  s.GrabRounding = 4.0f;
  s.WindowBorderSize = 0.0f;
  s.FramePadding = ImVec2(6.0f, 4.0f);
  s.ItemSpacing = ImVec2(8.0f, 6.0f);
  applyColours(s);
  s.ScaleAllSizes(uiScale);

  // A system TrueType font when present (Debian's fonts-dejavu-core), else the built-in one.
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const char* path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  if (QFile::exists(path)) {
    ImFontConfig config;
    // Whole pixels and no horizontal oversampling above 1x: a 32-48 px glyph is crisp on its own,
    // and 3x oversampling would triple an atlas that already holds ~900 glyphs.
    config.OversampleH = uiScale > 1.0f ? 1 : 2;
    config.PixelSnapH = uiScale > 1.0f;
    io.Fonts->AddFontFromFileTTF(path, std::round(kBaseFontPx * uiScale), &config, kGlyphRanges);
  } else {
    ImFontConfig config;
    config.SizePixels = std::round(13.0f * uiScale);
    io.Fonts->AddFontDefault(&config);
  }
}

}  // namespace scorescope::gui
