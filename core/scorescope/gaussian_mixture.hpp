#pragma once
// Gaussian mixture p_0 = sum_k w_k N(mu_k, S_k) with optional class labels.
// Its noised marginal is again a mixture (docs/math.md, "Exact scores"):
//   p_t = sum_k w_k N(a mu_k, C_k),  C_k = a^2 S_k + s^2 I,
//   grad log p_t(x) = sum_k r_k(x) C_k^{-1} (a mu_k - x),  r_k = responsibilities,
//   Hessian log p_t = sum_k r_k (g_k g_k^T - C_k^{-1}) - score score^T,  g_k = C_k^{-1}(a mu_k - x),
//   p_t(y | x) = sum of r_k over the components labelled y.
// Everything is computed with log-sum-exp over components, so far-away points do not underflow.
#include <optional>
#include <vector>

#include "scorescope/target.hpp"

namespace scorescope {

struct MixtureComponent {
  double weight = 1.0;
  Eigen::Vector2d mean = Eigen::Vector2d::Zero();
  Eigen::Matrix2d cov = Eigen::Matrix2d::Identity();
  int label = 0;

  bool operator==(const MixtureComponent&) const = default;
};

// Limits on user-supplied components. They keep every quantity the samplers, scores and
// likelihoods compute finite in double precision: |x - a mu|^2 / lambda_min stays below ~1e36,
// log det C and the normaliser stay small, and a 2x2 determinant or inverse keeps at least six
// significant digits (relative error ~ 1e-16 x condition number). Far wider than any teaching
// target (the presets use |mu| <= 4, variances ~ 0.06).
inline constexpr double kMaxMixtureMean = 1e6;       // |mu_x|, |mu_y|; also the CLI's point limit
inline constexpr double kMaxMixtureWeight = 1e12;    // weights are relative (normalised to sum 1)
inline constexpr double kMinCovEigenvalue = 1e-12;   // std >= 1e-6
inline constexpr double kMaxCovEigenvalue = 1e12;    // std <= 1e6
inline constexpr double kMaxCovCondition = 1e10;     // lambda_max / lambda_min
inline constexpr int kMaxMixtureLabel = 255;         // = kMaxLabel (scene.hpp); labels index arrays

// Checks user-supplied components and returns one line naming the offending field and the
// allowed values, or nothing when valid: at least one component; means within
// +-kMaxMixtureMean; weights in [0, kMaxMixtureWeight] summing to a positive number; symmetric
// positive-definite covariances with eigenvalues in [kMinCovEigenvalue, kMaxCovEigenvalue] and
// condition number <= kMaxCovCondition; labels in [0, kMaxMixtureLabel].
std::optional<std::string> validateMixture(const std::vector<MixtureComponent>& components);

class GaussianMixture final : public Target {
 public:
  // Weights are normalised here. Asserts validity (callers validate user input first);
  // positive semi-definite covariances are allowed internally (C_k is positive definite once s > 0).
  explicit GaussianMixture(std::vector<MixtureComponent> components);

  const std::vector<MixtureComponent>& components() const { return components_; }

  FieldValues evaluate(const Points& x, double a, double s, FieldRequest request) const override;
  bool hasDensityAtZeroNoise() const override { return true; }
  Points sample(Eigen::Index n, const CounterRng& rng, Labels* labels) const override;
  int labelCount() const override { return labelCount_; }
  std::unique_ptr<Target> conditional(int label) const override;
  Eigen::VectorXd labelWeights() const override;
  std::unique_ptr<Target> clone() const override;
  std::string describe() const override;

 private:
  std::vector<MixtureComponent> components_;
  int labelCount_ = 1;
};

}  // namespace scorescope
