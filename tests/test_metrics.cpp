// Metrics against closed forms, and the PF-ODE likelihood against the exact log-density.
#include <Eigen/Dense>
#include <QTest>
#include <cmath>
#include <numbers>

#include "scorescope/metrics.hpp"
#include "scorescope/time_grid.hpp"
#include "test_support.hpp"

using namespace scorescope;

class TestMetrics : public QObject {
  Q_OBJECT
 private slots:
  void slicedWassersteinOfAShift();
  void likelihoodMapOfTheExactScoreIsTheDensity();
  void slicedWassersteinOfTwoGaussians();
  void mmdOfShiftedGaussians();
  void pfOdeLikelihoodMatchesExactDensity_data();
  void pfOdeLikelihoodMatchesExactDensity();
  void pfOdeLikelihoodWithGaussianPrior();
  void scoreErrorOfAnOffsetModel();
  void scoreErrorOfTheZeroModel();
  void gaussianPriorIsNormalised();
  void mmdMatchesTheDefinition();
  void defaultJacobianMatchesTheExactHessian();
};

// Shifting a cloud by d moves every projection by d . theta, so SW1 = |d| E|cos| = 2|d|/pi and
// SW2 = |d| sqrt(E cos^2) = |d|/sqrt(2) over uniform directions (2000 directions: within 3%).
void TestMetrics::slicedWassersteinOfAShift() {
  const Points a = CounterRng(1).normals(2000, 0);
  const Eigen::RowVector2d d(0.6, -0.8);
  const Points b = a.rowwise() + d;
  const double sw1 = slicedWasserstein(a, b, 1, 2000, 2);
  const double sw2 = slicedWasserstein(a, b, 2, 2000, 2);
  QVERIFY2(std::abs(sw1 - 2.0 / std::numbers::pi) < 0.03 * 2.0 / std::numbers::pi, qPrintable(QString::number(sw1)));
  QVERIFY2(std::abs(sw2 - 1.0 / std::sqrt(2.0)) < 0.03 / std::sqrt(2.0), qPrintable(QString::number(sw2)));
}

// Two Gaussians P = N(0, I) and Q = N(m, S) drawn independently, of different sizes (so the
// quantile-function path runs). Along a direction theta the projections are N(0, 1) and
// N(m.theta, sigma^2), sigma^2 = theta^T S theta, and W1 between them is E|m.theta + (sigma - 1) Z|
// (the quantile coupling), a folded normal: with mu = m.theta, c = |sigma - 1|,
//   W1 = c sqrt(2/pi) exp(-mu^2 / (2 c^2)) + mu (1 - 2 Phi(-mu / c)),   W2^2 = mu^2 + c^2.
// SW is their average over uniform directions (midpoint rule over 3600 angles here). With these
// fixed seeds (6000 and 4000 points, 400 directions) the estimates come out 0.012 (SW1) and 0.013
// (SW2) below the closed forms 0.74 and 0.88; 0.03 (4%) allowed.
void TestMetrics::slicedWassersteinOfTwoGaussians() {
  const Eigen::RowVector2d m(1.0, -0.5);
  Eigen::Matrix2d root;
  root << 1.5, 0.3, 0.3, 0.6;  // S = root root^T
  const Eigen::Matrix2d cov = root * root.transpose();
  const Points p = CounterRng(11).normals(6000, 0);
  const Points q = (CounterRng(12).normals(4000, 0) * root.transpose()).rowwise() + m;
  double w1 = 0.0, w2 = 0.0;
  const int angles = 3600;
  for (int i = 0; i < angles; ++i) {
    const double angle = 2.0 * std::numbers::pi * (i + 0.5) / angles;
    const Eigen::Vector2d theta(std::cos(angle), std::sin(angle));
    const double mu = m.dot(theta.transpose());
    const double c = std::abs(std::sqrt(theta.dot(cov * theta)) - 1.0);
    const double phi = 0.5 * std::erfc(mu / (c * std::sqrt(2.0)));  // Phi(-mu / c)
    w1 += c * std::sqrt(2.0 / std::numbers::pi) * std::exp(-mu * mu / (2 * c * c)) + mu * (1 - 2 * phi);
    w2 += mu * mu + c * c;
  }
  w1 /= angles;
  w2 = std::sqrt(w2 / angles);
  const double sw1 = slicedWasserstein(p, q, 1, 400, 5);
  const double sw2 = slicedWasserstein(p, q, 2, 400, 5);
  qInfo("SW1 %.4f (closed form %.4f), SW2 %.4f (closed form %.4f)", sw1, w1, sw2, w2);
  QVERIFY2(std::abs(sw1 - w1) < 0.03, qPrintable(QStringLiteral("%1 vs %2").arg(sw1).arg(w1)));
  QVERIFY2(std::abs(sw2 - w2) < 0.03, qPrintable(QStringLiteral("%1 vs %2").arg(sw2).arg(w2)));
}

// For N(0, v I) vs N(m, v I) in 2D with bandwidth h: E k = c exp(-|mu|^2 / (2 (h^2 + 2v))) with
// c = h^2 / (h^2 + 2v), so MMD^2 = 2c (1 - exp(-|m|^2 / (2 (h^2 + 2v)))). n = 2000, fixed seeds,
// tolerance 0.01 (the U-statistic's standard deviation here is about 0.002).
void TestMetrics::mmdOfShiftedGaussians() {
  const double h = 1.0, v = 1.0;
  const Points a = CounterRng(3).normals(2000, 0);
  const Points same = CounterRng(4).normals(2000, 0);
  const Eigen::RowVector2d m(1.0, 0.5);
  const Points shifted = CounterRng(5).normals(2000, 0).rowwise() + m;
  const double c = h * h / (h * h + 2 * v);
  const double expected = 2 * c * (1 - std::exp(-m.squaredNorm() / (2 * (h * h + 2 * v))));
  const double got = mmdSquared(a, shifted, h);
  qInfo("MMD^2 %.4f, closed form %.4f, same law %.4f", got, expected, mmdSquared(a, same, h));
  QVERIFY(std::abs(got - expected) < 0.01);
  QVERIFY(std::abs(mmdSquared(a, same, h)) < 0.01);
}

void TestMetrics::pfOdeLikelihoodMatchesExactDensity_data() {
  QTest::addColumn<int>("process");
  for (ProcessKind k : {ProcessKind::Vp, ProcessKind::Ve, ProcessKind::SubVp, ProcessKind::Ou, ProcessKind::Ddpm}) {
    QTest::newRow(processName(k).data()) << static_cast<int>(k);
  }
}

// With the exact p_1 at the far end, the only error left is the ODE's: RK4 with 400 Karras-spaced
// steps gives log p_t0 to 1e-5 on the reference mixture (measured 2e-7), and to 1e-3 for DDPM,
// whose interpolated schedule has a kink at every k/T that RK4 steps across (measured 5e-4).
void TestMetrics::pfOdeLikelihoodMatchesExactDensity() {
  QFETCH(int, process);
  const auto mixture = test::referenceMixture();
  const Process p(static_cast<ProcessKind>(process));
  const ExactScore model(mixture, p);
  const double t0 = defaultTMin(p);
  const Points x = p.sampleForward(mixture->sample(50, CounterRng(6), nullptr), t0, CounterRng(7));
  const LogDensityFn exactPrior = [&](const Points& y) {
    return mixture->evaluate(y, p.a(1.0), p.s(1.0), {.logDensity = true}).logDensity;
  };
  const Eigen::VectorXd ode = pfOdeLogLikelihood(model, x, t0, 400, exactPrior);
  const Eigen::VectorXd exact = mixture->evaluate(x, p.a(t0), p.s(t0), {.logDensity = true}).logDensity;
  const double error = (ode - exact).cwiseAbs().maxCoeff();
  qInfo("max |log p error| %.2e", error);
  const double tolerance = p.isDiscrete() ? 1e-3 : 1e-5;
  QVERIFY2(error < tolerance, qPrintable(QString::number(error)));
}

// With the N(0, s(1)^2 I) prior a model would use, VP's p_1 differs from the prior by a(1) = 0.0066
// times the data: the error stays below 0.02 nats.
void TestMetrics::pfOdeLikelihoodWithGaussianPrior() {
  const auto mixture = test::referenceMixture();
  const Process p(ProcessKind::Vp);
  const ExactScore model(mixture, p);
  const double t0 = defaultTMin(p);
  const Points x = mixture->sample(50, CounterRng(8), nullptr);
  const Eigen::VectorXd ode = pfOdeLogLikelihood(model, x, t0, 200, gaussianPrior(p));
  const Eigen::VectorXd exact = mixture->evaluate(x, p.a(t0), p.s(t0), {.logDensity = true}).logDensity;
  QVERIFY((ode - exact).cwiseAbs().maxCoeff() < 0.02);
}

// The viewport's likelihood map (lesson 4) on a coarse grid over the default view: with the exact
// score it is the exact log p_t0 up to the prior mismatch (< 0.02 nats, above) and the RK4 error of
// kLikelihoodMapSteps steps. Stated tolerance: 0.05 nats where log p_t0 is within 12 nats of its
// maximum (the colours a lecturer sees), 0.1 nats in the far tails (down to -77 nats).
void TestMetrics::likelihoodMapOfTheExactScoreIsTheDensity() {
  const auto mixture = test::referenceMixture();
  const Process p(ProcessKind::Vp);
  const ExactScore model(mixture, p);
  const double t0 = defaultTMin(p);
  Points nodes(24 * 24, 2);
  for (int j = 0; j < 24; ++j) {
    for (int i = 0; i < 24; ++i) nodes.row(j * 24 + i) << -4.4 + 8.8 * i / 23.0, -4.4 + 8.8 * j / 23.0;
  }
  const Eigen::VectorXd map = likelihoodMap(model, nodes, t0);
  const Eigen::VectorXd exact = mixture->evaluate(nodes, p.a(t0), p.s(t0), {.logDensity = true}).logDensity;
  double nearError = 0.0, farError = 0.0;
  for (Eigen::Index k = 0; k < nodes.rows(); ++k) {
    double& worst = exact(k) > exact.maxCoeff() - 12.0 ? nearError : farError;
    worst = std::max(worst, std::abs(map(k) - exact(k)));
  }
  qInfo("likelihood map vs exact log p_t0: max error %.3g nats (within 12 nats of the max), %.3g (tails); range %.1f .. %.1f",
        nearError, farError, exact.minCoeff(), exact.maxCoeff());
  QVERIFY(nearError < 0.05);
  QVERIFY(farError < 0.1);
}

namespace {
class OffsetModel final : public ScoreModel {
 public:
  OffsetModel(const ScoreModel& base, Eigen::RowVector2d offset) : base_(base), offset_(offset) {}
  const Process& process() const override { return base_.process(); }
  Points score(const Points& x, double t) const override { return base_.score(x, t).rowwise() + offset_; }

 private:
  const ScoreModel& base_;
  Eigen::RowVector2d offset_;
};
}  // namespace

// A model off by a constant c has error s(t)^2 |c|^2 at every point: the metric must average
// s^2 over its time grid times |c|^2.
void TestMetrics::scoreErrorOfAnOffsetModel() {
  const auto mixture = test::referenceMixture();
  const ExactScore exact(mixture, Process(ProcessKind::Vp));
  const OffsetModel off(exact, {0.3, -0.4});
  double expected = 0.0;
  for (int i = 0; i < 5; ++i) expected += std::pow(exact.process().s(0.01 + 0.99 * (i + 0.5) / 5), 2) * 0.25;
  QVERIFY(std::abs(weightedScoreError(off, exact, *mixture, 5, 100, 0.01, CounterRng(1)) - expected / 5) < 1e-12);
}

// A model that returns 0 against one Gaussian N(mu, S): p_t = N(a mu, C), C = a^2 S + s^2 I, so the
// error at t is s^2 E|C^{-1}(x - a mu)|^2 = s^2 tr(C^{-1}) (closed form). Monte Carlo with 20000
// particles per time: relative standard error sqrt(2 tr C^{-2}) / tr C^{-1} / sqrt(n) < 0.01 per
// time; 3% allowed on the average.
void TestMetrics::scoreErrorOfTheZeroModel() {
  MixtureComponent c;
  c.mean = {1.0, -0.5};
  c.cov << 0.4, 0.1, 0.1, 0.2;
  const auto gaussian = std::make_shared<GaussianMixture>(std::vector<MixtureComponent>{c});
  const Process p(ProcessKind::Vp);
  const ExactScore exact(gaussian, p);
  struct Zero final : ScoreModel {
    const Process& process_;
    explicit Zero(const Process& proc) : process_(proc) {}
    const Process& process() const override { return process_; }
    Points score(const Points& x, double) const override { return Points::Zero(x.rows(), 2); }
  } zeroModel(p);
  double expected = 0.0;
  for (int i = 0; i < 5; ++i) {
    const double t = 0.01 + 0.99 * (i + 0.5) / 5;
    const Eigen::Matrix2d cov = p.a(t) * p.a(t) * c.cov + p.s(t) * p.s(t) * Eigen::Matrix2d::Identity();
    expected += p.s(t) * p.s(t) * cov.inverse().trace() / 5;
  }
  const double got = weightedScoreError(zeroModel, exact, *gaussian, 5, 20000, 0.01, CounterRng(2));
  qInfo("zero-model score error %.4f, closed form %.4f", got, expected);
  QVERIFY2(std::abs(got - expected) < 0.03 * expected, qPrintable(QStringLiteral("%1 vs %2").arg(got).arg(expected)));
}

// Riemann sum of the VE prior N(0, 100 I) over [-80, 80]^2 (8 standard deviations).
void TestMetrics::gaussianPriorIsNormalised() {
  const double h = 0.2;
  const int side = 800;
  Points grid(side * side, 2);
  for (int i = 0; i < side; ++i) {
    for (int j = 0; j < side; ++j) grid.row(i * side + j) << -80 + (i + 0.5) * h, -80 + (j + 0.5) * h;
  }
  const double mass = gaussianPrior(Process(ProcessKind::Ve))(grid).array().exp().sum() * h * h;
  QVERIFY2(std::abs(mass - 1.0) < 1e-4, qPrintable(QString::number(mass, 'g', 10)));
}

// The unbiased U-statistic (Gretton et al. 2012, eq. 3) written out for a 3-point and a 2-point set.
void TestMetrics::mmdMatchesTheDefinition() {
  Points a(3, 2), b(2, 2);
  a << 0, 0, 1, 0, 0, 2;
  b << 1, 1, 2, 0;
  auto k = [](const Eigen::RowVector2d& x, const Eigen::RowVector2d& y) { return std::exp(-(x - y).squaredNorm() / 2.0); };
  double aa = 0, bb = 0, ab = 0;
  for (int i = 0; i < 3; ++i) for (int j = 0; j < 3; ++j) if (i != j) aa += k(a.row(i), a.row(j));
  for (int i = 0; i < 2; ++i) for (int j = 0; j < 2; ++j) if (i != j) bb += k(b.row(i), b.row(j));
  for (int i = 0; i < 3; ++i) for (int j = 0; j < 2; ++j) ab += k(a.row(i), b.row(j));
  QVERIFY(std::abs(mmdSquared(a, b, 1.0) - (aa / 6 + bb / 2 - 2 * ab / 6)) < 1e-12);
}

// A model that only gives score() (as a learned model will) gets its Jacobian by central
// differences; it must match the analytic Hessian of the exact score.
void TestMetrics::defaultJacobianMatchesTheExactHessian() {
  const ExactScore exact(test::referenceMixture(), Process(ProcessKind::Vp));
  const OffsetModel scoreOnly(exact, {0.0, 0.0});
  const Points x = 2.0 * CounterRng(9).normals(40, 0);
  for (double t : {0.05, 0.5}) {
    JacobianPerPoint numeric, analytic;
    scoreOnly.scoreWithJacobian(x, t, numeric);
    exact.scoreWithJacobian(x, t, analytic);
    const double scale = 1 + analytic.cwiseAbs().maxCoeff();
    QVERIFY2((numeric - analytic).cwiseAbs().maxCoeff() < 1e-5 * scale,
             qPrintable(QString::number((numeric - analytic).cwiseAbs().maxCoeff())));
  }
}

QTEST_APPLESS_MAIN(TestMetrics)
#include "test_metrics.moc"
