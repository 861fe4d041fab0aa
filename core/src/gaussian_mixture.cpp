#include "scorescope/gaussian_mixture.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <stdexcept>
#include <cmath>
#include <numbers>
#include <sstream>

namespace scorescope {
namespace {

constexpr Eigen::Index kBlock = 128;

std::string formatMatrix(const Eigen::Matrix2d& m) {
  std::ostringstream out;
  out << "[[" << m(0, 0) << "," << m(0, 1) << "],[" << m(1, 0) << "," << m(1, 1) << "]]";
  return out.str();
}

std::string formatNumber(double value) {
  std::ostringstream out;
  out << value;  // 6 significant digits: 1e+308, not 309 digits
  return out.str();
}

// Per-component constants of p_t at one (a, s): centre a mu, precision C^{-1} and the
// log normaliser log w - log(2 pi) - log det C / 2.
struct NoisedComponent {
  double cx, cy;
  double pxx, pxy, pyy;
  double logScale;
};

}  // namespace

std::optional<std::string> validateMixture(const std::vector<MixtureComponent>& components) {
  if (components.empty()) return "components: expected at least one component, got none";
  double total = 0.0;
  for (std::size_t k = 0; k < components.size(); ++k) {
    const MixtureComponent& c = components[k];
    const std::string field = "components[" + std::to_string(k) + "].";
    if (!(c.weight >= 0.0 && c.weight <= kMaxMixtureWeight)) {
      return field + "weight: expected a number in [0, 1e12] (relative; normalised to sum 1), got " +
             formatNumber(c.weight);
    }
    if (!(std::abs(c.mean.x()) <= kMaxMixtureMean && std::abs(c.mean.y()) <= kMaxMixtureMean)) {
      return field + "mean: expected two finite numbers in [-1e6, 1e6]";
    }
    const Eigen::Matrix2d& s = c.cov;
    const std::string covField = field + "cov: expected a symmetric positive-definite [[a,b],[b,c]] ";
    // Entries first: bounded entries keep a*c - b*b and the eigenvalues below free of overflow.
    if (!(s.cwiseAbs().maxCoeff() <= kMaxCovEigenvalue) ||
        std::abs(s(0, 1) - s(1, 0)) > 1e-12 * (1.0 + s.cwiseAbs().maxCoeff()) || s(0, 0) <= 0.0 ||
        s.determinant() <= 0.0) {
      return covField + "(a > 0, a*c - b*b > 0, entries within +-1e12), got " + formatMatrix(s);
    }
    // Eigenvalues of the symmetric 2x2: the larger one is accurate; the smaller from det / larger.
    const double b = 0.5 * (s(0, 1) + s(1, 0));
    const double largest = 0.5 * (s(0, 0) + s(1, 1)) + std::hypot(0.5 * (s(0, 0) - s(1, 1)), b);
    const double smallest = (s(0, 0) * s(1, 1) - b * b) / largest;
    if (!(smallest >= kMinCovEigenvalue && largest <= kMaxCovEigenvalue)) {
      return covField + "with eigenvalues in [1e-12, 1e12], got " + formatMatrix(s);
    }
    if (!(largest <= kMaxCovCondition * smallest)) {
      return covField + "with condition number (largest / smallest eigenvalue) <= 1e10, got " + formatMatrix(s);
    }
    if (c.label < 0 || c.label > kMaxMixtureLabel) {
      return field + "label: expected an integer in [0, 255], got " + std::to_string(c.label);
    }
    total += c.weight;
  }
  if (!(total > 0.0)) return "components[].weight: expected weights summing to a positive number, got 0";
  return std::nullopt;
}

GaussianMixture::GaussianMixture(std::vector<MixtureComponent> components)
    : components_(std::move(components)) {
  if (!(!components_.empty())) throw std::invalid_argument("GaussianMixture: expected at least one component");
  double total = 0.0;
  for (const MixtureComponent& c : components_) total += c.weight;
  if (!(total > 0.0)) throw std::invalid_argument("GaussianMixture: expected weights summing to a positive number");
  for (MixtureComponent& c : components_) {
    c.weight /= total;
    labelCount_ = std::max(labelCount_, c.label + 1);
  }
}

FieldValues GaussianMixture::evaluate(const Points& x, double a, double s,
                                      FieldRequest request) const {
  const Eigen::Index n = x.rows();
  const Eigen::Index count = static_cast<Eigen::Index>(components_.size());
  std::vector<NoisedComponent> noised;
  noised.reserve(components_.size());
  for (const MixtureComponent& c : components_) {
    const Eigen::Matrix2d cov = a * a * c.cov + s * s * Eigen::Matrix2d::Identity();
    const Eigen::Matrix2d precision = cov.inverse();
    noised.push_back({a * c.mean.x(), a * c.mean.y(), precision(0, 0), precision(0, 1),
                      precision(1, 1),
                      std::log(c.weight) - std::log(2.0 * std::numbers::pi) -
                          0.5 * std::log(cov.determinant())});
  }

  FieldValues out;
  if (request.logDensity) out.logDensity.resize(n);
  if (request.score || request.hessian) out.score.resize(n, 2);
  if (request.hessian) out.hessian.resize(n, 3);
  if (request.classPosterior) out.classPosterior.resize(n, labelCount_);

  // Small batches stay on one thread: waking the team costs more than the work (and with a
  // busy machine a parallel region can stall for milliseconds).
#pragma omp parallel if (n >= 4 * kBlock)
  {
    Eigen::ArrayXXd logit, gx, gy;
    Eigen::ArrayXd peak, total, sx, sy;
#pragma omp for schedule(static)
    for (Eigen::Index begin = 0; begin < n; begin += kBlock) {
      const Eigen::Index b = std::min(kBlock, n - begin);
      logit.resize(b, count);
      gx.resize(b, count);
      gy.resize(b, count);
      const double* px = x.col(0).data() + begin;
      const double* py = x.col(1).data() + begin;
      peak.resize(b);
      // One fused pass per component: g_k = C_k^{-1} (a mu_k - x), and the log-weight of the
      // component, since (x - a mu_k)^T C_k^{-1} (x - a mu_k) = -d . g_k.
      for (Eigen::Index k = 0; k < count; ++k) {
        const NoisedComponent& c = noised[static_cast<std::size_t>(k)];
        double* gxk = gx.col(k).data();
        double* gyk = gy.col(k).data();
        double* lk = logit.col(k).data();
        double* top = peak.data();
        const bool first = k == 0;
#pragma omp simd
        for (Eigen::Index i = 0; i < b; ++i) {
          const double dx = px[i] - c.cx;
          const double dy = py[i] - c.cy;
          const double gxi = -(c.pxx * dx + c.pxy * dy);
          const double gyi = -(c.pxy * dx + c.pyy * dy);
          gxk[i] = gxi;
          gyk[i] = gyi;
          lk[i] = c.logScale + 0.5 * (dx * gxi + dy * gyi);
          top[i] = first ? lk[i] : std::max(top[i], lk[i]);
        }
      }
      // Column by column so Eigen uses its vectorised exp (a broadcast over the whole block
      // would fall back to scalar std::exp).
      total.setZero(b);
      for (Eigen::Index k = 0; k < count; ++k) {
        logit.col(k) = (logit.col(k) - peak).exp();  // unnormalised responsibilities
        total += logit.col(k);
      }
      if (request.logDensity) out.logDensity.segment(begin, b) = peak + total.log();
      if (!(request.score || request.hessian || request.classPosterior)) continue;
      const Eigen::ArrayXd inverseTotal = total.inverse();
      sx.setZero(b);
      sy.setZero(b);
      for (Eigen::Index k = 0; k < count; ++k) {
        double* r = logit.col(k).data();
        const double* gxk = gx.col(k).data();
        const double* gyk = gy.col(k).data();
        const double* inv = inverseTotal.data();
        double* sxp = sx.data();
        double* syp = sy.data();
#pragma omp simd
        for (Eigen::Index i = 0; i < b; ++i) {
          r[i] *= inv[i];  // responsibility r_k
          sxp[i] += r[i] * gxk[i];
          syp[i] += r[i] * gyk[i];
        }
      }
      if (request.score || request.hessian) {
        out.score.col(0).segment(begin, b) = sx.matrix();
        out.score.col(1).segment(begin, b) = sy.matrix();
      }
      if (request.hessian) {
        Eigen::ArrayXd hxx = -sx * sx, hxy = -sx * sy, hyy = -sy * sy;
        for (Eigen::Index k = 0; k < count; ++k) {
          const NoisedComponent& c = noised[static_cast<std::size_t>(k)];
          hxx += logit.col(k) * (gx.col(k) * gx.col(k) - c.pxx);
          hxy += logit.col(k) * (gx.col(k) * gy.col(k) - c.pxy);
          hyy += logit.col(k) * (gy.col(k) * gy.col(k) - c.pyy);
        }
        out.hessian.col(0).segment(begin, b) = hxx.matrix();
        out.hessian.col(1).segment(begin, b) = hxy.matrix();
        out.hessian.col(2).segment(begin, b) = hyy.matrix();
      }
      if (request.classPosterior) {
        out.classPosterior.middleRows(begin, b).setZero();
        for (Eigen::Index k = 0; k < count; ++k) {
          out.classPosterior.col(components_[static_cast<std::size_t>(k)].label).segment(begin, b) +=
              logit.col(k).matrix();
        }
      }
    }
  }
  if (!(request.score)) out.score.resize(0, 2);
  return out;
}

Points GaussianMixture::sample(Eigen::Index n, const CounterRng& rng, Labels* labels) const {
  std::vector<double> cumulative;
  std::vector<Eigen::Matrix2d> roots;
  double sum = 0.0;
  for (const MixtureComponent& c : components_) {
    sum += c.weight;
    cumulative.push_back(sum);
    roots.push_back(Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d>(c.cov).operatorSqrt());
  }
  Points out(n, 2);
  if (labels) labels->resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double u = rng.uniform(1, static_cast<std::uint64_t>(i)) * sum;
    const std::size_t k = std::min<std::size_t>(
        std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin(),
        components_.size() - 1);
    out.row(i) = (components_[k].mean + roots[k] * rng.normal2(2, static_cast<std::uint64_t>(i))).transpose();
    if (labels) (*labels)(i) = components_[k].label;
  }
  return out;
}

std::unique_ptr<Target> GaussianMixture::conditional(int label) const {
  std::vector<MixtureComponent> kept;
  for (const MixtureComponent& c : components_) {
    if (c.label == label && c.weight > 0.0) kept.push_back(c);
  }
  if (kept.empty()) return nullptr;
  return std::make_unique<GaussianMixture>(std::move(kept));
}

Eigen::VectorXd GaussianMixture::labelWeights() const {
  Eigen::VectorXd weights = Eigen::VectorXd::Zero(labelCount_);
  for (const MixtureComponent& c : components_) weights(c.label) += c.weight;
  return weights;
}

std::unique_ptr<Target> GaussianMixture::clone() const {
  return std::make_unique<GaussianMixture>(*this);
}

std::string GaussianMixture::describe() const {
  return "Gaussian mixture, " + std::to_string(components_.size()) + " components, " +
         std::to_string(labelCount_) + " classes";
}

}  // namespace scorescope
