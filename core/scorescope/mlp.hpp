#pragma once
// A multilayer perceptron with SiLU hidden layers and a linear output, with its backpropagation
// written out: the network inside every learned score model and noisy classifier.
//
// Layout: one column per sample (features x batch), so each layer is one matrix product
// H = W X + b over the whole batch. All weights and biases live in one flat vector (per layer:
// W column-major, then b), which makes Adam one vectorised pass and a model file one array.
//
//   forward   z_l = W_l h_{l-1} + b_l,   h_l = silu(z_l) (hidden),  out = z_L
//   backward  dz_L = dout;  dW_l = dz_l h_{l-1}^T,  db_l = rowsum(dz_l),
//             dh_{l-1} = W_l^T dz_l,  dz_{l-1} = dh_{l-1} * silu'(z_{l-1})
//   silu(z) = z sigmoid(z),  silu'(z) = sigmoid(z) (1 + z (1 - sigmoid(z)))
//
// Forward keeps h_{l-1} and silu'(z_l) (computed in the same pass as h_l) for backward, so
// backward needs neither z nor sigmoid(z). For float, sigmoid is Eigen's logistic(), a rational
// approximation within a few ulp (several times faster than 1 / (1 + exp(-z)) without AVX).
//
// Threads: a batch is split into blocks of 256 columns, handed to OpenMP threads as they come
// free, every product of a block running on one thread; backward sums the per-block parameter
// gradients in block order. So the results depend on the batch size but not on the thread count
// or on which thread took which block: the same bits for 1 or 16 threads.
//
// Templated on the scalar: float for training and sampling, double for the finite-difference
// gradient checks of the tests.
#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace scorescope {

template <typename Scalar>
class Mlp {
 public:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using WeightMap = Eigen::Map<const Matrix>;
  using BiasMap = Eigen::Map<const Vector>;

  // Intermediate values of one forward pass, kept for backward. Reused between calls: buffers
  // keep their capacity, so a training loop of fixed batch size allocates once.
  struct Cache {
    std::vector<Matrix> inputs;    // h_{l-1} per layer (inputs[0] is the network input)
    std::vector<Matrix> slopes;    // silu'(z_l) per hidden layer
    Matrix output;                 // z_L, what forward returned
    std::vector<Matrix> gradients; // backward's work space: dz_l per hidden layer
    Matrix blockGradients;         // backward's per-block parameter gradients (one column each)
  };

  Mlp() = default;
  // sizes = {inputs, hidden..., outputs}: at least two entries, all positive. Throws
  // std::invalid_argument otherwise. Parameters start at zero; call initialize().
  explicit Mlp(std::vector<int> sizes);

  const std::vector<int>& sizes() const { return sizes_; }
  int layerCount() const { return static_cast<int>(sizes_.size()) - 1; }
  int inputSize() const { return sizes_.front(); }
  int outputSize() const { return sizes_.back(); }
  Eigen::Index parameterCount() const { return parameters_.size(); }

  Vector& parameters() { return parameters_; }
  const Vector& parameters() const { return parameters_; }
  // Layer l's weights (sizes[l+1] x sizes[l]) and biases, as views into parameters().
  WeightMap weights(int layer) const;
  BiasMap biases(int layer) const;

  // PyTorch's nn.Linear default: W and b uniform in +-1/sqrt(fan_in), from a counter-based
  // stream of `seed` (the same network for the same seed on any thread count).
  void initialize(std::uint64_t seed);

  // Output (outputs x batch) for input (inputs x batch). Throws std::invalid_argument when the
  // input does not have inputSize() rows. Safe to call from several threads at once.
  Matrix forward(const Matrix& input) const;
  // The same (bit for bit), keeping what backward needs in `cache`.
  const Matrix& forward(const Matrix& input, Cache& cache) const;
  // Given dL/d output of the last forward(input, cache), writes dL/d parameters into
  // `parameterGradient` (resized to parameterCount()) and, when asked, dL/d input. Throws
  // std::invalid_argument when outputGradient's shape or the cache does not match.
  void backward(Cache& cache, const Matrix& outputGradient, Vector& parameterGradient,
                Matrix* inputGradient = nullptr) const;

  // Multiply-adds of one forward pass per sample (backward costs twice this).
  double multiplyAddsPerSample() const;

 private:
  Eigen::Index offset(int layer) const { return offsets_[static_cast<std::size_t>(layer)]; }
  void checkInput(const Matrix& input) const;

  std::vector<int> sizes_;
  std::vector<Eigen::Index> offsets_;  // start of each layer's W in parameters_
  Vector parameters_;
};

extern template class Mlp<float>;
extern template class Mlp<double>;

}  // namespace scorescope
