#include "render/particle_binner.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <thread>

namespace scorescope::render {

std::size_t ParticleBinner::accumulate(const ParticleLayer& layer, const View2D& view, std::size_t begin,
                                       std::size_t end, std::vector<Accumulator>& acc) const {
  // pixel = (world - centre) / unitsPerPixel + half size; bin = pixel / binPx (y flipped).
  const double inv = 1.0 / (view.unitsPerPixel() * binPx_);
  const double cx = view.centre().x, cy = view.centre().y;
  const double ox = 0.5 * view.widthPx() / binPx_, oy = 0.5 * view.heightPx() / binPx_;
  // Label colours looked up in a small table (no modulo per point); labels outside it wrap.
  std::array<Rgba8, 64> colours{};
  for (int l = 0; l < 64; ++l) colours[static_cast<std::size_t>(l)] = classColour(l);
  std::size_t visible = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const double bx = (layer.xs[i] - cx) * inv + ox;
    const double by = oy - (layer.ys[i] - cy) * inv;
    if (!(bx >= 0.0 && by >= 0.0 && bx < columns_ && by < rows_)) continue;  // also drops NaN
    const std::size_t k = static_cast<std::size_t>(by) * static_cast<std::size_t>(columns_) +
                          static_cast<std::size_t>(bx);
    const Rgba8 c = !layer.labels ? layer.colour
                    : static_cast<unsigned>(layer.labels[i]) < 64u
                        ? colours[static_cast<std::size_t>(layer.labels[i])]
                        : classColour(layer.labels[i]);
    Accumulator& a = acc[k];
    ++a.count;
    a.r += c.r;
    a.g += c.g;
    a.b += c.b;
    ++visible;
  }
  return visible;
}

void ParticleBinner::bin(const ParticleLayer& layer, const View2D& view, int binPx) {
  binPx_ = std::max(1, binPx);
  columns_ = (view.widthPx() + binPx_ - 1) / binPx_;
  rows_ = (view.heightPx() + binPx_ - 1) / binPx_;
  const std::size_t bins = static_cast<std::size_t>(columns_) * static_cast<std::size_t>(rows_);
  acc_.assign(bins, Accumulator{0, 0, 0, 0});
  image_.assign(bins, Rgba8{0, 0, 0, 0});
  visible_ = 0;

  // Large batches are split in two halves accumulated on two threads into separate grids and
  // summed: the counts are integers, so the result does not depend on the split.
  const std::size_t half = layer.count >= kParallelThreshold ? layer.count / 2 : layer.count;
  if (half < layer.count) {
    second_.assign(bins, Accumulator{0, 0, 0, 0});
    std::size_t visibleSecond = 0;
    std::thread worker([&] { visibleSecond = accumulate(layer, view, half, layer.count, second_); });
    visible_ = accumulate(layer, view, 0, half, acc_);
    worker.join();
    visible_ += visibleSecond;
    for (std::size_t k = 0; k < bins; ++k) {
      acc_[k].count += second_[k].count;
      acc_[k].r += second_[k].r;
      acc_[k].g += second_[k].g;
      acc_[k].b += second_[k].b;
    }
  } else {
    visible_ = accumulate(layer, view, 0, layer.count, acc_);
  }

  // Coverage of n stacked points, tabulated: (1 - alpha)^n reaches ~0 long before 256.
  const double alpha = std::clamp(static_cast<double>(layer.alpha), 0.0, 1.0);
  std::array<double, 257> coverage{};
  for (int n = 0; n <= 256; ++n) coverage[static_cast<std::size_t>(n)] = 1.0 - std::pow(1.0 - alpha, n);
  for (std::size_t k = 0; k < bins; ++k) {
    const Accumulator& acc = acc_[k];
    const std::uint32_t n = acc.count;
    if (n == 0) continue;
    const double a = coverage[std::min<std::uint32_t>(n, 256)];
    const double scale = a / n;  // mean colour, premultiplied
    image_[k] = {static_cast<std::uint8_t>(std::lround(acc.r * scale)),
                 static_cast<std::uint8_t>(std::lround(acc.g * scale)),
                 static_cast<std::uint8_t>(std::lround(acc.b * scale)),
                 static_cast<std::uint8_t>(std::lround(a * 255.0))};
  }
}

}  // namespace scorescope::render
