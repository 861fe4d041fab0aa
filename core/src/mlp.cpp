#include "scorescope/mlp.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "scorescope/rng.hpp"

namespace scorescope {

template <typename Scalar>
Mlp<Scalar>::Mlp(std::vector<int> sizes) : sizes_(std::move(sizes)) {
  if (sizes_.size() < 2) throw std::invalid_argument("Mlp: needs an input and an output size");
  Eigen::Index total = 0;
  for (std::size_t l = 0; l < sizes_.size(); ++l) {
    if (sizes_[l] <= 0) {
      throw std::invalid_argument("Mlp: layer " + std::to_string(l) + " has size " +
                                  std::to_string(sizes_[l]) + "; expected >= 1");
    }
    if (l + 1 < sizes_.size()) {
      offsets_.push_back(total);
      total += Eigen::Index(sizes_[l + 1]) * (sizes_[l] + 1);
    }
  }
  parameters_ = Vector::Zero(total);
}

template <typename Scalar>
typename Mlp<Scalar>::WeightMap Mlp<Scalar>::weights(int layer) const {
  const auto l = static_cast<std::size_t>(layer);
  return WeightMap(parameters_.data() + offset(layer), sizes_[l + 1], sizes_[l]);
}

template <typename Scalar>
typename Mlp<Scalar>::BiasMap Mlp<Scalar>::biases(int layer) const {
  const auto l = static_cast<std::size_t>(layer);
  return BiasMap(parameters_.data() + offset(layer) + Eigen::Index(sizes_[l + 1]) * sizes_[l],
                 sizes_[l + 1]);
}

template <typename Scalar>
void Mlp<Scalar>::initialize(std::uint64_t seed) {
  const CounterRng rng = CounterRng(seed).derive(0x4d4c50);  // "MLP"
  for (int layer = 0; layer < layerCount(); ++layer) {
    const double bound = 1.0 / std::sqrt(double(sizes_[std::size_t(layer)]));
    const Eigen::Index begin = offset(layer);
    const Eigen::Index end = layer + 1 < layerCount() ? offset(layer + 1) : parameters_.size();
    for (Eigen::Index i = begin; i < end; ++i) {
      parameters_[i] = Scalar((2.0 * rng.uniform(std::uint64_t(layer), std::uint64_t(i - begin)) - 1.0) * bound);
    }
  }
}

template <typename Scalar>
typename Mlp<Scalar>::Matrix Mlp<Scalar>::forward(const Matrix& input) const {
  Cache cache;
  return forward(input, cache);
}

template <typename Scalar>
const typename Mlp<Scalar>::Matrix& Mlp<Scalar>::forward(const Matrix& input, Cache& cache) const {
  if (input.rows() != inputSize()) {
    throw std::invalid_argument("Mlp::forward: input has " + std::to_string(input.rows()) +
                                " rows; expected " + std::to_string(inputSize()));
  }
  const auto layers = static_cast<std::size_t>(layerCount());
  cache.inputs.resize(layers);
  cache.activations.resize(layers);
  cache.sigmoids.resize(layers);
  cache.inputs[0] = input;
  for (std::size_t l = 0; l < layers; ++l) {
    Matrix& z = cache.activations[l];
    z.noalias() = weights(int(l)) * cache.inputs[l];
    z.colwise() += biases(int(l));
    if (l + 1 < layers) {
      Matrix& sigmoid = cache.sigmoids[l];
      sigmoid = (Scalar(1) + (-z.array()).exp()).inverse().matrix();
      cache.inputs[l + 1] = (z.array() * sigmoid.array()).matrix();
    }
  }
  return cache.activations.back();
}

template <typename Scalar>
void Mlp<Scalar>::backward(Cache& cache, const Matrix& outputGradient, Vector& parameterGradient,
                           Matrix* inputGradient) const {
  const int layers = layerCount();
  if (cache.activations.size() != std::size_t(layers) ||
      outputGradient.rows() != outputSize() || outputGradient.cols() != cache.activations.back().cols()) {
    throw std::invalid_argument("Mlp::backward: output gradient does not match the last forward pass");
  }
  parameterGradient.resize(parameters_.size());
  cache.gradients.resize(std::size_t(layers));
  cache.gradients[std::size_t(layers - 1)] = outputGradient;
  for (int layer = layers - 1; layer >= 0; --layer) {
    const auto l = std::size_t(layer);
    const Matrix& dz = cache.gradients[l];
    const Eigen::Index out = sizes_[l + 1], in = sizes_[l];
    Eigen::Map<Matrix> dW(parameterGradient.data() + offset(layer), out, in);
    Eigen::Map<Vector> db(parameterGradient.data() + offset(layer) + out * in, out);
    dW.noalias() = dz * cache.inputs[l].transpose();
    db = dz.rowwise().sum();
    if (layer == 0) {
      if (inputGradient) inputGradient->noalias() = weights(0).transpose() * dz;
      break;
    }
    Matrix& dh = cache.gradients[l - 1];
    dh.noalias() = weights(layer).transpose() * dz;
    const auto z = cache.activations[l - 1].array();
    const auto sigmoid = cache.sigmoids[l - 1].array();
    dh.array() *= sigmoid * (Scalar(1) + z * (Scalar(1) - sigmoid));
  }
}

template <typename Scalar>
double Mlp<Scalar>::multiplyAddsPerSample() const {
  double total = 0.0;
  for (std::size_t l = 0; l + 1 < sizes_.size(); ++l) total += double(sizes_[l]) * sizes_[l + 1];
  return total;
}

template class Mlp<float>;
template class Mlp<double>;

}  // namespace scorescope
