#pragma once
// Built-in toy targets, all seeded and reproducible. gmm8-ring is a labelled Gaussian mixture
// (exact in closed form); the others are point sets generated procedurally and used as
// EmpiricalSet targets, labelled by their natural parts (moon, ring, arm, square colour...).
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "scorescope/points.hpp"
#include "scorescope/target.hpp"

namespace scorescope {

struct PointSet {
  Points points;
  Labels labels;
};

// Each generator returns n points (three-points always returns its 3) from `seed`.
PointSet makeTwoMoons(int n, double noise, std::uint64_t seed);
PointSet makeSwissRoll(int n, double noise, std::uint64_t seed);
PointSet makeRings(int n, double noise, std::uint64_t seed);
PointSet makeCheckerboard(int n, std::uint64_t seed);
PointSet makeSpirals(int n, double noise, std::uint64_t seed);
PointSet makeThreePoints();

// Eight Gaussians (std 0.25) on a circle of radius 3, equal weights, label = index (0..7).
std::unique_ptr<Target> makeGmm8Ring();

// Every preset name, in menu order.
inline constexpr std::array<std::string_view, 7> kPresetNames = {
    "gmm8-ring", "two-moons", "swiss-roll", "rings", "checkerboard", "spirals", "three-points"};

// Builds the preset called `name` (one of kPresetNames). Returns nullptr for an unknown name (the caller reports presetNames()).
std::unique_ptr<Target> makePreset(std::string_view name, std::uint64_t seed = 0);
std::string presetNames();

}  // namespace scorescope
