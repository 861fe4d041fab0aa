// Timing harness for one training step of the score network's MLP: forward, the eps-prediction
// MSE gradient, backward, Adam, on a fixed input (no data generation), against plain Eigen float
// GEMMs of the same shapes compiled with the same flags and run on the same threads.
//
//   cmake --build build --target mlp_step_bench && build/bench/mlp_step_bench --threads 2
//
// FLOPs are counted as in ScoreTrainer::flopsPerStep: 2 per multiply-add, forward
// 2 * multiplyAddsPerSample * batch, backward twice that. "GEMM fwd" times the forward products
// W_l X_l (batch columns); "GEMM all" adds the backward ones (dz h^T and W^T dz) of a step.
// Blocks of the step and of the GEMMs are interleaved and each is reported as the median.
#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "scorescope/adam.hpp"
#include "scorescope/mlp.hpp"
#include "scorescope/parallel.hpp"
#include "scorescope/rng.hpp"

using namespace scorescope;
using Matrix = Mlp<float>::Matrix;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

template <typename F>
double secondsPer(int count, F&& f) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / count;
}

Matrix randomMatrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  const CounterRng rng(seed);
  Matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = float(rng.normal2(0, std::uint64_t(i))[0]);
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 0, batch = 1024, steps = 50, repeats = 7, width = 128, depth = 3, inputs = 18;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--threads") threads = value;
    else if (flag == "--batch") batch = value;
    else if (flag == "--steps") steps = value;
    else if (flag == "--repeats") repeats = value;
    else if (flag == "--width") width = value;
    else if (flag == "--depth") depth = value;
    else if (flag == "--inputs") inputs = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  setThreadCount(threads);
  std::vector<int> sizes = {inputs};
  for (int l = 0; l < depth; ++l) sizes.push_back(width);
  sizes.push_back(2);

  Mlp<float> net(sizes);
  net.initialize(1);
  Adam<float> adam(net.parameterCount(), AdamSettings{});
  const Matrix input = randomMatrix(inputs, batch, 2);
  const Matrix eps = randomMatrix(2, batch, 3);
  Mlp<float>::Cache cache;
  Mlp<float>::Vector gradient;
  Matrix outputGradient(2, batch);
  float loss = 0.0f;
  const auto forward = [&] {
    const Matrix& out = net.forward(input, cache);
    outputGradient.noalias() = (out - eps) * (2.0f / float(out.size()));
    loss = (out - eps).squaredNorm() / float(out.size());
  };
  const auto backward = [&] { net.backward(cache, outputGradient, gradient); };
  const auto update = [&] { adam.step(net.parameters(), gradient, 1e-3); };
  const auto step = [&] { forward(); backward(); update(); };

  // The same products as a step, as plain Eigen expressions into preallocated matrices.
  const std::size_t layers = sizes.size() - 1;
  std::vector<Matrix> w, x, z, dz, dw, dh;
  for (std::size_t l = 0; l < layers; ++l) {
    w.push_back(randomMatrix(sizes[l + 1], sizes[l], 10 + l));
    x.push_back(randomMatrix(sizes[l], batch, 20 + l));
    z.push_back(Matrix(sizes[l + 1], batch));
    dz.push_back(randomMatrix(sizes[l + 1], batch, 30 + l));
    dw.push_back(Matrix(sizes[l + 1], sizes[l]));
    dh.push_back(Matrix(sizes[l], batch));
  }
  const auto gemmForward = [&] {
    for (std::size_t l = 0; l < layers; ++l) z[l].noalias() = w[l] * x[l];
  };
  const auto gemmAll = [&] {
    gemmForward();
    for (std::size_t l = 0; l < layers; ++l) {
      dw[l].noalias() = dz[l] * x[l].transpose();
      if (l > 0) dh[l].noalias() = w[l].transpose() * dz[l];
    }
  };

  const double flopsForward = 2.0 * net.multiplyAddsPerSample() * batch;
  const double flopsStep = 3.0 * flopsForward;
  double flopsAll = flopsForward;  // what gemmAll really does (no input gradient of layer 0)
  for (std::size_t l = 0; l < layers; ++l) flopsAll += 2.0 * batch * sizes[l] * sizes[l + 1] * (l > 0 ? 2 : 1);

  for (int i = 0; i < 5; ++i) {
    step();
    gemmAll();
  }
  std::vector<double> tStep, tForward, tBackward, tAdam, tGemmF, tGemmAll;
  for (int r = 0; r < repeats; ++r) {
    tStep.push_back(secondsPer(steps, step));
    tGemmF.push_back(secondsPer(steps, gemmForward));
    tGemmAll.push_back(secondsPer(steps, gemmAll));
    tForward.push_back(secondsPer(steps, forward));
    tBackward.push_back(secondsPer(steps, [&] { forward(); backward(); }));
    tAdam.push_back(secondsPer(steps, update));
  }
  const double step_s = median(tStep), gemmF = median(tGemmF), gemmA = median(tGemmAll);
  const double fwd = median(tForward), fb = median(tBackward), ad = median(tAdam);
  std::printf("MLP");
  for (int s : sizes) std::printf("-%d", s);
  std::printf(", batch %d, float, %d threads, median of %d blocks of %d (loss %.4f)\n", batch, threadCount(),
              repeats, steps, double(loss));
  std::printf("%-28s %10s %10s\n", "", "ms", "GFLOP/s");
  std::printf("%-28s %10.3f %10.2f\n", "step (fwd+bwd+Adam)", step_s * 1e3, flopsStep / step_s * 1e-9);
  std::printf("%-28s %10.3f %10.2f\n", "  forward", fwd * 1e3, flopsForward / fwd * 1e-9);
  std::printf("%-28s %10.3f %10.2f\n", "  backward", (fb - fwd) * 1e3, 2 * flopsForward / (fb - fwd) * 1e-9);
  std::printf("%-28s %10.3f\n", "  Adam", ad * 1e3);
  std::printf("%-28s %10.3f %10.2f\n", "GEMM fwd shapes", gemmF * 1e3, flopsForward / gemmF * 1e-9);
  std::printf("%-28s %10.3f %10.2f\n", "GEMM fwd+bwd shapes", gemmA * 1e3, flopsAll / gemmA * 1e-9);
  std::printf("step / GEMM fwd GFLOP/s: %.1f%%   step / GEMM all: %.1f%%\n",
              100.0 * (flopsStep / step_s) / (flopsForward / gemmF), 100.0 * (flopsStep / step_s) / (flopsAll / gemmA));
  return 0;
}
