#pragma once
// Counter-based random numbers: every variate is a pure function of (seed, stream, index), so a
// batch gives the same numbers whatever the thread count or the split into blocks. A sampler
// derives one stream per step (and per purpose) and draws row i of its noise from index i.
#include <cstdint>

#include "scorescope/points.hpp"

namespace scorescope {

class CounterRng {
 public:
  explicit CounterRng(std::uint64_t seed = 0) : seed_(seed) {}

  std::uint64_t seed() const { return seed_; }

  // A child generator whose numbers are independent of this one's; `tag` names the purpose
  // (for example a sampler step), so streams never collide by accident of arithmetic.
  CounterRng derive(std::uint64_t tag) const;

  // 64 random bits for (stream, index).
  std::uint64_t bits(std::uint64_t stream, std::uint64_t index) const;
  // Uniform in (0, 1), never exactly 0 or 1.
  double uniform(std::uint64_t stream, std::uint64_t index) const;
  // Two independent standard normals (Box-Muller on two uniforms of this counter).
  Eigen::Vector2d normal2(std::uint64_t stream, std::uint64_t index) const;

  // n x 2 standard normals; row i is normal2(stream, i). Parallel over rows.
  Points normals(Eigen::Index n, std::uint64_t stream) const;
  // n uniforms; entry i is uniform(stream, i).
  Eigen::VectorXd uniforms(Eigen::Index n, std::uint64_t stream) const;

 private:
  std::uint64_t seed_;
};

}  // namespace scorescope
