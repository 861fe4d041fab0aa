#pragma once
// Median and 95th percentile of frame times (nearest-rank on the sorted sample).
#include <vector>

namespace scorescope::gui {

struct FrameStats {
  double median = 0.0;
  double p95 = 0.0;
};
FrameStats frameStats(std::vector<double> samples);

}  // namespace scorescope::gui
