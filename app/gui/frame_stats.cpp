#include "gui/frame_stats.hpp"

#include <algorithm>
#include <cmath>

namespace scorescope::gui {

FrameStats frameStats(std::vector<double> samples) {
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end());
  const std::size_t n = samples.size();
  const double median = n % 2 == 1 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
  const auto rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(n)));
  return {median, samples[std::clamp<std::size_t>(rank, 1, n) - 1]};
}

}  // namespace scorescope::gui
