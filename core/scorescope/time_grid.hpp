#pragma once
// Time grids for samplers: descending vectors t_0 = 1 > t_1 > ... > t_N = t_end.
// A k-diffusion style schedule: a function returning the noise levels; samplers just walk them.
#include <string_view>
#include <vector>

#include "scorescope/process.hpp"

namespace scorescope {

enum class GridSpacing {
  Uniform,  // equal steps in t (for DDPM: strided k, as in DDIM's respacing)
  Karras,   // EDM noise levels sigma = s/a spaced with rho = 7, mapped back to t
};

// The sampler noise floor: continuous samplers stop at the t where s(t)/a(t) equals this.
inline constexpr double kMinNoiseLevel = 0.01;

// Smallest useful t of a process: where s/a = kMinNoiseLevel (VP ~1e-3, OU ~1e-5, VE 0).
double defaultTMin(const Process& process);
// The t in [0, 1] with s(t)/a(t) = sigma (clamped to the ends); s/a increases with t.
double timeForNoiseLevel(const Process& process, double sigma);

// NCSN levels (annealed Langevin, and the levels an NCSN network is trained on): `levels` times
// from 1 down to tEnd whose noise levels s/a are geometric from s(1)/a(1) to s(tEnd)/a(tEnd).
std::vector<double> geometricLevelTimes(const Process& process, int levels, double tEnd);

// N + 1 descending times from 1 to tEnd whose noise levels s/a follow karrasSigmas (rho = 7),
// not rounded to a DDPM grid (continuous-time integrals such as the likelihood use these).
std::vector<double> karrasTimes(const Process& process, int steps, double tEnd);

// N + 1 descending times from 1 to tEnd. Discrete processes round every time to a grid k/T
// (and never repeat one), so DDPM with N < T steps is the strided sampler of Nichol & Dhariwal.
std::vector<double> makeTimeGrid(const Process& process, int steps, double tEnd,
                                 GridSpacing spacing = GridSpacing::Uniform);

}  // namespace scorescope
