#include "scorescope/parametrization.hpp"

#include <stdexcept>

namespace scorescope {

std::string_view parametrizationName(Parametrization p) {
  switch (p) {
    case Parametrization::Score: return "score";
    case Parametrization::Denoiser: return "denoiser";
    case Parametrization::Noise: return "eps";
    case Parametrization::Velocity: return "velocity";
  }
  throw std::logic_error("parametrizationName(): unknown parametrization");
}

Points noiseFromScore(const Points& score, double s) { return -s * score; }
Points scoreFromNoise(const Points& eps, double s) { return -eps / s; }

Points denoiserFromNoise(const Points& x, const Points& eps, double a, double s) {
  return (x - s * eps) / a;
}
Points noiseFromDenoiser(const Points& x, const Points& denoised, double a, double s) {
  return (x - a * denoised) / s;
}

Points denoiserFromScore(const Points& x, const Points& score, double a, double s) {
  return (x + s * s * score) / a;
}
Points scoreFromDenoiser(const Points& x, const Points& denoised, double a, double s) {
  return (a * denoised - x) / (s * s);
}

Points velocityFromNoiseAndDenoiser(const Points& eps, const Points& denoised, double a, double s) {
  return a * eps - s * denoised;
}
// [x; v] = [[a, s], [-s, a]] [x0; eps], determinant a^2 + s^2.
Points denoiserFromVelocity(const Points& x, const Points& v, double a, double s) {
  return (a * x - s * v) / (a * a + s * s);
}
Points noiseFromVelocity(const Points& x, const Points& v, double a, double s) {
  return (s * x + a * v) / (a * a + s * s);
}

Points toScore(Parametrization from, const Points& x, const Points& output, double a, double s) {
  switch (from) {
    case Parametrization::Score: return output;
    case Parametrization::Denoiser: return scoreFromDenoiser(x, output, a, s);
    case Parametrization::Noise: return scoreFromNoise(output, s);
    case Parametrization::Velocity: return scoreFromNoise(noiseFromVelocity(x, output, a, s), s);
  }
  throw std::logic_error("toScore(): unknown parametrization");
}

Points fromScore(Parametrization to, const Points& x, const Points& score, double a, double s) {
  switch (to) {
    case Parametrization::Score: return score;
    case Parametrization::Denoiser: return denoiserFromScore(x, score, a, s);
    case Parametrization::Noise: return noiseFromScore(score, s);
    case Parametrization::Velocity:
      return velocityFromNoiseAndDenoiser(noiseFromScore(score, s), denoiserFromScore(x, score, a, s),
                                          a, s);
  }
  throw std::logic_error("fromScore(): unknown parametrization");
}

}  // namespace scorescope
