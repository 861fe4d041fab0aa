#include "scorescope/rng.hpp"

#include <cmath>
#include <numbers>

namespace scorescope {
namespace {

// SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijective avalanche mix of 64 bits.
constexpr std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ull;

double toUnitOpen(std::uint64_t bits) {
  // 53 random bits, shifted by half an ulp so the result lies in (0, 1).
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
}

}  // namespace

CounterRng CounterRng::derive(std::uint64_t tag) const {
  return CounterRng(mix(seed_ ^ mix(tag + kGolden)) + kGolden);
}

std::uint64_t CounterRng::bits(std::uint64_t stream, std::uint64_t index) const {
  const std::uint64_t key = mix(seed_ + kGolden * (stream + 1));
  return mix(mix(key ^ (index * 0xD1B54A32D192ED03ull)) + kGolden);
}

double CounterRng::uniform(std::uint64_t stream, std::uint64_t index) const {
  return toUnitOpen(bits(stream, index));
}

Eigen::Vector2d CounterRng::normal2(std::uint64_t stream, std::uint64_t index) const {
  const std::uint64_t first = bits(stream, index);
  const double u1 = toUnitOpen(first);
  const double u2 = toUnitOpen(mix(first ^ kGolden));
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  return {radius * std::cos(angle), radius * std::sin(angle)};
}

Points CounterRng::normals(Eigen::Index n, std::uint64_t stream) const {
  Points z(n, 2);
#pragma omp parallel for schedule(static) if (n > 4096)
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::Vector2d v = normal2(stream, static_cast<std::uint64_t>(i));
    z(i, 0) = v.x();
    z(i, 1) = v.y();
  }
  return z;
}

Eigen::VectorXd CounterRng::uniforms(Eigen::Index n, std::uint64_t stream) const {
  Eigen::VectorXd u(n);
  for (Eigen::Index i = 0; i < n; ++i) u(i) = uniform(stream, static_cast<std::uint64_t>(i));
  return u;
}

}  // namespace scorescope
