#include "scorescope/empirical_field.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <numbers>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

namespace scorescope {
namespace {

// What each particle needs from its softmax: the statistics sum_i w_i g_i of the columns
//   1 | r_x r_y (score, Hessian) | r_x^2 r_x r_y r_y^2 (Hessian) | one-hot label (posterior)
// where r_i = y_i - m for a centre m near the points (centring keeps the Hessian's
// E[r r^T] - E[r] E[r]^T free of cancellation).
struct Columns {
  Eigen::Index mean = -1, second = -1, label = -1, count = 1;
  Columns(FieldRequest request, int labelCount) {
    if (request.score || request.hessian) mean = std::exchange(count, count + 2);
    if (request.hessian) second = std::exchange(count, count + 3);
    if (request.classPosterior) label = std::exchange(count, count + labelCount);
  }
};

FieldValues allocate(FieldRequest request, Eigen::Index n, int labelCount) {
  FieldValues out;
  if (request.logDensity) out.logDensity.resize(n);
  if (request.score) out.score.resize(n, 2);
  if (request.hessian) out.hessian.resize(n, 3);
  if (request.classPosterior) out.classPosterior.resize(n, labelCount);
  return out;
}

// Writes particle `row`'s fields from log sum_i exp(logit_i) and the normalised statistics
// (stats(0) = 1) about the centre m.
void finish(FieldValues& out, const Columns& cols, Eigen::Index row, const Eigen::Vector2d& xMinusM,
            double logSum, const Eigen::Ref<const Eigen::RowVectorXd>& stats, double s, double logNormaliser) {
  const double s2 = s * s;
  if (out.logDensity.size()) out.logDensity(row) = logSum + logNormaliser;
  if (cols.mean >= 0) {
    const double mx = stats(cols.mean), my = stats(cols.mean + 1);
    if (out.score.size()) {
      // (a D(x) - x) / s^2 with a D(x) = m + E[r].
      out.score(row, 0) = (mx - xMinusM.x()) / s2;
      out.score(row, 1) = (my - xMinusM.y()) / s2;
    }
    if (out.hessian.size()) {
      const double s4 = s2 * s2;
      out.hessian(row, 0) = (stats(cols.second) - mx * mx - s2) / s4;
      out.hessian(row, 1) = (stats(cols.second + 1) - mx * my) / s4;
      out.hessian(row, 2) = (stats(cols.second + 2) - my * my - s2) / s4;
    }
  }
  if (cols.label >= 0) out.classPosterior.row(row) = stats.segment(cols.label, out.classPosterior.cols());
}

// g_i of the columns above for the points `y` (already centred, K x 2) with labels `labels`.
void fillColumns(const Columns& cols, const Eigen::MatrixX2d& r, const std::vector<int>& labels,
                 Eigen::MatrixXd& g) {
  const Eigen::Index k = r.rows();
  g.setZero(k, cols.count);
  g.col(0).setOnes();
  if (cols.mean >= 0) g.middleCols(cols.mean, 2) = r;
  if (cols.second >= 0) {
    g.col(cols.second) = r.col(0).cwiseProduct(r.col(0));
    g.col(cols.second + 1) = r.col(0).cwiseProduct(r.col(1));
    g.col(cols.second + 2) = r.col(1).cwiseProduct(r.col(1));
  }
  if (cols.label >= 0) {
    for (Eigen::Index i = 0; i < k; ++i) g(i, cols.label + labels[static_cast<std::size_t>(i)]) = 1.0;
  }
}


// ---- the direct softmax's inner loops ------------------------------------------------------
// One exp per (particle, kept point) is the direct kernel's whole cost, and a library exp is
// scalar. exp4 is an exp on four doubles written with GCC vector extensions, so the same code
// compiles to SSE2 pairs in the baseline build and to AVX2 + FMA registers in the clone chosen
// at run time when the CPU has them.
// exp4 and the bodies below are always inlined into the two kernels, never called across the
// SSE2 / AVX calling conventions, so GCC's note that a 32-byte vector argument's ABI differs
// between them does not apply (GCC reports it at the end of the file, hence no pop).
#pragma GCC diagnostic ignored "-Wpsabi"
using Vec4 = double __attribute__((vector_size(32)));
using Vec4i = long long __attribute__((vector_size(32)));

// exp(x) for x <= 0, within a unit in the last place (measured against std::exp over 16M
// arguments in [-708, 0], both builds: at most 1 ulp apart). x = k ln 2 + r with
// k = round(x / ln 2), |r| <= ln 2 / 2 (ln 2 split in a high part with trailing zeros, so
// k ln2_hi is exact, and a low part); exp(r) by its Taylor polynomial of degree 13, whose
// remainder |r|^14 / 14! < 5e-18 is below 2^-57 relative; 2^k is added to the exponent bits. Below -708 (where 2^k would leave the normal range) the result is 0: such
// a term is < 1e-307 of the softmax's largest term (which is 1), N of them far below 1e-16.
// expCore is that exp for arguments already in [-708, 709]; exp4 clamps and masks.
[[gnu::always_inline]] inline Vec4 expCore(Vec4 xc) {
  constexpr double shifter = 0x1.8p52;  // adding it rounds to an integer, held in the low bits
  const Vec4 kShifted = xc * std::numbers::log2e + shifter;
  const Vec4 k = kShifted - shifter;
  const Vec4 r = (xc - k * 0x1.62e42feep-1) - k * 0x1.a39ef35793c76p-33;
  // Horner from 1/13! down to 1/0!.
  Vec4 p = r * (1.0 / 6227020800.0) + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  const Vec4i exponent = ((Vec4i)kShifted - (Vec4i)(Vec4{} + shifter)) << 52;
  return (Vec4)((Vec4i)p + exponent);
}
[[gnu::always_inline]] inline Vec4 exp4(Vec4 x) {
  const Vec4 result = expCore(x < -708.0 ? Vec4{} - 708.0 : x);
  return x < -708.0 ? Vec4{} : result;
}

Eigen::Index termCount(int order) { return (order + 1) * (order + 2) / 2; }

// The kept points of a chunk in the layout the loops read: columns padded to a multiple of 4
// with points at r = 0 whose logit is -inf (weight 0; e^-708 in the one-pass loop, which is
// within its bound, and r = 0 keeps them out of the first moments).
struct PaddedPoints {
  std::vector<double> rx, ry, norm;  // r_i and |r_i|^2
  Eigen::Index count = 0, padded = 0;
};

// For one particle at d = x - m: the logits l_i = (2 d.r_i - |r_i|^2) / (2 s^2) into w, their
// maximum and its first index.
[[gnu::always_inline]] inline void logitsBody(const PaddedPoints& pts, double dx, double dy, double inv2s2, double* w,
                                              double& peak, Eigen::Index& best) {
  Vec4 top = Vec4{} - std::numeric_limits<double>::infinity();
  const double tx = 2.0 * dx * inv2s2, ty = 2.0 * dy * inv2s2, tn = inv2s2;
  for (Eigen::Index i = 0; i < pts.padded; i += 4) {
    Vec4 rx, ry, rn;
    std::memcpy(&rx, pts.rx.data() + i, sizeof rx);
    std::memcpy(&ry, pts.ry.data() + i, sizeof ry);
    std::memcpy(&rn, pts.norm.data() + i, sizeof rn);
    const Vec4 l = rx * tx + ry * ty - rn * tn;
    std::memcpy(w + i, &l, sizeof l);
    top = l > top ? l : top;
  }
  peak = std::max(std::max(top[0], top[1]), std::max(top[2], top[3]));
  best = 0;
  while (w[best] != peak) ++best;
}

// w_i = exp(l_i - peak) in place; returns sum_i w_i and, when `moments`, sum_i w_i r_i.
template <bool moments>
[[gnu::always_inline]] inline void weightsBody(const PaddedPoints& pts, double peak, double* w, double sums[3]) {
  Vec4 total{}, sx{}, sy{};
  for (Eigen::Index i = 0; i < pts.padded; i += 4) {
    Vec4 l;
    std::memcpy(&l, w + i, sizeof l);
    const Vec4 e = exp4(l - peak);
    total += e;
    if constexpr (moments) {
      Vec4 rx, ry;
      std::memcpy(&rx, pts.rx.data() + i, sizeof rx);
      std::memcpy(&ry, pts.ry.data() + i, sizeof ry);
      sx += e * rx;
      sy += e * ry;
    } else {
      std::memcpy(w + i, &e, sizeof e);
    }
  }
  sums[0] = (total[0] + total[1]) + (total[2] + total[3]);
  sums[1] = (sx[0] + sx[1]) + (sx[2] + sx[3]);
  sums[2] = (sy[0] + sy[1]) + (sy[2] + sy[3]);
}

// w_i = exp(l_i - shift) with the logits formed on the fly, for a shift known in advance to
// be at least every l_i (see BlockEvaluator::direct): one pass instead of two.
template <bool moments>
[[gnu::always_inline]] inline void shiftedBody(const PaddedPoints& pts, double dx, double dy, double inv2s2,
                                               double shift, double* w, double sums[3]) {
  Vec4 total{}, sx{}, sy{};
  const double tx = 2.0 * dx * inv2s2, ty = 2.0 * dy * inv2s2, tn = inv2s2;
  for (Eigen::Index i = 0; i < pts.padded; i += 4) {
    Vec4 rx, ry, rn;
    std::memcpy(&rx, pts.rx.data() + i, sizeof rx);
    std::memcpy(&ry, pts.ry.data() + i, sizeof ry);
    std::memcpy(&rn, pts.norm.data() + i, sizeof rn);
    // Exponents below -708 are raised to it (no mask): such a weight is then e^-708 instead of
    // less, while the largest weight is >= e^-64 here, so each adds < e^-644 relative.
    const Vec4 l = rx * tx + ry * ty - rn * tn - shift;
    const Vec4 e = expCore(l < -708.0 ? Vec4{} - 708.0 : l);
    total += e;
    if constexpr (moments) {
      sx += e * rx;
      sy += e * ry;
    } else {
      std::memcpy(w + i, &e, sizeof e);
    }
  }
  sums[0] = (total[0] + total[1]) + (total[2] + total[3]);
  sums[1] = (sx[0] + sx[1]) + (sx[2] + sx[3]);
  sums[2] = (sy[0] + sy[1]) + (sy[2] + sy[3]);
}

// One particle's softmax and the sums above. With a finite `shift` (an upper bound of the
// logits) in one pass, and peak = shift, best = -1; otherwise (shift NaN) the logits' maximum
// is found first and is returned with its index. Two builds of the same body.
[[gnu::always_inline]] inline void softmaxBody(const PaddedPoints& pts, double dx, double dy, double inv2s2,
                                               double shift, bool moments, double* w, double& peak,
                                               Eigen::Index& best, double sums[3]) {
  if (!std::isnan(shift)) {
    peak = shift;
    best = -1;
    if (moments) {
      shiftedBody<true>(pts, dx, dy, inv2s2, shift, w, sums);
    } else {
      shiftedBody<false>(pts, dx, dy, inv2s2, shift, w, sums);
    }
    return;
  }
  logitsBody(pts, dx, dy, inv2s2, w, peak, best);
  if (moments) {
    weightsBody<true>(pts, peak, w, sums);
  } else {
    weightsBody<false>(pts, peak, w, sums);
  }
}
void softmaxBaseline(const PaddedPoints& pts, double dx, double dy, double inv2s2, double shift, bool moments,
                     double* w, double& peak, Eigen::Index& best, double sums[3]) {
  softmaxBody(pts, dx, dy, inv2s2, shift, moments, w, peak, best, sums);
}
__attribute__((target("avx2,fma"))) void softmaxAvx2(const PaddedPoints& pts, double dx, double dy, double inv2s2,
                                                     double shift, bool moments, double* w, double& peak,
                                                     Eigen::Index& best, double sums[3]) {
  softmaxBody(pts, dx, dy, inv2s2, shift, moments, w, peak, best, sums);
}

// The expansion's two sums, four points or particles at a time (the monomials are built once
// per group of four and shared by every column). Terms are ordered k = 0..p, alpha = k..0
// (the monomial u^alpha v^(k - alpha)); moments are stored term by term, columns inside.
constexpr int kMaxVectorOrder = 31;  // kMaxOrder + 1 (the score's moments go one order higher)
constexpr int kMaxVectorColumns = 8;  // more columns (many labels) take the scalar loops

// The expansion's sources: q_i and weight_i, and the columns g (column c at g + c * stride),
// `count` a multiple of 4 (padding has weight 0).
struct ExpansionSources {
  const double *qx, *qy, *weight, *g;
  Eigen::Index count, stride;
  int order, columns;
  const double* invFactorial;
};

// moments[t * columns + c] = sum_i weight_i q_i^alpha q_i'^beta / (alpha! beta!) g_ic, with
// `acc` (4 x terms x columns, zeroed) the per-lane partial sums.
[[gnu::always_inline]] inline void momentsBody(const ExpansionSources& in, double* acc, double* moments) {
  const int p = in.order, cols = in.columns;
  for (Eigen::Index i = 0; i < in.count; i += 4) {
    Vec4 pu[kMaxVectorOrder + 1], pv[kMaxVectorOrder + 1], qx, qy, w;
    std::memcpy(&qx, in.qx + i, sizeof qx);
    std::memcpy(&qy, in.qy + i, sizeof qy);
    std::memcpy(&w, in.weight + i, sizeof w);
    pu[0] = Vec4{} + 1.0;
    pv[0] = w;
    for (int k = 1; k <= p; ++k) {
      pu[k] = pu[k - 1] * qx;
      pv[k] = pv[k - 1] * qy;
    }
    for (int k = 2; k <= p; ++k) {
      pu[k] *= in.invFactorial[k];
      pv[k] *= in.invFactorial[k];
    }
    double* a = acc;
    for (int k = 0; k <= p; ++k) {
      for (int alpha = k; alpha >= 0; --alpha) {
        const Vec4 mono = pu[alpha] * pv[k - alpha];
        for (int c = 0; c < cols; ++c, a += 4) {
          Vec4 gc, sum;
          std::memcpy(&gc, in.g + c * in.stride + i, sizeof gc);
          std::memcpy(&sum, a, sizeof sum);
          sum += mono * gc;
          std::memcpy(a, &sum, sizeof sum);
        }
      }
    }
  }
  const Eigen::Index n = termCount(p) * cols;
  for (Eigen::Index t = 0; t < n; ++t) moments[t] = (acc[4 * t] + acc[4 * t + 1]) + (acc[4 * t + 2] + acc[4 * t + 3]);
}

// sums[c * count + j] = sum_t moments[t * cols + c] w_j^alpha w_j'^beta for the particles'
// scaled offsets w_j (count a multiple of 4). The column count is a template parameter so that
// the accumulators stay in registers.
template <int cols>
[[gnu::always_inline]] inline void sumsBody(const double* wx, const double* wy, Eigen::Index count, int p,
                                            const double* moments, double* sums) {
  for (Eigen::Index j = 0; j < count; j += 4) {
    Vec4 pu[kMaxVectorOrder + 1], pv[kMaxVectorOrder + 1], u, v, acc[cols] = {};
    std::memcpy(&u, wx + j, sizeof u);
    std::memcpy(&v, wy + j, sizeof v);
    pu[0] = pv[0] = Vec4{} + 1.0;
    for (int k = 1; k <= p; ++k) {
      pu[k] = pu[k - 1] * u;
      pv[k] = pv[k - 1] * v;
    }
    const double* m = moments;
    for (int k = 0; k <= p; ++k) {
      for (int alpha = k; alpha >= 0; --alpha, m += cols) {
        const Vec4 mono = pu[alpha] * pv[k - alpha];
        for (int c = 0; c < cols; ++c) acc[c] += mono * m[c];
      }
    }
    for (int c = 0; c < cols; ++c) std::memcpy(sums + c * count + j, &acc[c], sizeof acc[c]);
  }
}

template <int... columns>
[[gnu::always_inline]] inline void sumsDispatch(const double* wx, const double* wy, Eigen::Index count, int p, int cols,
                                                const double* moments, double* sums,
                                                std::integer_sequence<int, columns...>) {
  ((cols == columns + 1 ? sumsBody<columns + 1>(wx, wy, count, p, moments, sums) : void()), ...);
}

void momentsBaseline(const ExpansionSources& in, double* acc, double* moments) { momentsBody(in, acc, moments); }
__attribute__((target("avx2,fma"))) void momentsAvx2(const ExpansionSources& in, double* acc, double* moments) {
  momentsBody(in, acc, moments);
}
void sumsBaseline(const double* wx, const double* wy, Eigen::Index count, int p, int cols, const double* moments,
                  double* sums) {
  sumsDispatch(wx, wy, count, p, cols, moments, sums, std::make_integer_sequence<int, kMaxVectorColumns>());
}
__attribute__((target("avx2,fma"))) void sumsAvx2(const double* wx, const double* wy, Eigen::Index count, int p,
                                                  int cols, const double* moments, double* sums) {
  sumsDispatch(wx, wy, count, p, cols, moments, sums, std::make_integer_sequence<int, kMaxVectorColumns>());
}

// The cut-off's distances for the points (px, py)[0..n) and a box [x0, x1] x [y0, y1]: lo_i =
// the squared distance from the box to the point, and the smallest squared distance from a
// point to the box's farthest corner (min hi) and the smallest lo (see
// BlockEvaluator::candidates()). Four points at a time; the last n % 4 one by one.
struct BoxDistances {
  double minLo, minHi;
};
[[gnu::always_inline]] inline BoxDistances boxDistancesBody(const double* px, const double* py, Eigen::Index n,
                                                            const double box[4], double* lo) {
  const double x0 = box[0], y0 = box[1], x1 = box[2], y1 = box[3];
  const auto vmax = [](Vec4 a, Vec4 b) { return a > b ? a : b; };
  const auto vmin = [](Vec4 a, Vec4 b) { return a < b ? a : b; };
  const double inf = std::numeric_limits<double>::infinity();
  Vec4 minLo = Vec4{} + inf, minHi = Vec4{} + inf;
  Eigen::Index i = 0;
  for (; i + 4 <= n; i += 4) {
    Vec4 x, y;
    std::memcpy(&x, px + i, sizeof x);
    std::memcpy(&y, py + i, sizeof y);
    const Vec4 ox = vmax(vmax(x0 - x, x - x1), Vec4{}), oy = vmax(vmax(y0 - y, y - y1), Vec4{});
    const Vec4 fx = vmax(x - x0, x1 - x), fy = vmax(y - y0, y1 - y);
    const Vec4 l = ox * ox + oy * oy;
    std::memcpy(lo + i, &l, sizeof l);
    minLo = vmin(minLo, l);
    minHi = vmin(minHi, fx * fx + fy * fy);
  }
  BoxDistances out{std::min(std::min(minLo[0], minLo[1]), std::min(minLo[2], minLo[3])),
                   std::min(std::min(minHi[0], minHi[1]), std::min(minHi[2], minHi[3]))};
  for (; i < n; ++i) {
    const double ox = std::max({x0 - px[i], px[i] - x1, 0.0}), oy = std::max({y0 - py[i], py[i] - y1, 0.0});
    const double fx = std::max(px[i] - x0, x1 - px[i]), fy = std::max(py[i] - y0, y1 - py[i]);
    lo[i] = ox * ox + oy * oy;
    out.minLo = std::min(out.minLo, lo[i]);
    out.minHi = std::min(out.minHi, fx * fx + fy * fy);
  }
  return out;
}
BoxDistances boxDistancesBaseline(const double* px, const double* py, Eigen::Index n, const double box[4], double* lo) {
  return boxDistancesBody(px, py, n, box, lo);
}
__attribute__((target("avx2,fma"))) BoxDistances boxDistancesAvx2(const double* px, const double* py, Eigen::Index n,
                                                                  const double box[4], double* lo) {
  return boxDistancesBody(px, py, n, box, lo);
}

using SoftmaxKernel = decltype(&softmaxBaseline);
SoftmaxKernel bestSoftmaxKernel() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? &softmaxAvx2 : &softmaxBaseline;
}
std::atomic<SoftmaxKernel> softmaxKernel{bestSoftmaxKernel()};
// The expansion's kernels follow the same choice.
std::atomic<bool> baselineOnly{false};
bool useAvx2() {
  static const bool available = bestSoftmaxKernel() == &softmaxAvx2;
  return available && !baselineOnly.load(std::memory_order_relaxed);
}

// ---- the fast evaluation -------------------------------------------------------------------

constexpr Eigen::Index kChunk = 64;  // particles per direct-softmax chunk (logits stay in cache)
// Taylor orders up to this; beyond it the direct kernel is cheaper anyway.
constexpr int kMaxOrder = 30;
static_assert(kMaxOrder + 1 == kMaxVectorOrder);
// The expansion is used only for rho <= kMaxRho: the polynomial's terms can be e^rho times
// larger than the sum and the sum e^-rho times smaller than its leading term, so rounding is
// amplified by at most e^(2 rho) ~ 55 (a few 1e-15 relative).
constexpr double kMaxRho = 2.0;
// Blocks may be sized for rho up to kMaxRho: with the vectorised sums the higher order no
// longer outweighs the larger blocks (measured at t = 0.3-0.4, VP, two-moons: 5.6 and 3.7 ms
// per evaluation against 7.8 and 4.1 with blocks sized for rho <= 1; the old scalar sums ran
// 8x slower at rho = 2).
constexpr double kMaxSizingRho = kMaxRho;

struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// A dropped point has weight < e^-L = 1e-16 / N of the largest at every particle, so all
// dropped points together weigh < 1e-16 of the softmax sum (see BlockEvaluator::candidates()).
// Returns 2 s^2 L: the margin in squared distance beyond the nearest point.
double cutoffSquared(double s, Eigen::Index points) {
  return 2.0 * s * s * (16.0 * std::numbers::ln10 + std::log(static_cast<double>(points)));
}

double inverseFactorial(int k) {
  double f = 1.0;
  for (int i = 2; i <= k; ++i) f /= i;
  return f;
}

// The smallest order p whose Taylor remainder is below 2^-53 relative for every term (see
// BlockEvaluator::tryTaylor), or -1 when rho is too large.
int taylorOrder(double rho) {
  if (!(rho <= kMaxRho)) return -1;
  const double amplify = std::exp(2.0 * rho);
  double power = rho;  // rho^(p+1)
  for (int p = 0; p <= kMaxOrder; ++p, power *= rho) {
    if (power * inverseFactorial(p + 1) * amplify <= 0x1p-53) return p;
  }
  return -1;
}


// Costs in units of one direct (particle, point) pair before the vectorised exp: a library exp
// and a dozen flops. A multiply-add inside a matrix product costs ~1/25 of that, a monomial
// ~1/10; the vectorised direct pair costs about half (measured on the bench's run: 0.5 beat
// 1.0, 0.25 and 0.4 did no better).
double directCost(double points, double particles, double columns) {
  return particles * points * (0.5 + 0.04 * columns);
}
double taylorCost(double points, double particles, double terms, double columns) {
  return points * (2.0 + 0.1 * terms + 0.04 * terms * columns) + particles * terms * (0.1 + 0.04 * columns);
}

class BlockEvaluator {
 public:
  BlockEvaluator(const PointSetView& data, const Eigen::MatrixX2d& y, const Points& x, double s,
                 FieldRequest request, FieldValues& out)
      : data_(data), y_(y), x_(x), s_(s), cols_(request, data.labelCount), out_(out) {
    const double n = static_cast<double>(y.rows());
    cutoff_ = cutoffSquared(s, y.rows());
    logNormaliser_ = -std::log(n) - std::log(2.0 * std::numbers::pi * s * s);
    for (int k = 0; k <= kMaxOrder + 1; ++k) invFactorial_[k] = inverseFactorial(k);
  }

  // Evaluates the particles x(rows[0..count)).
  void block(const Eigen::Index* rows, Eigen::Index count) {
    ++stats_.blocks;
    const Box box = boundingBox(rows, count);
    candidates(box);
    centre();
    if (tryTaylor(rows, count, box)) {
      stats_.expandedParticles += count;
      stats_.droppedPairs += count * (y_.rows() - r_.rows());
      return;
    }
    for (Eigen::Index begin = 0; begin < count; begin += kChunk) {
      const Eigen::Index b = std::min(kChunk, count - begin);
      if (count > kChunk) {  // each chunk gets its own, tighter, cut-off
        candidates(boundingBox(rows + begin, b));
        centre();
      }
      direct(rows + begin, b);
      stats_.directParticles += b;
      stats_.directPairs += b * r_.rows();
      stats_.droppedPairs += b * (y_.rows() - r_.rows());
    }
  }

  const EmpiricalFieldStats& stats() const { return stats_; }

 private:
  Box boundingBox(const Eigen::Index* rows, Eigen::Index count) const {
    Box b{x_(rows[0], 0), x_(rows[0], 1), x_(rows[0], 0), x_(rows[0], 1)};
    for (Eigen::Index j = 1; j < count; ++j) {
      b.x0 = std::min(b.x0, x_(rows[j], 0));
      b.x1 = std::max(b.x1, x_(rows[j], 0));
      b.y0 = std::min(b.y0, x_(rows[j], 1));
      b.y1 = std::max(b.y1, x_(rows[j], 1));
    }
    return b;
  }

  // The points that can matter anywhere in the box. For a point y: lo = its distance to the
  // box, hi = its distance to the farthest corner. Every particle x in the box has a nearest
  // point within min_i hi_i, so d_min(x)^2 <= minHi. A point with lo^2 > minHi + 2 s^2 L is at
  // |x - y|^2 >= lo^2 > d_min(x)^2 + 2 s^2 L from every x in the box: its weight relative to the
  // largest is exp(-(|x - y|^2 - d_min^2) / (2 s^2)) < e^-L.
  void candidates(const Box& box) {
    const Eigen::Index n = y_.rows();
    lo_.resize(static_cast<std::size_t>(n));
    const double corners[4] = {box.x0, box.y0, box.x1, box.y1};
    const BoxDistances d = (useAvx2() ? boxDistancesAvx2 : boxDistancesBaseline)(y_.col(0).data(), y_.col(1).data(), n,
                                                                               corners, lo_.data());
    minHi_ = d.minHi;
    minLo_ = d.minLo;
    const double minHi = d.minHi;
    keep_.clear();
    const double limit = minHi + cutoff_;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (lo_[static_cast<std::size_t>(i)] <= limit) keep_.push_back(i);
    }
  }

  // Centres the kept points on their bounding box's centre m; r_i = y_i - m, and the g columns.
  void centre() {
    const Eigen::Index k = static_cast<Eigen::Index>(keep_.size());
    r_.resize(k, 2);
    labels_.resize(keep_.size());
    for (Eigen::Index i = 0; i < k; ++i) {
      r_.row(i) = y_.row(keep_[static_cast<std::size_t>(i)]);
      labels_[static_cast<std::size_t>(i)] = data_.labels(keep_[static_cast<std::size_t>(i)]);
    }
    m_ = 0.5 * (r_.colwise().minCoeff() + r_.colwise().maxCoeff()).transpose();
    r_.rowwise() -= m_.transpose();
    radius_ = std::sqrt(r_.rowwise().squaredNorm().maxCoeff());
    columnsStale_ = true;  // g is filled when a kernel needs it (the score-only direct one does not)
  }

  // The g columns of the kept points (see fillColumns), filled on first use after centre().
  const Eigen::MatrixXd& columns() {
    if (columnsStale_) fillColumns(cols_, r_, labels_, g_);
    columnsStale_ = false;
    return g_;
  }

  // Softmax over the kept points for each particle: one exp per (particle, point), by the
  // vectorised kernel above. With only the score (or log p) asked for, the kernel also forms
  // the sums sum_i w_i r_i; otherwise it leaves the weights for the product with g.
  void direct(const Eigen::Index* rows, Eigen::Index b) {
    const double inv2s2 = 1.0 / (2.0 * s_ * s_);
    pad();
    kernel_ = softmaxKernel.load(std::memory_order_relaxed);
    const bool moments = cols_.second < 0 && cols_.label < 0;
    weight_.resize(padded_.padded);
    double sums[3];
    // Every particle x of the chunk is at |x - y_i|^2 >= minLo_ from every kept point, so the
    // logit l_i = (|d|^2 - |d - r_i|^2) / (2 s^2) (d = x - m) is at most
    // shift = (|d|^2 - minLo_) / (2 s^2), and the largest is at least shift - overshoot with
    // overshoot = (minHi_ - minLo_) / (2 s^2) (the nearest point is within minHi_). When the
    // overshoot is <= 64, exp(l_i - shift) needs no maximum found first: the largest weight is
    // >= e^-64, and the weights exp4 flushes to 0 (below e^-708) are < e^-644 of it. Only the
    // sum shift - |d|^2 / (2 s^2) + log Z is rounded at the scale of the shift (the rounding of
    // the shift itself cancels, as the same value shifts every logit), hence |d|^2 / (2 s^2)
    // <= 64 as well: log p then carries at most 64 * 2^-52 ~ 1.4e-14 absolute.
    const double overshoot = (minHi_ - minLo_) * inv2s2;
    for (Eigen::Index j = 0; j < b; ++j) {
      const double dx = x_(rows[j], 0) - m_.x(), dy = x_(rows[j], 1) - m_.y();
      // -|d - r_i|^2 / (2 s^2) without the common -|d|^2: the terms left are of size |d| |r|,
      // so far from the data (|d| >> |r|) the logits' differences keep full precision.
      const double dd = (dx * dx + dy * dy) * inv2s2;
      const bool bounded = overshoot <= 64.0 && dd <= 64.0;
      const double shift = bounded ? dd - minLo_ * inv2s2 : std::numeric_limits<double>::quiet_NaN();
      double peak = 0.0;
      Eigen::Index best = 0;
      kernel_(padded_, dx, dy, inv2s2, shift, moments, weight_.data(), peak, best, sums);
      const double total = sums[0];
      if (moments) {
        stat_.resize(cols_.count);
        stat_(0) = 1.0;
        if (cols_.mean >= 0) stat_.segment(cols_.mean, 2) << sums[1] / total, sums[2] / total;
      } else {
        stat_.noalias() = columns().transpose() * weight_.head(r_.rows());
        stat_ /= total;
      }
      // log sum_i exp(-|d - r_i|^2 / (2 s^2)) = (that term at the best i) + log(total): the best
      // term as a direct difference, so log p_t near the data does not inherit the rounding of
      // |d|^2 / (2 s^2) (huge at small s). With a shift (|d|^2 / (2 s^2) <= 64), shift - that.
      double logSum = std::log(total);
      if (best >= 0) {
        const double ex = dx - r_(best, 0), ey = dy - r_(best, 1);
        logSum -= (ex * ex + ey * ey) * inv2s2;
      } else {
        logSum += peak - dd;
      }
      finish(out_, cols_, rows[j], Eigen::Vector2d(dx, dy), logSum, stat_.transpose(), s_, logNormaliser_);
    }
  }

  // The kept points r_ in the kernel's padded layout.
  void pad() {
    const Eigen::Index k = r_.rows(), padded = (k + 3) / 4 * 4;
    padded_.count = k;
    padded_.padded = padded;
    padded_.rx.assign(static_cast<std::size_t>(padded), 0.0);
    padded_.ry.assign(static_cast<std::size_t>(padded), 0.0);
    padded_.norm.assign(static_cast<std::size_t>(padded), std::numeric_limits<double>::infinity());
    for (Eigen::Index i = 0; i < k; ++i) {
      const auto u = static_cast<std::size_t>(i);
      padded_.rx[u] = r_(i, 0);
      padded_.ry[u] = r_(i, 1);
      padded_.norm[u] = r_(i, 0) * r_(i, 0) + r_(i, 1) * r_(i, 1);
    }
  }

  // For u = (x - c).r_i / s^2 with |u| <= rho, Taylor's remainder gives
  //   |exp(u) - sum_{k<=p} u^k / k!| <= rho^(p+1) / (p+1)! e^rho <= eps exp(u),
  //   eps = rho^(p+1) e^(2 rho) / (p+1)!,
  // since exp(u) >= e^-rho. Every term beta_i exp(u_i) of the softmax sum Z is positive, so Z
  // is off by at most eps Z, and a statistic sum_i beta_i exp(u_i) g_i by at most eps Z max|g|:
  // the normalised statistics carry a relative error of at most 2 eps (eps <= 2^-53 here).
  // Returns false (and does nothing) when the direct kernel would be cheaper.
  bool tryTaylor(const Eigen::Index* rows, Eigen::Index b, const Box& box) {
    const Eigen::Vector2d c(0.5 * (box.x0 + box.x1), 0.5 * (box.y0 + box.y1));
    double delta2 = 0.0;  // the largest |x - c|^2 in the block
    for (Eigen::Index j = 0; j < b; ++j) {
      const double dx = x_(rows[j], 0) - c.x(), dy = x_(rows[j], 1) - c.y();
      delta2 = std::max(delta2, dx * dx + dy * dy);
    }
    // Rounded up by far more than the rounding of the squares and the root: a bound on |x - c|.
    const double delta = std::sqrt(delta2) * (1.0 + 1e-14);
    const double s2 = s_ * s_;
    const double rho = radius_ * delta / s2;
    const int p = taylorOrder(rho);
    if (p < 0) return false;
    const Eigen::Index terms = termCount(p);
    const double k = static_cast<double>(r_.rows()), bb = static_cast<double>(b), gc = static_cast<double>(cols_.count);
    if (taylorCost(k, bb, static_cast<double>(terms), gc) >= directCost(k, bb, gc)) return false;
    stats_.maxOrder = std::max(stats_.maxOrder, p);

    // beta_i = exp(e_i - max e), e_i = ((c - m).r_i - |r_i|^2 / 2) / s^2.
    const Eigen::Vector2d cm = c - m_;
    e_ = ((r_ * cm) - 0.5 * r_.rowwise().squaredNorm()) / s2;
    const double top = e_.maxCoeff();
    // Scaled so that |q_i| <= rho and |w_j| <= 1: u = w_j . q_i, with q_i = r_i delta / s^2 and
    // w_j = (x_j - c) / delta.
    const double scale = delta > 0.0 ? delta / s2 : 0.0;
    const double inv = delta > 0.0 ? 1.0 / delta : 0.0;
    if (cols_.count <= kMaxVectorColumns) {
      vectorTaylor(rows, b, c, scale, inv, p, top);
    } else {
      scalarTaylor(rows, b, c, scale, inv, p, top);
    }
    return true;
  }

  // The expansion's two sums by the vectorised kernels: sources and particles copied into
  // padded arrays (padding has weight 0 and offset 0; its results are not read).
  void vectorTaylor(const Eigen::Index* rows, Eigen::Index b, const Eigen::Vector2d& c, double scale, double inv, int p,
                    double top) {
    const bool avx2 = useAvx2();
    const int cols = static_cast<int>(cols_.count);
    const Eigen::Index k = r_.rows(), kp = (k + 3) / 4 * 4, bp = (b + 3) / 4 * 4, terms = termCount(p);
    src_.assign(static_cast<std::size_t>(kp * (3 + cols)), 0.0);
    double *qx = src_.data(), *qy = qx + kp, *w = qy + kp, *g = w + kp;
    const Eigen::MatrixXd& gk = columns();
    for (Eigen::Index i = 0; i < k; ++i) {
      qx[i] = r_(i, 0) * scale;
      qy[i] = r_(i, 1) * scale;
      w[i] = std::exp(e_(i) - top);
      for (int col = 0; col < cols; ++col) g[col * kp + i] = gk(i, col);
    }
    moments_.resize(cols, terms);  // column t holds term t's columns
    // (scale >= 1e-100: q = r scale then stays a normal number for every |r| >= 1e-200, so the
    // moments of 1 keep the precision the division by scale needs.)
    if (cols == 3 && cols_.mean == 1 && scale >= 1e-100) {
      scoreMoments(ExpansionSources{qx, qy, w, g, kp, kp, p + 1, 1, invFactorial_}, scale, avx2);
    } else {
      acc_.assign(static_cast<std::size_t>(4 * terms * cols), 0.0);
      const ExpansionSources in{qx, qy, w, g, kp, kp, p, cols, invFactorial_};
      (avx2 ? momentsAvx2 : momentsBaseline)(in, acc_.data(), moments_.data());
    }
    tgt_.assign(static_cast<std::size_t>(bp * (2 + cols)), 0.0);
    double *wx = tgt_.data(), *wy = wx + bp, *sums = wy + bp;
    for (Eigen::Index j = 0; j < b; ++j) {
      wx[j] = (x_(rows[j], 0) - c.x()) * inv;
      wy[j] = (x_(rows[j], 1) - c.y()) * inv;
    }
    (avx2 ? sumsAvx2 : sumsBaseline)(wx, wy, bp, p, cols, moments_.data(), sums);
    stat_.resize(cols);
    for (Eigen::Index j = 0; j < b; ++j) {
      for (int col = 0; col < cols; ++col) stat_(col) = sums[col * bp + j];
      finishExpanded(rows[j], top);
    }
  }

  // The moments of the columns (1, r_x, r_y) from those of 1 alone, one order higher: with
  // q = r scale, sum_i w_i q^(a,b) / (a! b!) r_x,i = (a + 1) / scale * M_(a+1,b), where M are
  // the moments of 1, and likewise for r_y. The identity is exact, so the polynomial (and the
  // error bound of tryTaylor) is the same as with three columns, for a third of the work.
  void scoreMoments(const ExpansionSources& in, double scale, bool avx2) {
    const int p = in.order - 1;
    acc_.assign(static_cast<std::size_t>(4 * termCount(in.order)), 0.0);
    ones_.resize(termCount(in.order));
    (avx2 ? momentsAvx2 : momentsBaseline)(in, acc_.data(), ones_.data());
    const auto at = [](int k, int alpha) { return termCount(k - 1) + (k - alpha); };  // term (k, alpha)
    const double inv = 1.0 / scale;
    for (int k = 0; k <= p; ++k) {
      for (int alpha = k; alpha >= 0; --alpha) {
        const Eigen::Index t = at(k, alpha);
        moments_(0, t) = ones_(t);
        moments_(1, t) = (alpha + 1) * inv * ones_(at(k + 1, alpha + 1));
        moments_(2, t) = (k - alpha + 1) * inv * ones_(at(k + 1, alpha));
      }
    }
  }

  // The same sums with one monomial vector at a time (for many columns): the moments as one
  // rank-1 update per point, each particle's sums as one dot product per column.
  void scalarTaylor(const Eigen::Index* rows, Eigen::Index b, const Eigen::Vector2d& c, double scale, double inv, int p,
                    double top) {
    const Eigen::Index terms = termCount(p);
    monomial_.resize(terms);
    Eigen::MatrixXd moments = Eigen::MatrixXd::Zero(terms, cols_.count);
    const Eigen::MatrixXd& g = columns();
    for (Eigen::Index i = 0; i < r_.rows(); ++i) {
      monomials(r_(i, 0) * scale, r_(i, 1) * scale, p, true, std::exp(e_(i) - top), monomial_);
      for (Eigen::Index col = 0; col < cols_.count; ++col) moments.col(col) += g(i, col) * monomial_;
    }
    stat_.resize(cols_.count);
    for (Eigen::Index j = 0; j < b; ++j) {
      monomials((x_(rows[j], 0) - c.x()) * inv, (x_(rows[j], 1) - c.y()) * inv, p, false, 1.0, monomial_);
      for (Eigen::Index col = 0; col < cols_.count; ++col) stat_(col) = moments.col(col).dot(monomial_);
      finishExpanded(rows[j], top);
    }
  }

  // Particle `row`'s fields from its expanded sums stat_ (column 0: the softmax sum, scaled by
  // exp(-top)).
  void finishExpanded(Eigen::Index row, double top) {
    const double s2 = s_ * s_;
    const Eigen::Vector2d xm(x_(row, 0) - m_.x(), x_(row, 1) - m_.y());
    const double z = stat_(0);
    stat_ /= z;  // in place: a quotient expression passed to finish() would be a heap temporary
    finish(out_, cols_, row, xm, -0.5 * xm.squaredNorm() / s2 + top + std::log(z), stat_.transpose(), s_,
           logNormaliser_);
  }

  // weight * u^alpha v^beta (/ (alpha! beta!) when `factorials`) for alpha + beta <= p, in the
  // order k = 0..p, alpha = k..0.
  void monomials(double u, double v, int p, bool factorials, double weight, Eigen::Ref<Eigen::VectorXd> row) const {
    double pu[kMaxOrder + 1], pv[kMaxOrder + 1];
    pu[0] = pv[0] = 1.0;
    for (int k = 1; k <= p; ++k) {
      pu[k] = pu[k - 1] * u;
      pv[k] = pv[k - 1] * v;
    }
    if (factorials) {
      for (int k = 0; k <= p; ++k) {
        pu[k] *= invFactorial_[k];
        pv[k] *= invFactorial_[k];
      }
    }
    Eigen::Index t = 0;
    for (int k = 0; k <= p; ++k) {
      for (int alpha = k; alpha >= 0; --alpha) row(t++) = weight * pu[alpha] * pv[k - alpha];
    }
  }

  const PointSetView& data_;
  const Eigen::MatrixX2d& y_;
  const Points& x_;
  double s_;
  Columns cols_;
  FieldValues& out_;
  double cutoff_ = 0.0, logNormaliser_ = 0.0;
  double invFactorial_[kMaxOrder + 2];
  EmpiricalFieldStats stats_;
  // Per-block scratch, reused.
  std::vector<double> lo_;
  std::vector<Eigen::Index> keep_;
  std::vector<int> labels_;
  Eigen::MatrixX2d r_;
  Eigen::Vector2d m_ = Eigen::Vector2d::Zero();
  double radius_ = 0.0;
  double minLo_ = 0.0, minHi_ = 0.0;  // of the last candidates(): see direct()
  Eigen::MatrixXd g_, moments_;
  bool columnsStale_ = true;
  std::vector<double> src_, tgt_, acc_;
  Eigen::VectorXd e_, weight_, stat_, monomial_, ones_;
  PaddedPoints padded_;
  SoftmaxKernel kernel_ = nullptr;
};

// The particles sorted into the cells of a uniform grid (counting sort), cell by cell: a cell's
// particles are one block. Particles outside `region` go to its border cells.
struct Blocks {
  std::vector<Eigen::Index> order;
  std::vector<Eigen::Index> start;  // block b is order[start[b] .. start[b+1])
};

Blocks sortIntoCells(const Points& x, Box region, double h) {
  const Eigen::Index n = x.rows();
  const double width = std::max(region.x1 - region.x0, 0.0), height = std::max(region.y1 - region.y0, 0.0);
  // At most ~4 cells per particle: a finer grid only adds empty cells.
  const double maxCells = 4.0 * static_cast<double>(n) + 64.0;
  h = std::max({h, std::sqrt(width * height / maxCells), (width + height) / maxCells, 1e-300});
  const auto nx = static_cast<Eigen::Index>(std::min(std::floor(width / h) + 1.0, maxCells));
  const auto ny = static_cast<Eigen::Index>(std::min(std::floor(height / h) + 1.0, maxCells));
  std::vector<Eigen::Index> cell(static_cast<std::size_t>(n));
  std::vector<Eigen::Index> count(static_cast<std::size_t>(nx * ny + 1), 0);
  for (Eigen::Index j = 0; j < n; ++j) {
    const double fx = std::clamp((x(j, 0) - region.x0) / h, 0.0, static_cast<double>(nx - 1));
    const double fy = std::clamp((x(j, 1) - region.y0) / h, 0.0, static_cast<double>(ny - 1));
    const double id = std::isfinite(fx) && std::isfinite(fy) ? std::floor(fy) * static_cast<double>(nx) + std::floor(fx) : 0.0;
    cell[static_cast<std::size_t>(j)] = static_cast<Eigen::Index>(id);
    ++count[static_cast<std::size_t>(cell[static_cast<std::size_t>(j)]) + 1];
  }
  Blocks blocks;
  for (std::size_t c = 1; c < count.size(); ++c) {
    if (count[c] > 0) blocks.start.push_back(count[c - 1]);
    count[c] += count[c - 1];
  }
  blocks.start.push_back(n);
  blocks.order.resize(static_cast<std::size_t>(n));
  std::vector<Eigen::Index> next(count.begin(), count.end() - 1);
  for (Eigen::Index j = 0; j < n; ++j) blocks.order[static_cast<std::size_t>(next[static_cast<std::size_t>(cell[static_cast<std::size_t>(j)])]++)] = j;
  return blocks;
}

}  // namespace

void useBaselineSoftmaxKernel(bool baseline) {
  softmaxKernel = baseline ? &softmaxBaseline : bestSoftmaxKernel();
  baselineOnly = baseline;
}

FieldValues empiricalFieldReference(const PointSetView& data, const Points& x, double a, double s,
                                    FieldRequest request) {
  if (!(s > 0.0)) throw std::invalid_argument("empiricalFieldReference(): expected s > 0");
  const Eigen::Index n = x.rows(), count = data.points.rows();
  const Columns cols(request, data.labelCount);
  FieldValues out = allocate(request, n, data.labelCount);
  const double logNormaliser = -std::log(static_cast<double>(count)) - std::log(2.0 * std::numbers::pi * s * s);
  const double inv2s2 = 1.0 / (2.0 * s * s);
  const Eigen::MatrixX2d y = a * data.points;
  std::vector<int> labels(static_cast<std::size_t>(count));
  for (Eigen::Index i = 0; i < count; ++i) labels[static_cast<std::size_t>(i)] = data.labels(i);
  Eigen::MatrixX2d r(count, 2);
  Eigen::MatrixXd g;
  Eigen::VectorXd logit(count);
  for (Eigen::Index j = 0; j < n; ++j) {
    // Centred on the particle's nearest point y_b: with d = x - y_b and r_i = y_i - y_b,
    //   -|d - r_i|^2 = -|d|^2 + (2 d.r_i - |r_i|^2),
    // where -|d|^2 is common to all i and the rest is small for every point that carries
    // weight, so the logits' differences are exact to rounding near and far from the data.
    Eigen::Index nearest = 0;
    (y.rowwise() - x.row(j)).rowwise().squaredNorm().minCoeff(&nearest);
    r = y.rowwise() - y.row(nearest);
    const Eigen::Vector2d d = x.row(j).transpose() - y.row(nearest).transpose();
    for (Eigen::Index i = 0; i < count; ++i) {
      logit(i) = (2.0 * (d.x() * r(i, 0) + d.y() * r(i, 1)) - (r(i, 0) * r(i, 0) + r(i, 1) * r(i, 1))) * inv2s2;
    }
    const double peak = logit.maxCoeff();
    const Eigen::VectorXd w = (logit.array() - peak).exp();
    const double total = w.sum();
    fillColumns(cols, r, labels, g);
    const Eigen::RowVectorXd stats = (w.transpose() * g) / total;
    finish(out, cols, j, d, -d.squaredNorm() * inv2s2 + peak + std::log(total), stats, s, logNormaliser);
  }
  return out;
}

FieldValues empiricalField(const PointSetView& data, const Points& x, double a, double s, FieldRequest request,
                           EmpiricalFieldStats* stats) {
  if (!(s > 0.0)) throw std::invalid_argument("empiricalField(): expected s > 0");
  const Eigen::Index n = x.rows();
  FieldValues out = allocate(request, n, data.labelCount);
  if (stats) *stats = {};
  if (n == 0) return out;
  const Eigen::MatrixX2d y = a * data.points;
  const Eigen::Index count = y.rows();

  // The grid's cell size. The expansion works when a block's rho = R delta / s^2 is O(1) (R:
  // the points' radius, delta: the block's half-diagonal), i.e. for cells of side
  // sqrt(2) rho s^2 / R; it pays when those cells hold many particles. The side whose
  // estimated cost per particle is lowest wins, against the direct softmax with cells sized
  // for the cut-off (side ~ s, the softmax's scale, with enough particles to share the
  // O(N) candidate pass).
  const Eigen::Vector2d lo = y.colwise().minCoeff(), hi = y.colwise().maxCoeff();
  const double radius = 0.5 * (hi - lo).norm();
  Box region{x.col(0).minCoeff(), x.col(1).minCoeff(), x.col(0).maxCoeff(), x.col(1).maxCoeff()};
  const double margin = 10.0 * s + 1e-9;
  region.x0 = std::max(region.x0, lo.x() - margin);
  region.y0 = std::max(region.y0, lo.y() - margin);
  region.x1 = std::min(region.x1, hi.x() + margin);
  region.y1 = std::min(region.y1, hi.y() + margin);
  if (!(region.x0 <= region.x1)) region.x0 = region.x1 = 0.5 * (lo.x() + hi.x());
  if (!(region.y0 <= region.y1)) region.y0 = region.y1 = 0.5 * (lo.y() + hi.y());
  const double area = std::max((region.x1 - region.x0) * (region.y1 - region.y0), 1e-300);
  const double perParticle = area / static_cast<double>(n);
  const auto points = static_cast<double>(count);
  const auto columns = static_cast<double>(Columns(request, data.labelCount).count);
  double side = std::max(std::min(s, std::sqrt(64.0 * perParticle)), std::sqrt(16.0 * perParticle));
  // The cut-off keeps roughly the points within its radius (+ a cell) of a particle.
  const double reach = std::sqrt(cutoffSquared(s, count)) + side;
  double best = directCost(std::min(points, points * reach * reach / std::max(radius * radius, 1e-300)), 1.0, columns);
  for (double rho = 1.0 / 16.0; radius > 0.0 && rho <= kMaxSizingRho; rho *= 2.0) {
    const double cell = std::sqrt(2.0) * rho * s * s / radius;
    const double particles = std::max(1.0, cell * cell / perParticle);
    const double cost = taylorCost(points, particles, static_cast<double>(termCount(taylorOrder(rho))), columns) / particles;
    if (cost < best) {
      best = cost;
      side = cell;
    }
  }
  const Blocks blocks = sortIntoCells(x, region, side);
  const PointSetView view = data;
  const auto blockCount = static_cast<std::ptrdiff_t>(blocks.start.size()) - 1;

  // Small batches stay on one thread: waking the team costs more than the work.
#pragma omp parallel if (n > kChunk && n * count >= 65536)
  {
    BlockEvaluator evaluator(view, y, x, s, request, out);
#pragma omp for schedule(dynamic, 1)
    for (std::ptrdiff_t b = 0; b < blockCount; ++b) {
      const auto begin = static_cast<std::size_t>(blocks.start[static_cast<std::size_t>(b)]);
      const Eigen::Index size = blocks.start[static_cast<std::size_t>(b) + 1] - blocks.start[static_cast<std::size_t>(b)];
      evaluator.block(blocks.order.data() + begin, size);
    }
    if (stats) {
#pragma omp critical
      {
        const EmpiricalFieldStats& mine = evaluator.stats();
        stats->directParticles += mine.directParticles;
        stats->expandedParticles += mine.expandedParticles;
        stats->directPairs += mine.directPairs;
        stats->droppedPairs += mine.droppedPairs;
        stats->blocks += mine.blocks;
        stats->maxOrder = std::max(stats->maxOrder, mine.maxOrder);
      }
    }
  }
  return out;
}

Eigen::VectorXd empiricalLogDensityOnGrid(const PointSetView& data, const Eigen::VectorXd& xs, const Eigen::VectorXd& ys,
                                          double a, double s) {
  if (!(s > 0.0)) throw std::invalid_argument("empiricalLogDensityOnGrid(): expected s > 0");
  const Eigen::Index columns = xs.size(), rows = ys.size(), count = data.points.rows();
  const double inv2s2 = 1.0 / (2.0 * s * s);
  // exp(-(node - a x_i)^2 / (2 s^2) - peak) along one axis: N x nodes, and each node's peak.
  auto axisTable = [&](const Eigen::VectorXd& nodes, Eigen::Index axis, Eigen::VectorXd& peak) {
    Eigen::MatrixXd table(count, nodes.size());
    peak.resize(nodes.size());
    for (Eigen::Index c = 0; c < nodes.size(); ++c) {
      auto column = table.col(c).array();
      column = -(nodes(c) - a * data.points.col(axis).array()).square() * inv2s2;
      peak(c) = column.maxCoeff();
      column = (column - peak(c)).exp();
    }
    return table;
  };
  Eigen::VectorXd peakX, peakY;
  const Eigen::MatrixXd ex = axisTable(xs, 0, peakX), ey = axisTable(ys, 1, peakY);
  const Eigen::MatrixXd sums = ey.transpose() * ex;  // rows x columns
  const double logNormaliser = -std::log(static_cast<double>(count)) - std::log(2.0 * std::numbers::pi * s * s);
  Eigen::VectorXd out(rows * columns);
  std::vector<Eigen::Index> lost;
  for (Eigen::Index r = 0; r < rows; ++r) {
    for (Eigen::Index c = 0; c < columns; ++c) {
      const double sum = sums(r, c);
      if (sum >= 1e-200) {
        out(r * columns + c) = peakX(c) + peakY(r) + std::log(sum) + logNormaliser;
      } else {
        lost.push_back(r * columns + c);
      }
    }
  }
  if (!lost.empty()) {
    Points nodes(static_cast<Eigen::Index>(lost.size()), 2);
    for (std::size_t k = 0; k < lost.size(); ++k) {
      nodes.row(static_cast<Eigen::Index>(k)) << xs(lost[k] % columns), ys(lost[k] / columns);
    }
    const Eigen::VectorXd direct = empiricalField(data, nodes, a, s, {.logDensity = true}).logDensity;
    for (std::size_t k = 0; k < lost.size(); ++k) out(lost[k]) = direct(static_cast<Eigen::Index>(k));
  }
  return out;
}

}  // namespace scorescope
