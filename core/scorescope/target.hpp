#pragma once
// A 2D data distribution p_0 whose noised marginals p_t are known exactly. For the Gaussian
// noising x_t = a x0 + s eps every target here gives, at any (a, s), the exact log p_t, its
// score grad log p_t, the Hessian of log p_t (for exact divergences and Jacobians) and, when its
// data carry class labels, the class posterior p_t(y | x).
#include <memory>
#include <string>

#include "scorescope/points.hpp"
#include "scorescope/rng.hpp"

namespace scorescope {

struct FieldRequest {
  bool logDensity = false;
  bool score = false;
  bool hessian = false;
  bool classPosterior = false;
};

struct FieldValues {
  Eigen::VectorXd logDensity;        // n
  Points score;                      // n x 2
  SymmetricPerPoint hessian;         // n x 3 (xx, xy, yy) of log p_t
  Eigen::MatrixXd classPosterior;    // n x labelCount(), rows sum to 1
};

class Target {
 public:
  virtual ~Target() = default;

  // Evaluates what `request` asks for at points x under p_t with x_t = a x0 + s eps.
  // Requires a > 0 and s >= 0 (s = 0 only where the target has a density at t = 0).
  virtual FieldValues evaluate(const Points& x, double a, double s, FieldRequest request) const = 0;

  // True when p_0 has a density, so evaluate() accepts s = 0 (a mixture; not a point set).
  virtual bool hasDensityAtZeroNoise() const = 0;

  // n exact samples of p_0; labels (may be null) receive each sample's class.
  virtual Points sample(Eigen::Index n, const CounterRng& rng, Labels* labels) const = 0;

  // Number of class labels (labels are 0..labelCount()-1); 1 when unlabelled.
  virtual int labelCount() const = 0;
  // p_0 restricted to one class, renormalised; nullptr when the class is empty.
  virtual std::unique_ptr<Target> conditional(int label) const = 0;
  // Total prior mass of each class.
  virtual Eigen::VectorXd labelWeights() const = 0;

  virtual std::unique_ptr<Target> clone() const = 0;
  virtual std::string describe() const = 0;
};

}  // namespace scorescope
