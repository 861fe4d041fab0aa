#pragma once
// The equation overlay: the update rule the canvas is animating, in the notation of the lecture
// (αₜ, σₜ, ∇ₓ log pₜ(x), η, γ, ε_θ), and a line with its current numbers (t, the step size, the
// guidance scale ...). Every formula string lives here, so the wording is checked in one place
// and the numbers can be tested without a window. The strings are UTF-8; the panel font's atlas
// holds their glyphs (imgui_style.cpp lists the ranges).
#include <string>
#include <vector>

#include "scorescope/scene.hpp"

namespace scorescope::gui {

// The overlay's lines for `scene` at the displayed time t (lessons 1-2 and 6: the time slider;
// lessons 3-5: the time of the step on show). The formulas come first, the numbers last.
std::vector<std::string> equationLines(const Scene& scene, double t);

// The annealed-Langevin level on show at time t: the noise level σ_l = σ(t_l) of the level whose
// time is nearest t, and its step size η_l = ε σ_l² / σ_L² (the rule sampleAnnealedLangevin uses).
struct AnnealedLevel {
  int index = 0, count = 1;  // 1-based level l of L
  double sigma = 0.0, stepSize = 0.0;
};
AnnealedLevel annealedLevelAt(const SamplerSettings& sampler, ProcessKind process, double t);

}  // namespace scorescope::gui
