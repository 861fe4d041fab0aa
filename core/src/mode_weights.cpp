#include "scorescope/mode_weights.hpp"

#include <Eigen/LU>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace scorescope {

std::vector<double> modeFractions(const GaussianMixture& mixture, const Points& x) {
  const std::vector<MixtureComponent>& c = mixture.components();
  std::vector<double> fractions(c.size(), 0.0);
  if (x.rows() == 0) return fractions;
  // log w_k + log N(x; mu_k, S_k) up to the shared -log(2 pi): only the arg max is needed.
  std::vector<Eigen::Matrix2d> precision;
  std::vector<double> offset;
  for (const MixtureComponent& k : c) {
    precision.push_back(k.cov.inverse());
    offset.push_back(k.weight > 0.0 ? std::log(k.weight) - 0.5 * std::log(k.cov.determinant())
                                    : -std::numeric_limits<double>::infinity());
  }
  std::vector<long long> counts(c.size(), 0);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const Eigen::Vector2d p = x.row(i).transpose();
    std::size_t best = 0;
    double bestValue = -std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < c.size(); ++k) {
      const Eigen::Vector2d d = p - c[k].mean;
      const double value = offset[k] - 0.5 * d.dot(precision[k] * d);
      if (value > bestValue) {
        bestValue = value;
        best = k;
      }
    }
    ++counts[best];
  }
  for (std::size_t k = 0; k < c.size(); ++k) fractions[k] = static_cast<double>(counts[k]) / static_cast<double>(x.rows());
  return fractions;
}

std::vector<double> modeWeights(const GaussianMixture& mixture) {
  std::vector<double> w;
  double total = 0.0;
  for (const MixtureComponent& k : mixture.components()) total += k.weight;
  for (const MixtureComponent& k : mixture.components()) w.push_back(k.weight / total);
  return w;
}

std::vector<MixtureComponent> withModeWeight(std::vector<MixtureComponent> components, std::size_t k, double w) {
  if (k >= components.size()) throw std::invalid_argument("withModeWeight(): no component " + std::to_string(k));
  if (!(w > 0.0 && w < 1.0)) throw std::invalid_argument("withModeWeight(): weight: expected a number in (0, 1)");
  double others = 0.0;
  for (std::size_t j = 0; j < components.size(); ++j) {
    if (j != k) others += components[j].weight;
  }
  const double rest = components.size() > 1 ? 1.0 - w : 0.0;
  for (std::size_t j = 0; j < components.size(); ++j) {
    if (j == k) continue;
    components[j].weight = others > 0.0 ? components[j].weight / others * rest
                                        : rest / static_cast<double>(components.size() - 1);
  }
  components[k].weight = components.size() > 1 ? w : 1.0;
  return components;
}

}  // namespace scorescope
