#include "render/colormap.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace scorescope::render {
namespace {

struct Stop {
  double at;
  double r, g, b;  // sRGB 0..1
};

double toLinear(double c) { return std::pow(c, 2.2); }
double toSrgb(double c) { return std::pow(std::clamp(c, 0.0, 1.0), 1.0 / 2.2); }

std::vector<Stop> stops(ColormapKind kind) {
  switch (kind) {
    case ColormapKind::Ice:
      return {{0.00, 0.055, 0.067, 0.090}, {0.25, 0.070, 0.160, 0.330}, {0.50, 0.090, 0.370, 0.600},
              {0.75, 0.250, 0.660, 0.760}, {1.00, 0.840, 0.960, 0.980}};
    case ColormapKind::Ember:
      return {{0.00, 0.600, 0.450, 0.300}, {0.40, 0.950, 0.550, 0.150}, {0.75, 1.000, 0.800, 0.250},
              {1.00, 1.000, 0.980, 0.850}};
    case ColormapKind::Magma:
      return {{0.00, 0.055, 0.067, 0.090}, {0.25, 0.230, 0.060, 0.440}, {0.50, 0.620, 0.160, 0.450},
              {0.75, 0.960, 0.440, 0.280}, {1.00, 0.990, 0.950, 0.700}};
  }
  throw std::logic_error("makeColormap(): unknown colormap kind");
}

std::uint8_t byte(double v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0)); }

}  // namespace

std::vector<Rgba8> makeColormap(ColormapKind kind) {
  const std::vector<Stop> s = stops(kind);
  std::vector<Rgba8> table(256);
  for (int i = 0; i < 256; ++i) {
    const double v = i / 255.0;
    std::size_t k = 1;
    while (k + 1 < s.size() && s[k].at < v) ++k;
    const double u = std::clamp((v - s[k - 1].at) / (s[k].at - s[k - 1].at), 0.0, 1.0);
    auto mix = [&](double a, double b) { return toSrgb((1.0 - u) * toLinear(a) + u * toLinear(b)); };
    table[static_cast<std::size_t>(i)] = {byte(mix(s[k - 1].r, s[k].r)), byte(mix(s[k - 1].g, s[k].g)),
                                          byte(mix(s[k - 1].b, s[k].b)), 255};
  }
  return table;
}

std::vector<Rgba8> colouriseDensity(const float* values, std::size_t count, const std::vector<Rgba8>& table) {
  std::vector<Rgba8> out(count);
  const double last = static_cast<double>(table.size() - 1);
  for (std::size_t k = 0; k < count; ++k) {
    const double v = std::clamp(static_cast<double>(values[k]), 0.0, 1.0);
    Rgba8 c = table[static_cast<std::size_t>(std::lround(v * last))];
    c.a = byte(v);
    out[k] = c;
  }
  return out;
}

const std::array<Rgba8, 10>& classPalette() {
  // Hues spread around the wheel, similar lightness, chosen to stay distinct on dark blue.
  static const std::array<Rgba8, 10> palette = {{{255, 99, 99, 255},
                                                  {255, 170, 60, 255},
                                                  {240, 225, 80, 255},
                                                  {120, 220, 110, 255},
                                                  {70, 215, 200, 255},
                                                  {90, 160, 255, 255},
                                                  {175, 120, 255, 255},
                                                  {250, 110, 210, 255},
                                                  {200, 200, 200, 255},
                                                  {150, 230, 255, 255}}};
  return palette;
}

Rgba8 classColour(int label) {
  const auto& p = classPalette();
  const int n = static_cast<int>(p.size());
  return p[static_cast<std::size_t>(((label % n) + n) % n)];
}

}  // namespace scorescope::render
