#include "render/density_image.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace scorescope::render {

std::vector<float> scaleLogDensity(const double* logDensity, std::size_t count, DensityScale scale,
                                   double decades) {
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < count; ++k) {
    if (std::isfinite(logDensity[k])) top = std::max(top, logDensity[k]);
  }
  std::vector<float> out(count, 0.0f);
  if (!std::isfinite(top)) return out;
  const double range = decades * std::log(10.0);
  for (std::size_t k = 0; k < count; ++k) {
    const double d = logDensity[k] - top;  // <= 0
    const double v = scale == DensityScale::Linear ? std::exp(d) : 1.0 + d / range;
    out[k] = std::isfinite(v) ? static_cast<float>(std::clamp(v, 0.0, 1.0)) : 0.0f;
  }
  return out;
}

}  // namespace scorescope::render
