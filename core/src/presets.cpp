#include "scorescope/presets.hpp"

#include <cmath>
#include <numbers>

#include "scorescope/empirical_set.hpp"
#include "scorescope/gaussian_mixture.hpp"

namespace scorescope {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kPresetPoints = 500;

// Adds isotropic Gaussian jitter of standard deviation `noise` from stream 9 of `rng`.
void jitter(Points& points, double noise, const CounterRng& rng) {
  if (noise > 0.0) points += noise * rng.normals(points.rows(), 9);
}

}  // namespace

PointSet makeTwoMoons(int n, double noise, std::uint64_t seed) {
  const CounterRng rng(seed);
  PointSet set{Points(n, 2), Labels(n)};
  for (int i = 0; i < n; ++i) {
    const double theta = kPi * rng.uniform(1, static_cast<std::uint64_t>(i));
    const int moon = i % 2;
    // The classic interleaved moons on [-1, 2] x [-0.5, 1], centred and scaled by 2.
    const double x = moon == 0 ? std::cos(theta) : 1.0 - std::cos(theta);
    const double y = moon == 0 ? std::sin(theta) : 0.5 - std::sin(theta);
    set.points.row(i) << 2.0 * (x - 0.5), 2.0 * (y - 0.25);
    set.labels(i) = moon;
  }
  jitter(set.points, noise, rng);
  return set;
}

PointSet makeSwissRoll(int n, double noise, std::uint64_t seed) {
  const CounterRng rng(seed);
  PointSet set{Points(n, 2), Labels(n)};
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform(1, static_cast<std::uint64_t>(i));
    const double theta = 1.5 * kPi * (1.0 + 2.0 * u);
    set.points.row(i) << theta * std::cos(theta) / 4.0, theta * std::sin(theta) / 4.0;
    set.labels(i) = u < 0.5 ? 0 : 1;  // inner and outer half of the roll
  }
  jitter(set.points, noise, rng);
  return set;
}

PointSet makeRings(int n, double noise, std::uint64_t seed) {
  const CounterRng rng(seed);
  PointSet set{Points(n, 2), Labels(n)};
  for (int i = 0; i < n; ++i) {
    const int ring = i % 2;
    const double radius = ring == 0 ? 1.25 : 3.0;
    const double theta = 2.0 * kPi * rng.uniform(1, static_cast<std::uint64_t>(i));
    set.points.row(i) << radius * std::cos(theta), radius * std::sin(theta);
    set.labels(i) = ring;
  }
  jitter(set.points, noise, rng);
  return set;
}

PointSet makeCheckerboard(int n, std::uint64_t seed) {
  // A 4 x 4 board on [-4, 4]^2; points fill the 8 cells with (column + row) even, labelled by
  // the parity of their column.
  const CounterRng rng(seed);
  PointSet set{Points(n, 2), Labels(n)};
  for (int i = 0; i < n; ++i) {
    const auto index = static_cast<std::uint64_t>(i);
    const int cell = static_cast<int>(rng.bits(3, index) % 8);
    const int row = cell / 2;
    const int column = 2 * (cell % 2) + (row % 2);
    set.points.row(i) << -4.0 + 2.0 * (column + rng.uniform(1, index)),
        -4.0 + 2.0 * (row + rng.uniform(2, index));
    set.labels(i) = column % 2;
  }
  return set;
}

PointSet makeSpirals(int n, double noise, std::uint64_t seed) {
  const CounterRng rng(seed);
  PointSet set{Points(n, 2), Labels(n)};
  for (int i = 0; i < n; ++i) {
    const int arm = i % 2;
    const double u = std::sqrt(rng.uniform(1, static_cast<std::uint64_t>(i)));  // even density
    const double theta = 3.0 * kPi * u + arm * kPi;
    const double radius = 3.5 * u;
    set.points.row(i) << radius * std::cos(theta), radius * std::sin(theta);
    set.labels(i) = arm;
  }
  jitter(set.points, noise, rng);
  return set;
}

PointSet makeThreePoints() {
  PointSet set{Points(3, 2), Labels(3)};
  set.points << -2.0, -1.0, 2.0, -1.0, 0.0, 2.0;
  set.labels << 0, 1, 2;
  return set;
}

std::unique_ptr<Target> makeGmm8Ring() {
  std::vector<MixtureComponent> components;
  for (int k = 0; k < 8; ++k) {
    const double angle = 2.0 * kPi * k / 8.0;
    components.push_back({1.0, Eigen::Vector2d(3.0 * std::cos(angle), 3.0 * std::sin(angle)),
                          0.0625 * Eigen::Matrix2d::Identity(), k});
  }
  return std::make_unique<GaussianMixture>(std::move(components));
}

std::unique_ptr<Target> makePreset(std::string_view name, std::uint64_t seed) {
  auto fromSet = [](PointSet set) -> std::unique_ptr<Target> {
    return std::make_unique<EmpiricalSet>(std::move(set.points), std::move(set.labels));
  };
  if (name == "gmm8-ring") return makeGmm8Ring();
  if (name == "two-moons") return fromSet(makeTwoMoons(kPresetPoints, 0.05, seed));
  if (name == "swiss-roll") return fromSet(makeSwissRoll(kPresetPoints, 0.05, seed));
  if (name == "rings") return fromSet(makeRings(kPresetPoints, 0.05, seed));
  if (name == "checkerboard") return fromSet(makeCheckerboard(kPresetPoints, seed));
  if (name == "spirals") return fromSet(makeSpirals(kPresetPoints, 0.05, seed));
  if (name == "three-points") return fromSet(makeThreePoints());
  return nullptr;
}

std::string presetNames() {
  std::string names;
  for (std::string_view name : kPresetNames) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

}  // namespace scorescope
