#include "gui/panel_widgets.hpp"

#include <imgui.h>

namespace scorescope::gui {

void WidgetLog::add(std::string name, std::vector<std::string> fields) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  widgets_.push_back({std::move(name), QRectF(a.x, a.y, b.x - a.x, b.y - a.y), std::move(fields)});
}

QRectF WidgetLog::rect(const std::string& name) const {
  for (const WidgetRecord& w : widgets_) {
    if (w.name == name) return w.rect;
  }
  return {};
}

bool comboIndex(const char* label, int& index, const char* const* names, int count) {
  return ImGui::Combo(label, &index, names, count);
}

bool sliderDouble(const char* label, double& v, double lo, double hi, const char* format, bool log) {
  float f = static_cast<float>(v);
  const bool changed = ImGui::SliderFloat(label, &f, static_cast<float>(lo), static_cast<float>(hi), format,
                                          ImGuiSliderFlags_AlwaysClamp | (log ? ImGuiSliderFlags_Logarithmic : 0));
  if (changed) v = f;
  return changed;
}

}  // namespace scorescope::gui
