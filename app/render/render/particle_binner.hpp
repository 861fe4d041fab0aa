#pragma once
// CPU splatting of many particles into an RGBA image (one bin per point-size square of pixels).
// A software rasteriser draws a few textured quads much faster than 10^5..10^6 separate points
// (PLATFORM.md: 100k GL_POINTS cost 18-25 ms on llvmpipe); binning 1M points costs a few ms.
// Each bin holds the count and the summed colour of the points in it; its output colour is the
// mean colour with coverage 1 - (1 - alpha)^count, which is what drawing `count` points of that
// alpha on top of each other would give. Output is premultiplied RGBA, row 0 at the top. GL-free.
#include <cstdint>
#include <vector>

#include "render/frame_data.hpp"

namespace scorescope::render {

class ParticleBinner {
 public:
  // Bins `layer` as seen through `view`, with square bins of binPx pixels. Batches of 200k
  // points or more are split over two threads (integer sums: same result as one thread).
  void bin(const ParticleLayer& layer, const View2D& view, int binPx);

  int columns() const { return columns_; }
  int rows() const { return rows_; }
  int binPx() const { return binPx_; }
  // columns() x rows() premultiplied RGBA8, row 0 = top of the viewport.
  const std::vector<Rgba8>& image() const { return image_; }
  // Points that fell inside the viewport at the last bin().
  std::size_t visibleCount() const { return visible_; }

 private:
  int columns_ = 0, rows_ = 0, binPx_ = 1;
  std::size_t visible_ = 0;
  // One record per bin so a point touches one cache line, not four arrays.
  struct Accumulator {
    std::uint32_t count, r, g, b;
  };
  std::vector<Accumulator> acc_, second_;
  // Batches this large are binned on two threads.
  static constexpr std::size_t kParallelThreshold = 200000;

  std::size_t accumulate(const ParticleLayer& layer, const View2D& view, std::size_t begin,
                         std::size_t end, std::vector<Accumulator>& acc) const;
  std::vector<Rgba8> image_;
};

}  // namespace scorescope::render
