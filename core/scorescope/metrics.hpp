#pragma once
// Sample-quality metrics and likelihoods (docs/math.md, "Likelihood and metrics").
#include <functional>
#include <vector>

#include "scorescope/points.hpp"
#include "scorescope/rng.hpp"
#include "scorescope/score_model.hpp"

namespace scorescope {

// Sliced Wasserstein distance of order p (1 or 2) between two point clouds: the mean over
// `directions` seeded random unit vectors of W_p between the 1D projections, computed exactly
// from the sorted projections (quantile functions on a common grid when sizes differ).
// Returns (mean over directions of W_p^p)^(1/p).
double slicedWasserstein(const Points& a, const Points& b, int order, int directions,
                         std::uint64_t seed);

// Squared maximum mean discrepancy, unbiased U-statistic with RBF kernel
// k(x, y) = exp(-|x - y|^2 / (2 bandwidth^2)) (Gretton et al. 2012, eq. 3).
double mmdSquared(const Points& a, const Points& b, double bandwidth);

// PF-ODE log-likelihood (Song et al. 2021, appendix D.2; Chen et al. 2018):
//   log p_t0(x) = log p_1(x_1) + integral_{t0}^{1} div f~(x_t, t) dt,  f~ = f x - g^2 score / 2,
// integrated with classic RK4 on `steps` Karras-spaced steps (dense at low noise), with x_t. In 2D the divergence
// is the exact trace 2 f - g^2 tr(J_score) / 2 from the model's Jacobian (no Hutchinson noise).
// logPrior gives log p_1 at the end points.
using LogDensityFn = std::function<Eigen::VectorXd(const Points&)>;
Eigen::VectorXd pfOdeLogLikelihood(const ScoreModel& model, const Points& x, double t0, int steps,
                                   const LogDensityFn& logPrior);
// log N(x; 0, s(1)^2 I), the prior every sampler starts from.
LogDensityFn gaussianPrior(const Process& process);
// The likelihood map the viewport colours a pane by (lesson 4): pfOdeLogLikelihood at every node
// with the Gaussian prior and kLikelihoodMapSteps RK4 steps (Karras-spaced, so few suffice).
inline constexpr int kLikelihoodMapSteps = 48;
Eigen::VectorXd likelihoodMap(const ScoreModel& model, const Points& nodes, double t0);

// s(t) |s_theta(x, t) - s_exact(x, t)| per point: the score error in units of the noise
// (= |eps_theta - eps_exact|), comparable across t (the learn-the-score lesson's heat map).
Eigen::VectorXd noiseUnitScoreError(const ScoreModel& model, const ScoreModel& exact, const Points& x, double t);

// E_{x ~ p_t} |s_theta - s_exact|^2 (unweighted) at each of `times`, with `particles` exact samples
// each: where in time a model is wrong. Time i uses stream rng.derive(i).
std::vector<double> scoreErrorAtTimes(const ScoreModel& model, const ScoreModel& exact, const Target& target,
                                      const std::vector<double>& times, Eigen::Index particles, const CounterRng& rng);
// `count` midpoints of equal cells of [tMin, 1]: tMin + (1 - tMin)(i + 1/2)/count.
std::vector<double> midpointTimes(double tMin, int count);

// E_{x ~ p_t} |s_theta - s_exact|^2 weighted by s(t)^2, averaged over `times` midpoint t in
// [tMin, 1] with `particles` exact samples each (docs/math.md, "Score error").
double weightedScoreError(const ScoreModel& model, const ScoreModel& exact, const Target& target,
                          int times, Eigen::Index particles, double tMin, const CounterRng& rng);

}  // namespace scorescope
