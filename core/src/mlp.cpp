#include "scorescope/mlp.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include <omp.h>

#include "scorescope/rng.hpp"

namespace scorescope {

namespace {

// A batch is processed in blocks of this many columns (samples), handed to the threads one at a
// time; see "Threads" in mlp.hpp. 256 columns of a 128-wide layer are 128 KiB of float, so a block's
// activations stay in L2 from one layer to the next, and the products are still wide enough
// for Eigen's GEMM kernel to run at full speed.
constexpr Eigen::Index kBlockColumns = 256;

Eigen::Index blockCount(Eigen::Index columns) { return (columns + kBlockColumns - 1) / kBlockColumns; }

// Threads of the team for `blocks` blocks: at most one per block, so a batch of one block runs on
// the calling thread alone. Every thread of the team then calls singleThreadedProducts().
int teamSize(Eigen::Index blocks) {
  return int(std::clamp<Eigen::Index>(blocks, 1, omp_get_max_threads()));
}

// Eigen's GEMM splits a product over omp_get_max_threads() threads when it is not already inside
// a team of several. Setting this thread's count to one (an ICV of the current task only, gone
// at the end of the parallel region) keeps every product of a block on its thread, so a block's
// arithmetic, Eigen's blocking sizes included, is the same whatever the thread count.
void singleThreadedProducts() { omp_set_num_threads(1); }

// Columns [begin, begin + count) of a column-major matrix, as a plain matrix view.
template <typename Matrix>
Eigen::Map<Matrix> columns(Matrix& m, Eigen::Index begin, Eigen::Index count) {
  return Eigen::Map<Matrix>(m.data() + begin * m.rows(), m.rows(), count);
}
template <typename Matrix>
Eigen::Map<const Matrix> columns(const Matrix& m, Eigen::Index begin, Eigen::Index count) {
  return Eigen::Map<const Matrix>(m.data() + begin * m.rows(), m.rows(), count);
}

// One pass over a hidden layer's block, z (rows x columns) in place: z += b, h = silu(z) and,
// when `slope` is given (same shape and layout as z), slope = silu'(z). Column by column, so z,
// sigmoid(z) and h of a column stay in L1. sigmoid is Eigen's logistic(): for float a rational
// approximation within a few ulp on [-9, 15.6] (exp(z) below, 1 above), for double
// 1 / (1 + exp(-z)).
template <typename Scalar>
void activate(Eigen::Map<Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>> z,
              const Eigen::Map<const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>>& bias, Scalar* slope,
              Eigen::Array<Scalar, Eigen::Dynamic, 1>& sigmoid) {
  using Column = Eigen::Map<Eigen::Array<Scalar, Eigen::Dynamic, 1>>;
  const Eigen::Index rows = z.rows();
  for (Eigen::Index j = 0; j < z.cols(); ++j) {
    Column zj(z.data() + j * rows, rows);
    zj += bias.array();
    sigmoid = zj.logistic();
    if (slope) Column(slope + j * rows, rows) = sigmoid * (Scalar(1) + zj * (Scalar(1) - sigmoid));
    zj *= sigmoid;
  }
}

}  // namespace

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
void Mlp<Scalar>::checkInput(const Matrix& input) const {
  if (input.rows() != inputSize()) {
    throw std::invalid_argument("Mlp::forward: input has " + std::to_string(input.rows()) +
                                " rows; expected " + std::to_string(inputSize()));
  }
}

template <typename Scalar>
typename Mlp<Scalar>::Matrix Mlp<Scalar>::forward(const Matrix& input) const {
  checkInput(input);
  const int layers = layerCount();
  const Eigen::Index batch = input.cols();
  const int widest = *std::max_element(sizes_.begin() + 1, sizes_.end());
  Matrix output(outputSize(), batch);
#pragma omp parallel num_threads(teamSize(blockCount(batch)))
  {
    singleThreadedProducts();
    // Two block-sized buffers per thread, used in turn as a layer's input and output.
    Matrix buffers[2] = {Matrix(widest, kBlockColumns), Matrix(widest, kBlockColumns)};
    Eigen::Array<Scalar, Eigen::Dynamic, 1> sigmoid;
#pragma omp for schedule(dynamic)
    for (Eigen::Index block = 0; block < blockCount(batch); ++block) {
      const Eigen::Index begin = block * kBlockColumns, count = std::min(kBlockColumns, batch - begin);
      for (int layer = 0; layer < layers; ++layer) {
        const auto l = std::size_t(layer);
        const Eigen::Index rows = sizes_[l + 1];
        Eigen::Map<Matrix> z = layer + 1 < layers ? Eigen::Map<Matrix>(buffers[l % 2].data(), rows, count)
                                                  : columns(output, begin, count);
        if (layer == 0) {
          z.noalias() = weights(0) * columns(input, begin, count);
        } else {
          z.noalias() = weights(layer) * Eigen::Map<const Matrix>(buffers[(l + 1) % 2].data(), sizes_[l], count);
        }
        if (layer + 1 < layers) {
          activate<Scalar>(z, biases(layer), nullptr, sigmoid);
        } else {
          z.colwise() += biases(layer);
        }
      }
    }
  }
  return output;
}

template <typename Scalar>
const typename Mlp<Scalar>::Matrix& Mlp<Scalar>::forward(const Matrix& input, Cache& cache) const {
  checkInput(input);
  const int layers = layerCount();
  const Eigen::Index batch = input.cols();
  // Sized once for a batch size; later calls of the same size reuse the buffers.
  cache.inputs.resize(std::size_t(layers));
  cache.slopes.resize(std::size_t(layers - 1));
  for (std::size_t l = 0; l < cache.inputs.size(); ++l) cache.inputs[l].resize(sizes_[l], batch);
  for (std::size_t l = 0; l < cache.slopes.size(); ++l) cache.slopes[l].resize(sizes_[l + 1], batch);
  cache.output.resize(outputSize(), batch);
#pragma omp parallel num_threads(teamSize(blockCount(batch)))
  {
    singleThreadedProducts();
    Eigen::Array<Scalar, Eigen::Dynamic, 1> sigmoid;
#pragma omp for schedule(dynamic)
    for (Eigen::Index block = 0; block < blockCount(batch); ++block) {
      const Eigen::Index begin = block * kBlockColumns, count = std::min(kBlockColumns, batch - begin);
      columns(cache.inputs[0], begin, count) = columns(input, begin, count);
      for (int layer = 0; layer < layers; ++layer) {
        const auto l = std::size_t(layer);
        const bool hidden = layer + 1 < layers;
        Eigen::Map<Matrix> z = columns(hidden ? cache.inputs[l + 1] : cache.output, begin, count);
        z.noalias() = weights(layer) * columns(std::as_const(cache.inputs[l]), begin, count);
        if (hidden) {
          activate<Scalar>(z, biases(layer), columns(cache.slopes[l], begin, count).data(), sigmoid);
        } else {
          z.colwise() += biases(layer);
        }
      }
    }
  }
  return cache.output;
}

template <typename Scalar>
void Mlp<Scalar>::backward(Cache& cache, const Matrix& outputGradient, Vector& parameterGradient,
                           Matrix* inputGradient) const {
  const int layers = layerCount();
  const Eigen::Index batch = cache.output.cols();
  bool matches = cache.inputs.size() == std::size_t(layers) && cache.slopes.size() == std::size_t(layers - 1) &&
                 cache.output.rows() == outputSize() && outputGradient.rows() == outputSize() &&
                 outputGradient.cols() == batch;
  for (std::size_t l = 0; matches && l < cache.inputs.size(); ++l) {
    matches = cache.inputs[l].rows() == sizes_[l] && cache.inputs[l].cols() == batch;
  }
  if (!matches) {
    throw std::invalid_argument("Mlp::backward: output gradient does not match the last forward pass");
  }
  const Eigen::Index blocks = blockCount(batch);
  const Eigen::Index parameters = parameters_.size();
  parameterGradient.resize(parameters);
  if (blocks == 0) parameterGradient.setZero();
  // One gradient per block, summed below in block order: the same sum for any thread count.
  if (blocks > 1) cache.blockGradients.resize(parameters, blocks);
  cache.gradients.resize(std::size_t(layers - 1));
  for (std::size_t l = 0; l < cache.gradients.size(); ++l) cache.gradients[l].resize(sizes_[l + 1], batch);
  if (inputGradient) inputGradient->resize(inputSize(), batch);
#pragma omp parallel num_threads(teamSize(blocks))
  {
    singleThreadedProducts();
#pragma omp for schedule(dynamic)
    for (Eigen::Index block = 0; block < blocks; ++block) {
      const Eigen::Index begin = block * kBlockColumns, count = std::min(kBlockColumns, batch - begin);
      Scalar* gradient = blocks > 1 ? cache.blockGradients.col(block).data() : parameterGradient.data();
      const Scalar* dzData = columns(outputGradient, begin, count).data();  // dz_l of the current layer
      for (int layer = layers - 1; layer >= 0; --layer) {
        const auto l = std::size_t(layer);
        const Eigen::Index out = sizes_[l + 1], in = sizes_[l];
        const Eigen::Map<const Matrix> dz(dzData, out, count);
        Eigen::Map<Matrix> dW(gradient + offset(layer), out, in);
        Eigen::Map<Vector> db(gradient + offset(layer) + out * in, out);
        dW.noalias() = dz * columns(std::as_const(cache.inputs[l]), begin, count).transpose();
        db = dz.col(0);
        for (Eigen::Index j = 1; j < count; ++j) db += dz.col(j);
        if (layer == 0) {
          if (inputGradient) columns(*inputGradient, begin, count).noalias() = weights(0).transpose() * dz;
          break;
        }
        Eigen::Map<Matrix> dh = columns(cache.gradients[l - 1], begin, count);
        dh.noalias() = weights(layer).transpose() * dz;
        dh.array() *= columns(std::as_const(cache.slopes[l - 1]), begin, count).array();
        dzData = dh.data();
      }
    }
  }
  if (blocks > 1) {
    parameterGradient = cache.blockGradients.col(0);
    for (Eigen::Index block = 1; block < blocks; ++block) parameterGradient += cache.blockGradients.col(block);
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
