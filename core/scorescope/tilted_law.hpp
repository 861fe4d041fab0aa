#pragma once
// Guidance as tempering (docs/math.md, "Guidance as tempering").
//
// Classifier guidance with scale gamma follows the score grad log p_t(x) + gamma grad log p_t(y|x),
// the score of the unnormalised p_t(x) p_t(y|x)^gamma at every t. The law one would like to
// sample is the tilted data law q_0(x) = p_0(x) p_0(y|x)^gamma / Z. Noising q_0 with the forward
// kernel gives q_t, whose score is NOT the guided score: with
//   Z_t(x) := p_t(x) p_t(y|x)^gamma / q_t(x)
// the gap is grad log Z_t(x) = guided score - grad log q_t(x). At gamma = 0 or 1 Z_t is a
// constant (q_t = p_t or p_t(x|y)) and guidance is exact; for any other gamma it is not, which is
// why guided samples are not draws of q_0. q_0 has no closed form, so it is tabulated on a grid.
#include <memory>

#include "scorescope/process.hpp"
#include "scorescope/rng.hpp"
#include "scorescope/target.hpp"

namespace scorescope {

// log p_t(x) + gamma log p_t(y | x) of a labelled target: the log of the unnormalised density
// classifier guidance (and, with exact scores, CFG at w = gamma - 1) follows. `t` may be 0 for a
// target with a density at zero noise.
Eigen::VectorXd guidedLogDensity(const Target& target, const Process& process, const Points& x, double t,
                                 int label, double gamma);

// The guided score grad log p_t(x) + gamma grad log p_t(y | x) of the exact target.
Points guidedScore(const Target& target, const Process& process, const Points& x, double t, int label,
                   double gamma);

class TiltedLaw {
 public:
  // q_0 tabulated on nodesPerSide^2 nodes over a box holding the target's mass (exact samples'
  // bounding box plus a margin). For a target without a density at zero noise (a point set) the
  // base time is where s/a = 0.03 (the bumps the viewport draws), else t = 0. Throws
  // std::invalid_argument when the label has no data or nodesPerSide < 16.
  TiltedLaw(std::shared_ptr<const Target> target, Process process, int label, double gamma, int nodesPerSide = 192);

  double baseTime() const { return baseTime_; }
  // The first t at which the forward kernel from the base time is at least two grid steps wide
  // (q >= 2 r h): from there on noisedScore resolves q_t; below it the floored kernel blurs q_0 by
  // about a grid step, which near t = 0 is as large as grad log Z_t itself (-> 0 as t -> base).
  double resolvedTime() const { return resolvedTime_; }
  double gridStep() const { return step_; }
  double gamma() const { return gamma_; }
  // log q_0(x), normalised by the grid's Riemann sum.
  Eigen::VectorXd logDensity(const Points& x) const;
  // grad log q_t(x) with q_t = q_0 pushed through the forward kernel from baseTime to t
  // (x_t = r x_0 + q eps, r = a(t)/a(t0), q^2 = s(t)^2 - r^2 s(t0)^2), as a sum over the grid
  // nodes. The kernel is separable, so the sums are two small matrix products. The kernel's
  // width is floored at one grid step (r h) so a narrow kernel never falls between nodes.
  // Far from all the tabulated mass (q_t underflows) the score is NaN.
  Points noisedScore(const Points& x, double t) const;
  // grad log Z_t(x) = guided score - grad log q_t(x).
  Points logNormaliserGradient(const Points& x, double t) const;
  // n draws of q_0 on the grid: a cell by its probability, then uniform within it.
  Points sample(Eigen::Index n, const CounterRng& rng) const;

 private:
  std::shared_ptr<const Target> target_;
  std::shared_ptr<const Target> conditional_;  // p_0(x | y), for the guided score
  Process process_;
  int label_;
  double gamma_;
  double baseTime_ = 0.0;
  double resolvedTime_ = 0.0;
  double xMin_ = 0.0, yMin_ = 0.0, step_ = 0.0;
  Eigen::MatrixXd probability_;  // nodes x nodes (row i: x_i, column j: y_j), sums to 1
  double logNormaliser_ = 0.0;   // log Z with q_0 = exp(guidedLogDensity - logNormaliser)
};

}  // namespace scorescope
