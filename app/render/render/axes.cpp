#include "render/axes.hpp"

#include <cmath>

namespace scorescope::render {

double niceStep(double wanted) {
  if (!(wanted > 0.0)) return 1.0;
  const double power = std::pow(10.0, std::floor(std::log10(wanted)));
  const double m = wanted / power;
  const double nice = m <= 1.0 ? 1.0 : m <= 2.0 ? 2.0 : m <= 5.0 ? 5.0 : 10.0;
  return nice * power;
}

Ticks makeTicks(const View2D& view, double targetPixels) {
  Ticks t;
  t.step = niceStep(targetPixels * view.unitsPerPixel());
  const WorldRect r = view.visibleRect();
  for (double x = std::ceil(r.xMin / t.step) * t.step; x <= r.xMax; x += t.step) {
    t.xs.push_back(std::abs(x) < 1e-9 * t.step ? 0.0 : x);
  }
  for (double y = std::ceil(r.yMin / t.step) * t.step; y <= r.yMax; y += t.step) {
    t.ys.push_back(std::abs(y) < 1e-9 * t.step ? 0.0 : y);
  }
  return t;
}

std::vector<Segment> makeGridSegments(const View2D& view, const Ticks& ticks) {
  const WorldRect r = view.visibleRect();
  const Rgba8 minor{255, 255, 255, 18}, axis{255, 255, 255, 60};
  std::vector<Segment> s;
  auto f = [](double v) { return static_cast<float>(v); };
  for (double x : ticks.xs) {
    const Rgba8 c = x == 0.0 ? axis : minor;
    s.push_back({f(x), f(r.yMin), f(x), f(r.yMax), c, c});
  }
  for (double y : ticks.ys) {
    const Rgba8 c = y == 0.0 ? axis : minor;
    s.push_back({f(r.xMin), f(y), f(r.xMax), f(y), c, c});
  }
  return s;
}

}  // namespace scorescope::render
