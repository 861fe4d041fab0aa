#pragma once
// The exact field of a point-set target, p_t = (1/N) sum_i N(y_i, s^2 I) with y_i = a x^(i),
// at many particles: log p_t, its score, its Hessian and the class posterior, all functions of
// the softmax weights w_i(x) = softmax_i(-|x - y_i|^2 / (2 s^2)).
//
// empiricalFieldReference is the plain O(particles x points) double loop, kept as the truth the
// tests hold the fast version to. empiricalField gives the same numbers (to rounding) much
// faster, by two exact devices applied to spatially sorted blocks of particles:
//  - a cut-off: a point whose weight is provably below 1e-16 / N of the largest weight at every
//    particle of the block is left out (all of them together are < 1e-16 of the softmax sum);
//  - a Taylor expansion: with the block's centre c and y_i = m + r_i,
//      -|x - y_i|^2 / (2 s^2) = -|x - m|^2 / (2 s^2) + e_i + (x - c).r_i / s^2,
//    so the softmax sums are sum_i beta_i exp(u_i) g_i with u_i = (x - c).r_i / s^2 small when
//    the block is small next to s^2 / |r|; exp(u) is replaced by its Taylor polynomial of an
//    order chosen so that its relative error is below 2^-53 for every term (the error bound
//    is in the .cpp). The sums then become two small matrix products and one exp per point
//    per block instead of one exp per point per particle.
// Each block takes whichever of the two kernels (direct softmax over the kept points, or the
// expansion) a simple cost model says is cheaper; both are exact in the sense above.
// The direct softmax computes its exps four at a time with its own exp (range reduction by
// ln 2 split in an exact high and a low part, Taylor polynomial of degree 13 whose remainder is
// < 2^-57 relative, exponent bits added): measured within 1 ulp of std::exp on [-708, 0];
// logits below -708 relative to the largest give weight 0 (< 1e-307 each). It is built twice,
// for the SSE2 baseline and for AVX2 + FMA (picked at run time when the CPU has them).
// It skips the pass that finds the largest logit when the cut-off's distances bound it: every
// particle of a chunk is at squared distance >= minLo from every kept point and has one within
// minHi, so shifting by (|d|^2 - minLo) / (2 s^2) leaves every exponent <= 0 and the largest
// >= -(minHi - minLo) / (2 s^2); this is used when that is >= -64 and |d|^2 / (2 s^2) <= 64,
// so nothing that matters underflows (exponents below -708 are raised to -708 there: each such
// term is then < e^-644 of the largest) and log p is rounded at the scale 64 (<= 1.4e-14
// absolute); the shift's own rounding cancels.
// The expansion's sums are formed four points (or particles) at a time by the same two builds;
// only the order of the additions changes. For the score alone, the moments of r_x and r_y are
// read off those of 1 one order higher (sum_i w_i q^(a,b)/(a! b!) r_x,i = (a+1)/scale M_(a+1,b)
// with q = r scale): an exact identity, so the polynomial and its error bound are unchanged.
#include "scorescope/points.hpp"
#include "scorescope/target.hpp"

namespace scorescope {

// The data of a point set: points (N x 2) and a label per point in 0..labelCount-1.
struct PointSetView {
  const Points& points;
  const Labels& labels;
  int labelCount = 1;
};

// Brute force: every particle against every point, logits as direct differences. Requires s > 0.
FieldValues empiricalFieldReference(const PointSetView& data, const Points& x, double a, double s,
                                    FieldRequest request);

// What the fast evaluation did, for tests and benchmarks.
struct EmpiricalFieldStats {
  long long directParticles = 0;    // particles evaluated by the direct softmax
  long long expandedParticles = 0;  // particles evaluated by the Taylor expansion
  long long directPairs = 0;        // (particle, kept point) pairs of the direct softmax
  long long droppedPairs = 0;       // (particle, point) pairs the cut-off left out
  long long blocks = 0;
  int maxOrder = -1;                // the highest Taylor order used
};

// The fast evaluation described above. Requires s > 0. `stats`, when given, is filled.
FieldValues empiricalField(const PointSetView& data, const Points& x, double a, double s, FieldRequest request,
                           EmpiricalFieldStats* stats = nullptr);

// Forces the SSE2 builds of the vectorised kernels (true) or restores the run-time choice (false);
// for tests, which hold both builds to the reference. Not thread-safe against running
// evaluations.
void useBaselineSoftmaxKernel(bool baseline);

// log p_t at the nodes (xs(c), ys(r)) of a grid, node r * xs.size() + c (the density heat map).
// The kernel factorises over the axes, exp(-|x - y|^2 / (2 s^2)) = exp(-(x1 - y1)^2 / (2 s^2))
// exp(-(x2 - y2)^2 / (2 s^2)), so the N x nodes sum is one matrix product of an N x rows and an
// N x columns table of exps. Each table is shifted by its column's maximum; a node whose shifted
// sum falls below 1e-200 (the two maxima belong to far-apart points, so underflowed terms could
// matter) is evaluated by empiricalField instead. Elsewhere every term is exact to rounding
// except those below ~1e-290, N of which are < 1e-16 of the sum. Requires s > 0.
Eigen::VectorXd empiricalLogDensityOnGrid(const PointSetView& data, const Eigen::VectorXd& xs, const Eigen::VectorXd& ys,
                                          double a, double s);

}  // namespace scorescope
