#pragma once
// Numbers as the screen shows them. printf prints a value that rounds to zero from below as
// "-0.000" (s(t) at t = 0 is a tiny negative rounding error of sqrt(1 - a^2)); a lecture hall
// reads that as a sign that means something. These never print a negative zero.
#include <string>

namespace scorescope::gui {

// v with `decimals` digits after the point ("%.*f"), "0.000" for anything that rounds to zero.
std::string fixedText(double v, int decimals);

}  // namespace scorescope::gui
