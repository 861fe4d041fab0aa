// The network and its optimiser: Mlp's backpropagation against central finite differences (every
// weight and bias of every layer, and the input), its forward pass against a hand computation and
// between float and double, its shape checks and initialisation; Adam against a hand-computed
// two-step update and on a quadratic; the learning-rate schedule.
#include <QTest>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "scorescope/adam.hpp"
#include "scorescope/mlp.hpp"
#include "scorescope/parallel.hpp"
#include "scorescope/rng.hpp"
#include "test_support.hpp"

using namespace scorescope;

namespace {

using MlpD = Mlp<double>;
using MatrixD = MlpD::Matrix;
using VectorD = MlpD::Vector;

// Standard normals (rows x cols) from a counter stream, times `scale`.
MatrixD normals(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed, double scale = 1.0) {
  const CounterRng rng(seed);
  MatrixD m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j) {
    for (Eigen::Index i = 0; i < rows; ++i) {
      m(i, j) = scale * rng.normal2(std::uint64_t(j), std::uint64_t(i))[0];
    }
  }
  return m;
}

// The two losses of the checks, written here independently of the library:
//   quadratic      L = 1/(2B) sum_ij w_ij (out_ij - y_ij)^2  (w: fixed positive weights, so
//                  every output row matters differently),  dL/dout = w (out - y) / B;
//   cross-entropy  L = -1/B sum_j log softmax(out_:j)[label_j],
//                  dL/dout_:j = (softmax(out_:j) - onehot(label_j)) / B.
enum class LossKind { Quadratic, CrossEntropy };

struct LossData {
  MatrixD target;       // quadratic: y
  MatrixD weight;       // quadratic: w
  std::vector<int> labels;  // cross-entropy
};

LossData makeLossData(Eigen::Index outputs, Eigen::Index batch) {
  LossData d;
  d.target = normals(outputs, batch, 901);
  d.weight = (normals(outputs, batch, 902).array().abs() + 0.5).matrix();
  for (Eigen::Index j = 0; j < batch; ++j) d.labels.push_back(int((3 * j + 1) % outputs));
  return d;
}

MatrixD softmaxColumns(const MatrixD& out) {
  MatrixD p = out;
  for (Eigen::Index j = 0; j < out.cols(); ++j) {
    const double top = out.col(j).maxCoeff();
    p.col(j) = (out.col(j).array() - top).exp().matrix();
    p.col(j) /= p.col(j).sum();
  }
  return p;
}

double lossValue(LossKind kind, const MatrixD& out, const LossData& d) {
  if (kind == LossKind::Quadratic) {
    return 0.5 * (d.weight.array() * (out - d.target).array().square()).sum() / double(out.cols());
  }
  double total = 0.0;
  for (Eigen::Index j = 0; j < out.cols(); ++j) {
    const double top = out.col(j).maxCoeff();
    const double logSum = top + std::log((out.col(j).array() - top).exp().sum());
    total -= out(d.labels[std::size_t(j)], j) - logSum;
  }
  return total / double(out.cols());
}

MatrixD lossGradient(LossKind kind, const MatrixD& out, const LossData& d) {
  if (kind == LossKind::Quadratic) return (d.weight.array() * (out - d.target).array()).matrix() / double(out.cols());
  MatrixD g = softmaxColumns(out);
  for (Eigen::Index j = 0; j < out.cols(); ++j) g(d.labels[std::size_t(j)], j) -= 1.0;
  return g / double(out.cols());
}

// Central differences: (L(p + h) - L(p - h)) / 2h has truncation error h^2/6 |L'''| and rounding
// error about eps |L| / h (eps = 2.2e-16). With h = 1e-5 and L and its derivatives of order 1
// (weights in +-1/sqrt(fan_in), inputs ~ N(0, 2^2), losses are means over the batch) both are
// ~1e-10 (the largest difference seen on these rows is 3e-10), so a tolerance of 1e-7 * max(1, |g|) leaves a
// margin of 300, while a real mistake in the backward pass (a wrong silu', a transposed or
// shifted block, a missing term) is off by 1e-3 or more.
constexpr double kStep = 1e-5;
constexpr double kGradientTolerance = 1e-7;

bool gradientClose(double analytic, double numeric) {
  return std::abs(analytic - numeric) <= kGradientTolerance * std::max(1.0, std::abs(numeric));
}

}  // namespace

class TestNn : public QObject {
  Q_OBJECT
 private slots:
  void parameterGradientMatchesFiniteDifferences_data();
  void parameterGradientMatchesFiniteDifferences();
  void inputGradientMatchesFiniteDifferences_data();
  void inputGradientMatchesFiniteDifferences();
  void forwardMatchesHandComputation();
  void floatAndDoubleForwardAgree();
  void cacheIsReusedAcrossBatchSizes();
  void resultsDoNotDependOnThreadCount();
  void badShapesThrow();
  void initializeIsSeededAndBounded();
  void adamTwoStepsMatchHandComputation_data();
  void adamTwoStepsMatchHandComputation();
  void adamMinimisesAQuadratic();
  void adamRefusesWrongSizes();
  void learningRateSchedule();
  void cleanup() { setThreadCount(0); }
};

namespace {

void addShapeRows(bool severalBlocks) {
  QTest::addColumn<QList<int>>("sizes");
  QTest::addColumn<int>("loss");
  QTest::addColumn<int>("batch");
  const QList<QList<int>> shapes = {{4, 3}, {3, 7, 2}, {2, 6, 5, 3}, {18, 8, 8, 8, 2}};
  for (const QList<int>& sizes : shapes) {
    QStringList name;
    for (int s : sizes) name << QString::number(s);
    for (LossKind kind : {LossKind::Quadratic, LossKind::CrossEntropy}) {
      const QString row = name.join('-') + (kind == LossKind::Quadratic ? " quadratic" : " cross-entropy");
      QTest::newRow(qPrintable(row)) << sizes << int(kind) << 5;
    }
  }
  // Batches of several column blocks (256 columns each, the last one partial): backward sums the
  // blocks' gradients.
  if (!severalBlocks) return;
  QTest::newRow("3-7-2 quadratic, batch 600") << QList<int>{3, 7, 2} << int(LossKind::Quadratic) << 600;
  QTest::newRow("2-6-5-3 cross-entropy, batch 600") << QList<int>{2, 6, 5, 3} << int(LossKind::CrossEntropy) << 600;
}

MlpD makeNetwork(const QList<int>& sizes, std::uint64_t seed) {
  MlpD net(std::vector<int>(sizes.begin(), sizes.end()));
  net.initialize(seed);
  return net;
}

}  // namespace

void TestNn::parameterGradientMatchesFiniteDifferences_data() { addShapeRows(true); }

// Every weight and every bias of every layer: the analytic gradient of backward() against the
// central difference of the loss in that one parameter.
void TestNn::parameterGradientMatchesFiniteDifferences() {
  QFETCH(QList<int>, sizes);
  QFETCH(int, loss);
  QFETCH(int, batch);
  const auto kind = LossKind(loss);
  MlpD net = makeNetwork(sizes, 11);
  const MatrixD input = normals(net.inputSize(), batch, 12, 2.0);
  const LossData data = makeLossData(net.outputSize(), batch);

  MlpD::Cache cache;
  const MatrixD out = net.forward(input, cache);
  VectorD gradient;
  net.backward(cache, lossGradient(kind, out, data), gradient);
  QCOMPARE(gradient.size(), net.parameterCount());

  Eigen::Index offset = 0, checked = 0;
  for (int layer = 0; layer < net.layerCount(); ++layer) {
    const Eigen::Index rows = net.weights(layer).rows(), cols = net.weights(layer).cols();
    // The flat layout: layer l's W (column-major), then its b, right after layer l-1's b.
    QCOMPARE(net.weights(layer).data(), net.parameters().data() + offset);
    QCOMPARE(net.biases(layer).data(), net.parameters().data() + offset + rows * cols);
    double largest = 0.0;
    for (Eigen::Index k = 0; k < rows * (cols + 1); ++k) {
      const Eigen::Index i = offset + k;
      const double saved = net.parameters()[i];
      net.parameters()[i] = saved + kStep;
      const double up = lossValue(kind, net.forward(input), data);
      net.parameters()[i] = saved - kStep;
      const double down = lossValue(kind, net.forward(input), data);
      net.parameters()[i] = saved;
      const double numeric = (up - down) / (2 * kStep);
      const bool isBias = k >= rows * cols;
      QVERIFY2(gradientClose(gradient[i], numeric),
               qPrintable(QStringLiteral("layer %1 %2 (%3, %4): backward %5, finite difference %6")
                              .arg(layer)
                              .arg(isBias ? "bias" : "weight")
                              .arg(isBias ? k - rows * cols : k % rows)
                              .arg(isBias ? 0 : k / rows)
                              .arg(gradient[i], 0, 'g', 12)
                              .arg(numeric, 0, 'g', 12)));
      largest = std::max(largest, std::abs(numeric));
      ++checked;
    }
    // Not a vacuous match of zeros: every layer's gradient is of a size that exposes errors.
    QVERIFY2(largest > 1e-3, qPrintable(QStringLiteral("layer %1: largest gradient %2").arg(layer).arg(largest)));
    offset += rows * (cols + 1);
  }
  QCOMPARE(checked, net.parameterCount());
  QCOMPARE(offset, net.parameterCount());
}

void TestNn::inputGradientMatchesFiniteDifferences_data() { addShapeRows(false); }

void TestNn::inputGradientMatchesFiniteDifferences() {
  QFETCH(QList<int>, sizes);
  QFETCH(int, loss);
  QFETCH(int, batch);
  const auto kind = LossKind(loss);
  const MlpD net = makeNetwork(sizes, 21);
  MatrixD input = normals(net.inputSize(), batch, 22, 2.0);
  const LossData data = makeLossData(net.outputSize(), batch);

  MlpD::Cache cache;
  const MatrixD out = net.forward(input, cache);
  VectorD parameterGradient;
  MatrixD inputGradient;
  net.backward(cache, lossGradient(kind, out, data), parameterGradient, &inputGradient);
  QCOMPARE(inputGradient.rows(), input.rows());
  QCOMPARE(inputGradient.cols(), Eigen::Index(batch));
  double largest = 0.0;
  for (Eigen::Index j = 0; j < batch; ++j) {
    for (Eigen::Index i = 0; i < input.rows(); ++i) {
      const double saved = input(i, j);
      input(i, j) = saved + kStep;
      const double up = lossValue(kind, net.forward(input), data);
      input(i, j) = saved - kStep;
      const double down = lossValue(kind, net.forward(input), data);
      input(i, j) = saved;
      const double numeric = (up - down) / (2 * kStep);
      QVERIFY2(gradientClose(inputGradient(i, j), numeric),
               qPrintable(QStringLiteral("input (%1, %2): backward %3, finite difference %4")
                              .arg(i).arg(j).arg(inputGradient(i, j), 0, 'g', 12).arg(numeric, 0, 'g', 12)));
      largest = std::max(largest, std::abs(numeric));
    }
  }
  QVERIFY2(largest > 1e-3, qPrintable(QStringLiteral("largest input gradient %1").arg(largest)));
}

// The gradient checks only show that backward differentiates forward; this pins forward itself
// (SiLU hidden layer, linear output, the flat layout) on a 2-2-1 network worked by hand:
//   W0 = [[1, -2], [0.5, 3]] (column-major: 1, 0.5, -2, 3), b0 = (0.25, -1),
//   W1 = [2, -1], b1 = 0.5, x = (1, 0.5):
//   z0 = (1 - 1 + 0.25, 0.5 + 1.5 - 1) = (0.25, 1),  h = silu(z0) = z0 / (1 + e^-z0),
//   out = 2 h_0 - h_1 + 0.5.
void TestNn::forwardMatchesHandComputation() {
  MlpD net({2, 2, 1});
  QCOMPARE(net.parameterCount(), Eigen::Index(9));
  net.parameters() << 1, 0.5, -2, 3, 0.25, -1, 2, -1, 0.5;
  MatrixD x(2, 2);
  x << 1, 0, 0.5, 0;  // second sample: the origin, out = 2 silu(0.25) - silu(-1) + 0.5
  const auto silu = [](double z) { return z / (1 + std::exp(-z)); };
  const double first = 2 * silu(0.25) - silu(1.0) + 0.5;
  const double second = 2 * silu(0.25) - silu(-1.0) + 0.5;
  const MatrixD out = net.forward(x);
  QCOMPARE(out.rows(), Eigen::Index(1));
  QCOMPARE(out.cols(), Eigen::Index(2));
  QVERIFY2(std::abs(out(0, 0) - first) < 1e-14, qPrintable(QString::number(out(0, 0), 'g', 17)));
  QVERIFY2(std::abs(out(0, 1) - second) < 1e-14, qPrintable(QString::number(out(0, 1), 'g', 17)));
  // Forward with and without a cache is the same computation.
  MlpD::Cache cache;
  QCOMPARE(net.forward(x, cache), out);
  QCOMPARE(net.multiplyAddsPerSample(), 2.0 * 2 + 2.0 * 1);
}

// The same parameters in float and double: float rounds each product and sum at 6e-8 relative;
// over dot products of 64 terms of size ~0.1 and four layers the outputs (of order 1) differ by a
// few 1e-7 at most, so 1e-5 * max(1, |out|) is a wide margin that still catches a float path
// computing something else (any structural difference is of order 1e-2 or more).
void TestNn::floatAndDoubleForwardAgree() {
  for (int threads : {1, 2}) {
    setThreadCount(threads);
    const MlpD net = makeNetwork({18, 64, 64, 64, 2}, 31);
    Mlp<float> single(net.sizes());
    single.parameters() = net.parameters().cast<float>();
    const MatrixD input = normals(18, 300, 32, 1.5);
    const MatrixD expected = net.forward(input);
    Mlp<float>::Cache cache;
    const Mlp<float>::Matrix actual = single.forward(input.cast<float>(), cache);
    const double scale = std::max(1.0, expected.cwiseAbs().maxCoeff());
    const double error = (actual.cast<double>() - expected).cwiseAbs().maxCoeff();
    QVERIFY2(error <= 1e-5 * scale, qPrintable(QStringLiteral("%1 threads: max |float - double| = %2 (scale %3)")
                                                   .arg(threads).arg(error).arg(scale)));
    QVERIFY(expected.cwiseAbs().maxCoeff() > 0.1);  // not a comparison of near-zero outputs

    // The float backward against the double one, on the quadratic loss (same margin argument).
    const LossData data = makeLossData(2, 300);
    MlpD::Cache cacheD;
    const MatrixD outD = net.forward(input, cacheD);
    VectorD gradD;
    net.backward(cacheD, lossGradient(LossKind::Quadratic, outD, data), gradD);
    Mlp<float>::Vector gradF;
    single.backward(cache, lossGradient(LossKind::Quadratic, actual.cast<double>(), data).cast<float>(), gradF);
    const double gradScale = std::max(1.0, gradD.cwiseAbs().maxCoeff());
    const double gradError = (gradF.cast<double>() - gradD).cwiseAbs().maxCoeff();
    QVERIFY2(gradError <= 1e-4 * gradScale,
             qPrintable(QStringLiteral("%1 threads: max |float - double| gradient = %2 (scale %3)")
                            .arg(threads).arg(gradError).arg(gradScale)));
  }
}

// A cache first used for a larger batch gives the same results for a smaller one as a fresh cache
// (its buffers are reused, never read stale). 700 and 300 columns: 3 and 2 blocks.
void TestNn::cacheIsReusedAcrossBatchSizes() {
  const MlpD net = makeNetwork({3, 9, 9, 2}, 41);
  const LossData data = makeLossData(2, 300);
  MlpD::Cache reused;
  VectorD gradient;
  MatrixD inputGradient;
  {
    const MatrixD big = normals(3, 700, 42);
    const MatrixD out = net.forward(big, reused);
    net.backward(reused, MatrixD::Ones(2, 700), gradient, &inputGradient);
  }
  const MatrixD small = normals(3, 300, 43);
  const MatrixD outReused = net.forward(small, reused);
  VectorD gradientReused;
  MatrixD inputGradientReused;
  net.backward(reused, lossGradient(LossKind::Quadratic, outReused, data), gradientReused, &inputGradientReused);

  MlpD::Cache fresh;
  const MatrixD outFresh = net.forward(small, fresh);
  VectorD gradientFresh;
  MatrixD inputGradientFresh;
  net.backward(fresh, lossGradient(LossKind::Quadratic, outFresh, data), gradientFresh, &inputGradientFresh);
  QCOMPARE(outReused, outFresh);
  QCOMPARE(gradientReused, gradientFresh);
  QCOMPARE(inputGradientReused, inputGradientFresh);
  QCOMPARE(inputGradientReused.cols(), Eigen::Index(300));
}

// mlp.hpp: batches are split into blocks of 256 columns, each block's products on one thread,
// and backward sums the blocks' gradients in block order, so 1, 2 or 3 threads give the same bits
// (1000 columns: 4 blocks, the last of 232). forward without a cache is the same arithmetic.
// The thread count the caller set is left as it was.
void TestNn::resultsDoNotDependOnThreadCount() {
  using MlpF = Mlp<float>;
  MlpF net({18, 64, 64, 64, 2});
  net.initialize(61);
  const MlpF::Matrix input = normals(18, 1000, 62).cast<float>();
  const MlpF::Matrix outputGradient = normals(2, 1000, 63, 1e-3).cast<float>();
  MlpF::Matrix firstOutput, firstInputGradient;
  MlpF::Vector firstGradient;
  for (int threads : {1, 2, 3}) {
    setThreadCount(threads);
    MlpF::Cache cache;
    const MlpF::Matrix output = net.forward(input, cache);
    MlpF::Vector gradient;
    MlpF::Matrix inputGradient;
    net.backward(cache, outputGradient, gradient, &inputGradient);
    QCOMPARE(threadCount(), threads);
    QVERIFY(net.forward(input) == output);
    if (threads == 1) {
      firstOutput = output;
      firstGradient = gradient;
      firstInputGradient = inputGradient;
      continue;
    }
    QVERIFY2(output == firstOutput, qPrintable(QStringLiteral("%1 threads: output differs").arg(threads)));
    QVERIFY2(gradient == firstGradient, qPrintable(QStringLiteral("%1 threads: parameter gradient differs").arg(threads)));
    QVERIFY2(inputGradient == firstInputGradient, qPrintable(QStringLiteral("%1 threads: input gradient differs").arg(threads)));
  }
}

void TestNn::badShapesThrow() {
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MlpD(std::vector<int>{3}));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MlpD(std::vector<int>{3, 0, 2}));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MlpD(std::vector<int>{-1, 2}));

  const MlpD net = makeNetwork({3, 5, 2}, 51);
  VectorD gradient;
  {
    MlpD::Cache empty;  // no forward pass yet
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, net.backward(empty, MatrixD::Zero(2, 4), gradient));
  }
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, net.forward(MatrixD::Zero(2, 4)));  // 2 rows, not 3
  MlpD::Cache cache;
  net.forward(MatrixD::Ones(3, 4), cache);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, net.backward(cache, MatrixD::Zero(3, 4), gradient));  // rows
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, net.backward(cache, MatrixD::Zero(2, 5), gradient));  // cols
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, net.backward(cache, MatrixD::Zero(2, 3), gradient));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, net.backward(cache, MatrixD::Zero(0, 0), gradient));
  // A cache filled by a network of another depth.
  const MlpD deeper = makeNetwork({3, 5, 5, 2}, 52);
  MlpD::Cache other;
  deeper.forward(MatrixD::Ones(3, 4), other);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, net.backward(other, MatrixD::Zero(2, 4), gradient));
  // The right shape still works after the refusals.
  net.backward(cache, MatrixD::Ones(2, 4), gradient);
  QCOMPARE(gradient.size(), net.parameterCount());
  // An empty batch: an empty output and a zero gradient.
  QCOMPARE(net.forward(MatrixD(3, 0), cache).cols(), Eigen::Index(0));
  gradient.setConstant(7.0);
  net.backward(cache, MatrixD(2, 0), gradient);
  QCOMPARE(gradient.size(), net.parameterCount());
  QVERIFY(gradient.isZero(0.0));
}

// PyTorch's nn.Linear default: W and b uniform in +-1/sqrt(fan_in). Per layer of 64 x 100 + 64
// values: all inside the bound, the largest above 0.99 of it (the chance that 6464 uniforms all
// stay below 0.99 is 0.99^6464 ~ 1e-28), the mean within 5 standard errors (bound / sqrt(3 n)).
void TestNn::initializeIsSeededAndBounded() {
  const std::vector<int> sizes = {100, 64, 64, 8};
  MlpD a(sizes), b(sizes), c(sizes);
  a.initialize(7);
  b.initialize(7);
  c.initialize(8);
  QCOMPARE(a.parameters(), b.parameters());
  QVERIFY((a.parameters().array() != c.parameters().array()).count() > a.parameterCount() * 99 / 100);
  // Layers 1 and 2 have the same shape; they must not be copies of one stream.
  QVERIFY(a.weights(1) != a.weights(2));
  // Re-initialising overwrites everything (no dependence on what was there).
  MlpD d(sizes);
  d.parameters().setConstant(5.0);
  d.initialize(7);
  QCOMPARE(d.parameters(), a.parameters());
  for (int layer = 0; layer < a.layerCount(); ++layer) {
    const double bound = 1.0 / std::sqrt(double(sizes[std::size_t(layer)]));
    const Eigen::Index n = a.weights(layer).size() + a.biases(layer).size();
    const double largest = std::max(a.weights(layer).cwiseAbs().maxCoeff(), a.biases(layer).cwiseAbs().maxCoeff());
    const double mean = (a.weights(layer).sum() + a.biases(layer).sum()) / double(n);
    const QString where = QStringLiteral("layer %1 (bound %2): largest %3, mean %4").arg(layer).arg(bound).arg(largest).arg(mean);
    QVERIFY2(largest <= bound, qPrintable(where));
    if (n > 1000) QVERIFY2(largest > 0.99 * bound, qPrintable(where));
    QVERIFY2(std::abs(mean) < 5 * bound / std::sqrt(3.0 * double(n)), qPrintable(where));
    QVERIFY2(a.biases(layer).cwiseAbs().maxCoeff() > 0.5 * bound, qPrintable(where));  // biases drawn too
  }
  // float draws the same numbers, rounded.
  Mlp<float> f(sizes);
  f.initialize(7);
  QCOMPARE(f.parameters(), a.parameters().cast<float>().eval());
}

void TestNn::adamTwoStepsMatchHandComputation_data() {
  QTest::addColumn<double>("epsilon");
  QTest::addColumn<QList<double>>("afterFirst");
  QTest::addColumn<QList<double>>("afterSecond");
  // theta0 = (1, -2, 0.25), g1 = (0.5, -0.1, 0), g2 = (0.3, 0.2, -4), rates 0.1 then 0.05,
  // beta1 = 0.9, beta2 = 0.999. By hand, for theta_0 and eps -> 0:
  //   step 1: m = 0.05, v = 0.00025; corrected m/(1-0.9) = 0.5, v/(1-0.999) = 0.25;
  //           theta = 1 - 0.1 * 0.5 / (0.5 + eps) = 0.9 (Adam's first step is lr * sign(g)).
  //   step 2: m = 0.9 * 0.05 + 0.1 * 0.3 = 0.075, v = 0.999 * 0.00025 + 0.001 * 0.09 = 0.00033975;
  //           corrected 0.075 / 0.19 = 0.394737, 0.00033975 / 0.001999 = 0.169960 (sqrt 0.412262);
  //           theta = 0.9 - 0.05 * 0.394737 / 0.412262 = 0.852125.
  //   theta_2 does not move in step 1 (g = 0, m = v = 0), then m = -0.4, v = 0.016, corrected
  //   -2.105263 and 8.004002 (sqrt 2.829135): theta = 0.25 + 0.05 * 0.744137 = 0.287207.
  // With eps = 0.1 it is added to sqrt of the corrected v: step 1 gives 1 - 0.1 * 0.5 / 0.6.
  // The literals are these formulas evaluated in float64 by an independent script.
  QTest::newRow("eps 1e-8") << 1e-8 << QList<double>{0.900000002, -1.90000001, 0.25}
                            << QList<double>{0.852125494354438, -1.91830518519424, 0.287206841046836};
  QTest::newRow("eps 0.1") << 0.1 << QList<double>{0.916666666666667, -1.95, 0.25}
                           << QList<double>{0.878137864970779, -1.96121392903631, 0.285936607898895};
}

void TestNn::adamTwoStepsMatchHandComputation() {
  QFETCH(double, epsilon);
  QFETCH(QList<double>, afterFirst);
  QFETCH(QList<double>, afterSecond);
  AdamSettings settings;
  settings.learningRate = 123.0;  // step() takes the rate it is given; this one must not be used
  settings.epsilon = epsilon;
  Adam<double> adam(3, settings);
  VectorD theta(3), g1(3), g2(3);
  theta << 1, -2, 0.25;
  g1 << 0.5, -0.1, 0;
  g2 << 0.3, 0.2, -4;
  adam.step(theta, g1, 0.1);
  QCOMPARE(adam.steps(), 1LL);
  for (int i = 0; i < 3; ++i) {
    QVERIFY2(std::abs(theta[i] - afterFirst[i]) < 1e-12,
             qPrintable(QStringLiteral("step 1, theta_%1 = %2, expected %3").arg(i).arg(theta[i], 0, 'g', 15).arg(afterFirst[i], 0, 'g', 15)));
  }
  adam.step(theta, g2, 0.05);
  QCOMPARE(adam.steps(), 2LL);
  for (int i = 0; i < 3; ++i) {
    QVERIFY2(std::abs(theta[i] - afterSecond[i]) < 1e-12,
             qPrintable(QStringLiteral("step 2, theta_%1 = %2, expected %3").arg(i).arg(theta[i], 0, 'g', 15).arg(afterSecond[i], 0, 'g', 15)));
  }
  // float follows the same arithmetic (to float precision).
  Adam<float> single(3, settings);
  Eigen::VectorXf thetaF = Eigen::Vector3f(1, -2, 0.25f);
  single.step(thetaF, g1.cast<float>(), 0.1);
  single.step(thetaF, g2.cast<float>(), 0.05);
  for (int i = 0; i < 3; ++i) QVERIFY(std::abs(double(thetaF[i]) - afterSecond[i]) < 1e-6);
}

// f(theta) = 1/2 sum_i a_i (theta_i - c_i)^2 with curvatures over four orders of magnitude:
// Adam's per-coordinate scaling takes every coordinate to its minimum at the same pace. 3000
// steps at lr 0.05 with the cosine schedule (the last ~1% of the rate) end within 1e-3 of c;
// plain gradient descent at a rate stable for a = 100 (< 0.02) would still be ~0.5 from c_0.
void TestNn::adamMinimisesAQuadratic() {
  VectorD curvature(4), centre(4);
  curvature << 0.01, 1, 10, 100;
  centre << 2, -1, 0.5, 3;
  AdamSettings settings;
  settings.learningRate = 0.05;
  settings.schedule = LearningRateSchedule::Cosine;
  const long long steps = 3000;
  Adam<double> adam(4, settings);
  VectorD theta = VectorD::Zero(4);
  const auto loss = [&] { return 0.5 * (curvature.array() * (theta - centre).array().square()).sum(); };
  const double initial = loss();
  for (long long k = 0; k < steps; ++k) {
    const VectorD gradient = (curvature.array() * (theta - centre).array()).matrix();
    adam.step(theta, gradient, scheduledLearningRate(settings, k, steps));
  }
  const double distance = (theta - centre).cwiseAbs().maxCoeff();
  QVERIFY2(distance < 1e-3, qPrintable(QStringLiteral("max |theta - c| = %1 after %2 steps (loss %3 -> %4)")
                                           .arg(distance).arg(steps).arg(initial).arg(loss())));
}

void TestNn::adamRefusesWrongSizes() {
  Adam<double> adam(3, AdamSettings{});
  VectorD theta = VectorD::Zero(3), wrong = VectorD::Zero(4);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, adam.step(theta, wrong, 0.1));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, adam.step(wrong, theta, 0.1));
  QCOMPARE(adam.steps(), 0LL);  // a refused step is not counted
  Adam<double> unsized;
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, unsized.step(theta, theta, 0.1));
}

// Cosine: linear warm-up over the first 2% of steps (rate (k + 1) / warmup), then
// 0.01 + 0.99 (1 + cos(pi progress)) / 2 of the rate, progress = (k - warmup) / (total - warmup).
void TestNn::learningRateSchedule() {
  AdamSettings cosine;
  cosine.learningRate = 0.002;
  cosine.schedule = LearningRateSchedule::Cosine;
  const long long total = 1000;  // warm-up: 20 steps
  const auto rate = [&](long long k) { return scheduledLearningRate(cosine, k, total) / cosine.learningRate; };
  QVERIFY(std::abs(rate(0) - 1.0 / 20) < 1e-15);
  QVERIFY(std::abs(rate(9) - 10.0 / 20) < 1e-15);
  QVERIFY(std::abs(rate(19) - 1.0) < 1e-15);
  QVERIFY(std::abs(rate(20) - 1.0) < 1e-15);                 // the decay starts at the full rate
  QVERIFY(std::abs(rate(20 + 490) - (0.01 + 0.99 * 0.5)) < 1e-12);  // progress 1/2: halfway
  QVERIFY(std::abs(rate(20 + 245) - (0.01 + 0.99 * 0.5 * (1 + std::sqrt(0.5)))) < 1e-12);  // progress 1/4
  QVERIFY2(std::abs(rate(total - 1) - 0.01) < 1e-5, qPrintable(QString::number(rate(total - 1), 'g', 12)));  // the end
  for (long long k = 1; k < total; ++k) {
    if (k < 20) QVERIFY(rate(k) > rate(k - 1));
    else if (k > 20) QVERIFY(rate(k) < rate(k - 1));
    QVERIFY(rate(k) >= 0.01 && rate(k) <= 1.0);
  }
  // Short runs: the warm-up is at least one step, a single step runs at the full rate.
  QCOMPARE(scheduledLearningRate(cosine, 0, 10), 0.002);
  QCOMPARE(scheduledLearningRate(cosine, 0, 1), 0.002);
  QVERIFY(scheduledLearningRate(cosine, 9, 10) < 0.002 * 0.05);

  AdamSettings constant = cosine;
  constant.schedule = LearningRateSchedule::Constant;
  for (long long k : {0LL, 19LL, 500LL, 999LL}) QCOMPARE(scheduledLearningRate(constant, k, total), 0.002);

  for (const auto s : {LearningRateSchedule::Constant, LearningRateSchedule::Cosine}) {
    LearningRateSchedule parsed{};
    QVERIFY(parseSchedule(scheduleName(s), parsed));
    QCOMPARE(parsed, s);
  }
  LearningRateSchedule untouched = LearningRateSchedule::Cosine;
  QVERIFY(!parseSchedule("linear", untouched));
  QCOMPARE(untouched, LearningRateSchedule::Cosine);
}

QTEST_APPLESS_MAIN(TestNn)
#include "test_nn.moc"
