#pragma once
// The four parametrizations of one model (docs/math.md). With a = a(t), s = s(t) and x = a x0 + s eps:
//   score  grad log p_t(x) = (a D(x) - x) / s^2 = -eps_hat(x) / s
//   denoiser (Tweedie)  D(x) = E[x0 | x_t = x] = (x - s eps_hat) / a
//   noise   eps_hat = -s score
//   velocity  v = a eps - s x0   (Salimans & Ho 2022; for a^2 + s^2 != 1 inverted exactly below)
// Each function converts a batch; they are exact inverses of each other.
#include <string_view>

#include "scorescope/points.hpp"

namespace scorescope {

enum class Parametrization { Score, Denoiser, Noise, Velocity };

std::string_view parametrizationName(Parametrization p);

Points noiseFromScore(const Points& score, double s);
Points scoreFromNoise(const Points& eps, double s);
Points denoiserFromNoise(const Points& x, const Points& eps, double a, double s);
Points noiseFromDenoiser(const Points& x, const Points& denoised, double a, double s);
Points denoiserFromScore(const Points& x, const Points& score, double a, double s);
Points scoreFromDenoiser(const Points& x, const Points& denoised, double a, double s);
Points velocityFromNoiseAndDenoiser(const Points& eps, const Points& denoised, double a, double s);
// Solves x = a x0 + s eps, v = a eps - s x0 for (x0, eps).
Points denoiserFromVelocity(const Points& x, const Points& v, double a, double s);
Points noiseFromVelocity(const Points& x, const Points& v, double a, double s);

// Converts a model output given in `from` into the score.
Points toScore(Parametrization from, const Points& x, const Points& output, double a, double s);
// Converts a score into the output a model in parametrization `to` would give.
Points fromScore(Parametrization to, const Points& x, const Points& score, double a, double s);

}  // namespace scorescope
