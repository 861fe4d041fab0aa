#include "gui/number_text.hpp"

#include <cmath>
#include <cstdio>

namespace scorescope::gui {

std::string fixedText(double v, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  // A minus sign followed only by zeros (and the point) is a negative zero: drop the sign.
  if (buffer[0] == '-') {
    bool zero = true;
    for (const char* c = buffer + 1; *c; ++c) zero = zero && (*c == '0' || *c == '.');
    if (zero) return buffer + 1;
  }
  return buffer;
}

}  // namespace scorescope::gui
