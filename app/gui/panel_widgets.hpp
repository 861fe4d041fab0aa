#pragma once
// The small pieces every panel uses: sliders and combos over the scene's own types, and the
// record of what was drawn. Each widget is recorded with its screen rectangle and the scene
// fields (paths from visitSceneFields, or prefixes of them) it may change, so tests can drive
// every widget with real mouse events and check that nothing else moved.
#include <QRectF>
#include <array>
#include <string>
#include <vector>

namespace scorescope::gui {

struct WidgetRecord {
  std::string name;
  QRectF rect;  // window logical pixels
  std::vector<std::string> fields;  // scene field paths or prefixes this widget may change
};

class WidgetLog {
 public:
  void clear() { widgets_.clear(); }
  // Records the last ImGui item.
  void add(std::string name, std::vector<std::string> fields);
  const std::vector<WidgetRecord>& widgets() const { return widgets_; }
  QRectF rect(const std::string& name) const;

 private:
  std::vector<WidgetRecord> widgets_;
};

bool comboIndex(const char* label, int& index, const char* const* names, int count);
bool sliderDouble(const char* label, double& v, double lo, double hi, const char* format, bool log = false);

template <typename Enum, std::size_t N>
bool enumCombo(const char* label, Enum& value, const std::array<Enum, N>& values,
               const std::array<const char*, N>& names) {
  int i = 0;
  for (std::size_t k = 0; k < N; ++k) {
    if (values[k] == value) i = static_cast<int>(k);
  }
  const bool changed = comboIndex(label, i, names.data(), static_cast<int>(N));
  if (changed) value = values[static_cast<std::size_t>(i)];
  return changed;
}
}  // namespace scorescope::gui
