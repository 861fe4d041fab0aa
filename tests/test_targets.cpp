// Exact targets: reference values, finite differences of log p_t, normalisation, the empirical
// set against a zero-covariance mixture, stability at small t, sampling, presets, validation.
#include <Eigen/Dense>
#include <QTest>
#include <cmath>
#include <numbers>
#include <string_view>

#include "scorescope/empirical_set.hpp"
#include "scorescope/gaussian_mixture.hpp"
#include "scorescope/presets.hpp"
#include "test_support.hpp"

using namespace scorescope;

namespace {

Points randomPoints(Eigen::Index n, double spread, std::uint64_t seed) {
  return spread * CounterRng(seed).normals(n, 0);
}

// Central differences of log p_t, and of the score, at each point.
void checkAgainstFiniteDifferences(const Target& target, double a, double s, const Points& x) {
  const FieldValues v = target.evaluate(x, a, s, {.logDensity = true, .score = true, .hessian = true});
  const double h = 1e-5;
  for (int j = 0; j < 2; ++j) {
    Points plus = x, minus = x;
    plus.col(j).array() += h;
    minus.col(j).array() -= h;
    const FieldValues vp = target.evaluate(plus, a, s, {.logDensity = true, .score = true});
    const FieldValues vm = target.evaluate(minus, a, s, {.logDensity = true, .score = true});
    const Eigen::VectorXd dLog = (vp.logDensity - vm.logDensity) / (2 * h);
    const Points dScore = (vp.score - vm.score) / (2 * h);
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const double scale = 1.0 + std::abs(dLog(i));
      QVERIFY2(std::abs(v.score(i, j) - dLog(i)) < 1e-5 * scale,
               qPrintable(QStringLiteral("score[%1][%2] = %3, d log p / dx = %4 (a=%5, s=%6)")
                              .arg(i).arg(j).arg(v.score(i, j)).arg(dLog(i)).arg(a).arg(s)));
      // Hessian columns (xx, xy, yy): d score_x/dx_j and d score_y/dx_j.
      const double hx = j == 0 ? v.hessian(i, 0) : v.hessian(i, 1);
      const double hy = j == 0 ? v.hessian(i, 1) : v.hessian(i, 2);
      const double hScale = 1.0 + std::abs(dScore(i, 0)) + std::abs(dScore(i, 1));
      QVERIFY2(std::abs(hx - dScore(i, 0)) < 1e-4 * hScale && std::abs(hy - dScore(i, 1)) < 1e-4 * hScale,
               qPrintable(QStringLiteral("Hessian row %1 column %2 disagrees with finite differences").arg(i).arg(j)));
    }
  }
}

}  // namespace

class TestTargets : public QObject {
  Q_OBJECT
 private slots:
  void mixtureMatchesReferenceScores();
  void mixtureScoreAndHessianMatchFiniteDifferences();
  void empiricalScoreAndHessianMatchFiniteDifferences();
  void mixtureDensityIntegratesToOne();
  void empiricalSetEqualsZeroCovarianceMixture();
  void empiricalSetIsStableAtTinyNoise();
  void mixtureIsStableFarFromItsModes();
  void onePointDenoiserReturnsThePoint();
  void mixtureSamplesHaveTheRightMoments();
  void conditionalKeepsOneClass();
  void presetsAreSeededAndInRange();
  void validationNamesTheField_data();
  void validationNamesTheField();
};

void TestTargets::mixtureMatchesReferenceScores() {
  const auto mixture = test::referenceMixture();
  int checked = 0;
  for (const auto& row : test::readCsv(test::testDataPath("mixture_scores.csv"))) {
    ProcessKind kind{};
    QVERIFY(parseProcessKind(row.at("process").toStdString(), kind));
    const Process p(kind);
    const double t = row.at("t").toDouble();
    Points x(1, 2);
    x << row.at("x").toDouble(), row.at("y").toDouble();
    const FieldValues v = mixture->evaluate(x, p.a(t), p.s(t),
                                            {.logDensity = true, .score = true, .classPosterior = true});
    const QString where = row.at("process") + " t=" + row.at("t") + " x=" + row.at("x");
    QVERIFY2(test::closeRelative(v.score(0, 0), row.at("score_x").toDouble(), 1e-7), qPrintable(where + " score_x"));
    QVERIFY2(test::closeRelative(v.score(0, 1), row.at("score_y").toDouble(), 1e-7), qPrintable(where + " score_y"));
    QVERIFY2(test::closeRelative(v.logDensity(0), row.at("log_p").toDouble(), 1e-8), qPrintable(where + " log_p"));
    QVERIFY2(std::abs(v.classPosterior(0, 1) - row.at("p_label1").toDouble()) < 1e-9, qPrintable(where + " p_label1"));
    ++checked;
  }
  QCOMPARE(checked, 90);
}

void TestTargets::mixtureScoreAndHessianMatchFiniteDifferences() {
  const auto mixture = test::referenceMixture();
  const Points x = randomPoints(50, 2.5, 1);
  for (auto [a, s] : {std::pair{1.0, 0.0}, {0.95, 0.3}, {0.3, 0.95}, {1.0, 3.0}}) {
    checkAgainstFiniteDifferences(*mixture, a, s, x);
  }
}

void TestTargets::empiricalScoreAndHessianMatchFiniteDifferences() {
  const PointSet set = makeTwoMoons(40, 0.05, 3);
  const EmpiricalSet target(set.points, set.labels);
  const Points x = randomPoints(50, 2.0, 2);
  for (auto [a, s] : {std::pair{0.99, 0.3}, {0.7, 0.7}, {1.0, 2.0}}) {
    checkAgainstFiniteDifferences(target, a, s, x);
  }
}

// Riemann sum of p_t over [-10, 10]^2 on a 0.025 grid: the density is smooth at this noise
// level, so the sum is exact to well below 1e-4.
void TestTargets::mixtureDensityIntegratesToOne() {
  const auto mixture = test::referenceMixture();
  const double h = 0.025;
  const int side = 800;
  Points grid(side * side, 2);
  for (int i = 0; i < side; ++i) {
    for (int j = 0; j < side; ++j) grid.row(i * side + j) << -10 + (i + 0.5) * h, -10 + (j + 0.5) * h;
  }
  const Eigen::VectorXd logp = mixture->evaluate(grid, 0.9, 0.4, {.logDensity = true}).logDensity;
  const double mass = logp.array().exp().sum() * h * h;
  QVERIFY2(std::abs(mass - 1.0) < 1e-4, qPrintable(QString::number(mass, 'g', 12)));
}

void TestTargets::empiricalSetEqualsZeroCovarianceMixture() {
  const PointSet set = makeSpirals(30, 0.05, 5);
  const EmpiricalSet empirical(set.points, set.labels);
  std::vector<MixtureComponent> components;
  for (Eigen::Index i = 0; i < set.points.rows(); ++i) {
    components.push_back({1.0, set.points.row(i).transpose(), Eigen::Matrix2d::Zero(), set.labels(i)});
  }
  const GaussianMixture mixture(components);
  const Points x = randomPoints(40, 2.0, 4);
  const FieldRequest all{.logDensity = true, .score = true, .hessian = true, .classPosterior = true};
  for (auto [a, s] : {std::pair{0.98, 0.05}, {0.6, 0.8}}) {
    const FieldValues e = empirical.evaluate(x, a, s, all);
    const FieldValues m = mixture.evaluate(x, a, s, all);
    QVERIFY((e.logDensity - m.logDensity).cwiseAbs().maxCoeff() < 1e-9);
    QVERIFY((e.score - m.score).cwiseAbs().maxCoeff() < 1e-6 * (1 + m.score.cwiseAbs().maxCoeff()));
    QVERIFY((e.hessian - m.hessian).cwiseAbs().maxCoeff() < 1e-6 * (1 + m.hessian.cwiseAbs().maxCoeff()));
    QVERIFY((e.classPosterior - m.classPosterior).cwiseAbs().maxCoeff() < 1e-9);
  }
}

// At s = 1e-4 the softmax logits reach -1e9: without subtracting the maximum every weight would
// underflow to 0 and the score would be NaN. The denoiser must return the nearest data point.
void TestTargets::empiricalSetIsStableAtTinyNoise() {
  const PointSet set = makeThreePoints();
  const EmpiricalSet target(set.points, set.labels);
  Points x(3, 2);
  x << 10.0, 10.0, -1.9, -1.2, 0.3, 1.7;
  const double s = 1e-4;
  const FieldValues v = target.evaluate(x, 1.0, s, {.logDensity = true, .score = true, .classPosterior = true});
  // Only the nearest point x^(j) carries weight (the others exp(-1e8) or less), so exactly
  // score = (x^(j) - x) / s^2 and log p = log(1/3) - log(2 pi s^2) - |x - x^(j)|^2 / (2 s^2).
  const int nearest[3] = {2, 0, 2};
  for (int i = 0; i < 3; ++i) {
    const Eigen::RowVector2d d = set.points.row(nearest[i]) - x.row(i);
    const double logp = std::log(1.0 / 3.0) - std::log(2.0 * std::numbers::pi * s * s) - d.squaredNorm() / (2 * s * s);
    QVERIFY2((v.score.row(i) - d / (s * s)).norm() <= 1e-12 * (d / (s * s)).norm(), qPrintable(QString::number(i)));
    QVERIFY2(test::closeRelative(v.logDensity(i), logp, 1e-12), qPrintable(QString::number(v.logDensity(i))));
  }
  const Points denoised = target.denoise(x, 1.0, s);
  QVERIFY((denoised.row(0) - set.points.row(2)).norm() < 1e-12);  // (0, 2) is nearest to (10, 10)
  QVERIFY((denoised.row(1) - set.points.row(0)).norm() < 1e-12);
  QVERIFY((denoised.row(2) - set.points.row(2)).norm() < 1e-12);
  QCOMPARE(v.classPosterior(1, 0), 1.0);
}

// At x = (30, 30) and s = 0.05 every component's log-weight is below -1e5: only log-sum-exp keeps
// the responsibilities finite. There the score is that of the nearest component (in Mahalanobis
// terms), C_k^{-1} (a mu_k - x), since the others carry weight exp(-1e4) or less.
void TestTargets::mixtureIsStableFarFromItsModes() {
  const auto mixture = test::referenceMixture();
  Points x(1, 2);
  x << 30.0, 30.0;
  const double a = 1.0, s = 0.05;
  const FieldValues v = mixture->evaluate(x, a, s, {.logDensity = true, .score = true});
  QVERIFY(v.score.allFinite() && v.logDensity.allFinite());
  double best = -1e300;
  Eigen::Vector2d expected;
  for (const MixtureComponent& c : mixture->components()) {
    const Eigen::Matrix2d cov = a * a * c.cov + s * s * Eigen::Matrix2d::Identity();
    const Eigen::Vector2d d = x.row(0).transpose() - a * c.mean;
    const double logWeight = std::log(c.weight) - 0.5 * d.dot(cov.inverse() * d) - 0.5 * std::log(cov.determinant());
    if (logWeight > best) {
      best = logWeight;
      expected = cov.inverse() * (a * c.mean - x.row(0).transpose());
    }
  }
  QVERIFY((v.score.row(0).transpose() - expected).norm() < 1e-9 * expected.norm());
}

// A one-point set's posterior is the point itself, at any a and s.
void TestTargets::onePointDenoiserReturnsThePoint() {
  Points one(1, 2);
  one << 0.5, -0.3;
  const EmpiricalSet target(one);
  const Points x = CounterRng(3).normals(10, 0);
  for (auto [a, s] : {std::pair{0.6, 0.8}, {0.1, 0.995}, {1.0, 5.0}}) {
    const Points d = target.denoise(x, a, s);
    QVERIFY((d.rowwise() - one.row(0)).cwiseAbs().maxCoeff() < 1e-12);
  }
}

// n = 200000 exact samples: mean and covariance within 5 standard errors, label frequencies
// within 5 binomial standard errors.
void TestTargets::mixtureSamplesHaveTheRightMoments() {
  const auto mixture = test::referenceMixture();
  const Eigen::Index n = 200000;
  Labels labels;
  const Points x = mixture->sample(n, CounterRng(11), &labels);
  Eigen::Vector2d mean = Eigen::Vector2d::Zero();
  Eigen::Matrix2d second = Eigen::Matrix2d::Zero();
  for (const MixtureComponent& c : mixture->components()) {
    mean += c.weight * c.mean;
    second += c.weight * (c.cov + c.mean * c.mean.transpose());
  }
  const Eigen::Matrix2d cov = second - mean * mean.transpose();
  const Eigen::Vector2d sampleMean = x.colwise().mean().transpose();
  const Points centred = x.rowwise() - sampleMean.transpose();
  const Eigen::Matrix2d sampleCov = centred.transpose() * centred / double(n - 1);
  const double se = std::sqrt(cov.diagonal().maxCoeff() / double(n));
  QVERIFY2((sampleMean - mean).cwiseAbs().maxCoeff() < 5 * se, "sample mean");
  QVERIFY2((sampleCov - cov).cwiseAbs().maxCoeff() < 5 * cov.cwiseAbs().maxCoeff() * std::sqrt(2.0 / n) * 2, "sample covariance");
  const double frequency = (labels.array() == 0).cast<double>().mean();
  QVERIFY(std::abs(frequency - 0.5) < 5 * std::sqrt(0.25 / n));
}

void TestTargets::conditionalKeepsOneClass() {
  const auto mixture = test::referenceMixture();
  const auto conditional = mixture->conditional(1);
  QVERIFY(conditional);
  const auto& components = static_cast<const GaussianMixture&>(*conditional).components();
  QCOMPARE(components.size(), std::size_t(2));
  QVERIFY(test::closeRelative(components[0].weight, 0.6, 1e-12));
  QVERIFY(!mixture->conditional(5));
  QVERIFY(test::closeRelative(mixture->labelWeights()(1), 0.5, 1e-12));
}

void TestTargets::presetsAreSeededAndInRange() {
  for (const char* name : {"gmm8-ring", "two-moons", "swiss-roll", "rings", "checkerboard",
                           "spirals", "three-points"}) {
    const auto a = makePreset(name, 1);
    QVERIFY2(a, name);
    const Points xa = a->sample(500, CounterRng(3), nullptr);
    QVERIFY2(xa.allFinite() && xa.cwiseAbs().maxCoeff() < 4.6, name);
    QVERIFY2(a->labelCount() >= 2, name);
    // The seed picks the point set of the point-cloud presets: another seed, other points
    // (the same sampling noise, so only the preset's seed differs).
    const bool seeded = std::string_view(name) != "gmm8-ring" && std::string_view(name) != "three-points";
    if (seeded) {
      const Points xc = makePreset(name, 2)->sample(500, CounterRng(3), nullptr);
      QVERIFY2((xa - xc).rowwise().norm().mean() > 0.1, name);
    }
  }
  // gmm8-ring: 8 equal components N(3 (cos, sin)(2 pi k / 8), 0.0625 I), so mean 0 and covariance
  // (9/2 + 0.0625) I = 4.5625 I. n = 200000: the mean's standard error is 0.0048 and a variance's
  // 0.0075 (Var x^2 = 11.25); 5 standard errors allowed.
  const Eigen::Index n = 200000;
  const Points ring = makePreset("gmm8-ring")->sample(n, CounterRng(4), nullptr);
  const Eigen::RowVector2d mean = ring.colwise().mean();
  const Eigen::Matrix2d cov = (ring.rowwise() - mean).transpose() * (ring.rowwise() - mean) / double(n - 1);
  QVERIFY2(mean.norm() < 5 * 0.0048, qPrintable(QString::number(mean.norm())));
  QVERIFY2(std::abs(cov(0, 0) - 4.5625) < 5 * 0.0075 && std::abs(cov(1, 1) - 4.5625) < 5 * 0.0075,
           qPrintable(QStringLiteral("%1 %2").arg(cov(0, 0)).arg(cov(1, 1))));
  QVERIFY2(std::abs(cov(0, 1)) < 5 * 0.0075, qPrintable(QString::number(cov(0, 1))));
  QVERIFY(makeTwoMoons(100, 0.05, 1).points != makeTwoMoons(100, 0.05, 2).points);
  QVERIFY(!makePreset("no-such-target"));
  QCOMPARE(makePreset("gmm8-ring")->labelCount(), 8);
  QCOMPARE(makePreset("three-points")->labelCount(), 3);
}

void TestTargets::validationNamesTheField_data() {
  QTest::addColumn<int>("which");
  QTest::addColumn<QString>("field");
  QTest::newRow("negative weight") << 0 << "components[1].weight";
  QTest::newRow("zero total weight") << 1 << "components[].weight";
  QTest::newRow("not positive definite") << 2 << "components[1].cov";
  QTest::newRow("not symmetric") << 3 << "components[1].cov";
  QTest::newRow("negative label") << 4 << "components[1].label";
  QTest::newRow("no components") << 5 << "components";
  QTest::newRow("nan mean") << 6 << "components[1].mean";
}

void TestTargets::validationNamesTheField() {
  QFETCH(int, which);
  QFETCH(QString, field);
  std::vector<MixtureComponent> c(2);
  switch (which) {
    case 0: c[1].weight = -1; break;
    case 1: c[0].weight = 0; c[1].weight = 0; break;
    case 2: c[1].cov << 1, 2, 2, 1; break;
    case 3: c[1].cov << 1, 0.5, 0.2, 1; break;
    case 4: c[1].label = -2; break;
    case 5: c.clear(); break;
    case 6: c[1].mean.x() = std::nan(""); break;
  }
  const auto error = validateMixture(c);
  QVERIFY(error.has_value());
  QVERIFY2(QString::fromStdString(*error).startsWith(field), error->c_str());
  QVERIFY2(QString::fromStdString(*error).contains("expected"), error->c_str());
  QVERIFY(!validateMixture(std::vector<MixtureComponent>(2)).has_value());
}

QTEST_APPLESS_MAIN(TestTargets)
#include "test_targets.moc"
