#pragma once
// Display scaling of a log-density grid (log p_t values the core computed) to [0, 1]:
//   Linear: p / max p           (shows where the mass is; modes stand out)
//   Log:    1 + (log p - max log p) / decades*ln(10), clamped at 0   (shows the tails too)
// GL-free.
#include <cstddef>
#include <vector>

namespace scorescope::render {

enum class DensityScale { Linear, Log };

std::vector<float> scaleLogDensity(const double* logDensity, std::size_t count, DensityScale scale,
                                   double decades = 4.0);

}  // namespace scorescope::render
