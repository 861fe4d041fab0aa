// Forward processes against the reference table, the SDE relations, Monte Carlo noising and
// the DDPM posterior derived by Bayes' rule.
#include <QTest>
#include <cmath>

#include "scorescope/process.hpp"
#include "scorescope/time_grid.hpp"
#include "test_support.hpp"

using namespace scorescope;

class TestProcess : public QObject {
  Q_OBJECT
 private slots:
  void matchesReferenceCoefficients();
  void driftAndDiffusionMatchMarginals_data();
  void driftAndDiffusionMatchMarginals();
  void ddpmClosedFormMatchesIteratedSteps_data();
  void ddpmClosedFormMatchesIteratedSteps();
  void ddpmPosteriorMatchesBayes();
  void sampleForwardHasTheMarginalMoments();
  void transitionOfAdjacentDdpmTimesIsOneStep();
  void karrasSigmas();
  void timeGrids();
};

void TestProcess::matchesReferenceCoefficients() {
  int checked = 0;
  for (const auto& row : test::readCsv(test::testDataPath("coefficients.csv"))) {
    ProcessKind kind{};
    QVERIFY2(parseProcessKind(row.at("process").toStdString(), kind), qPrintable(row.at("process")));
    const Process process(kind);
    const double t = row.at("t").toDouble();
    const double a = row.at("a").toDouble();
    const double s = row.at("s").toDouble();
    QVERIFY2(test::closeRelative(process.a(t), a, 1e-9),
             qPrintable(QStringLiteral("%1 a(%2): got %3, expected %4").arg(row.at("process")).arg(t).arg(process.a(t), 0, 'g', 15).arg(a, 0, 'g', 15)));
    QVERIFY2(std::abs(process.s(t) - s) <= 1e-9 * std::max(s, 1e-3),
             qPrintable(QStringLiteral("%1 s(%2): got %3, expected %4").arg(row.at("process")).arg(t).arg(process.s(t), 0, 'g', 15).arg(s, 0, 'g', 15)));
    ++checked;
  }
  QCOMPARE(checked, 42);
}

void TestProcess::driftAndDiffusionMatchMarginals_data() {
  QTest::addColumn<int>("kind");
  for (ProcessKind k : {ProcessKind::Ddpm, ProcessKind::DdpmCosine, ProcessKind::Vp,
                        ProcessKind::SubVp, ProcessKind::Ve, ProcessKind::Ou}) {
    QTest::newRow(processName(k).data()) << static_cast<int>(k);
  }
}

// For x_t = a x0 + s eps to be the marginal of dx = f x dt + g dw we need f = (log a)' and
// g^2 = (s^2)' - 2 f s^2. Checked by central differences of a and s (inside a DDPM segment,
// where its interpolated schedule is smooth).
void TestProcess::driftAndDiffusionMatchMarginals() {
  QFETCH(int, kind);
  const Process p(static_cast<ProcessKind>(kind));
  for (double t : {0.0505, 0.2505, 0.5005, 0.7505, 0.9505}) {
    const double h = 1e-7;
    const double dlogA = (std::log(p.a(t + h)) - std::log(p.a(t - h))) / (2 * h);
    const double ds2 = (std::pow(p.s(t + h), 2) - std::pow(p.s(t - h), 2)) / (2 * h);
    const double g2 = ds2 - 2 * dlogA * std::pow(p.s(t), 2);
    QVERIFY2(std::abs(p.f(t) - dlogA) <= 1e-5 * std::max(1.0, std::abs(dlogA)),
             qPrintable(QStringLiteral("f(%1) = %2, finite difference %3").arg(t).arg(p.f(t)).arg(dlogA)));
    QVERIFY2(std::abs(p.g2(t) - g2) <= 1e-5 * std::max(1.0, std::abs(g2)),
             qPrintable(QStringLiteral("g2(%1) = %2, finite difference %3").arg(t).arg(p.g2(t)).arg(g2)));
  }
}

void TestProcess::ddpmClosedFormMatchesIteratedSteps_data() {
  QTest::addColumn<int>("kind");
  QTest::newRow("ddpm") << static_cast<int>(ProcessKind::Ddpm);
  QTest::newRow("ddpm-cosine") << static_cast<int>(ProcessKind::DdpmCosine);
}

// Monte Carlo: iterate x_k = sqrt(1 - beta_k) x_{k-1} + sqrt(beta_k) eps from a fixed x0 and
// compare the mean and variance with a(t) x0 and s(t)^2. n = 100000: the standard error of the
// mean is s/316 and of the variance s^2 * 0.0045; we allow 5 standard errors.
void TestProcess::ddpmClosedFormMatchesIteratedSteps() {
  QFETCH(int, kind);
  const Process p(static_cast<ProcessKind>(kind));
  const Eigen::Index n = 100000;
  const Eigen::RowVector2d x0(1.5, -0.5);
  Points x = x0.replicate(n, 1);
  const CounterRng rng(7);
  for (int k = 1; k <= 300; ++k) {
    x = p.ddpmStep(x, k, rng.derive(static_cast<std::uint64_t>(k)));
    if (k % 100 != 0) continue;
    const double t = k / 1000.0;
    const Eigen::RowVector2d mean = x.colwise().mean();
    const double s2 = p.s(t) * p.s(t);
    const double variance = (x.rowwise() - mean).squaredNorm() / (2.0 * (n - 1));
    const double meanError = (mean - p.a(t) * x0).norm();
    QVERIFY2(meanError < 5 * p.s(t) / std::sqrt(double(n)),
             qPrintable(QStringLiteral("k=%1: mean off by %2").arg(k).arg(meanError)));
    QVERIFY2(std::abs(variance - s2) < 5 * s2 * std::sqrt(2.0 / (2 * n)),
             qPrintable(QStringLiteral("k=%1: variance %2, expected %3").arg(k).arg(variance).arg(s2)));
  }
}

// Bayes: q(x_{k-1} | x_k, x0) is proportional to N(x_k; sqrt(alpha_k) x_{k-1}, beta_k)
// N(x_{k-1}; sqrt(abar_{k-1}) x0, 1 - abar_{k-1}); multiply the two Gaussians.
void TestProcess::ddpmPosteriorMatchesBayes() {
  for (ProcessKind kind : {ProcessKind::Ddpm, ProcessKind::DdpmCosine}) {
    const Process p(kind);
    for (int k : {2, 10, 250, 500, 999}) {
      const double beta = p.betas()[k - 1];
      const double abarPrev = p.alphaBars()[k - 1];
      const double precision = beta > 0 ? (1 - beta) / beta + 1.0 / (1 - abarPrev) : 0;
      const double variance = 1.0 / precision;
      const double x0Coefficient = variance * std::sqrt(abarPrev) / (1 - abarPrev);
      const double xkCoefficient = variance * std::sqrt(1 - beta) / beta;
      const Process::Posterior post = p.ddpmPosterior(k);
      QVERIFY(test::closeRelative(post.variance, variance, 1e-10));
      QVERIFY(test::closeRelative(post.x0Coefficient, x0Coefficient, 1e-10));
      QVERIFY(test::closeRelative(post.xkCoefficient, xkCoefficient, 1e-10));
    }
  }
}

// x_t = a x0 + s eps from a fixed x0: mean a(t) x0 and variance s(t)^2 for every process
// (n = 200000, 5 standard errors), the values pinned by coefficients.csv above.
void TestProcess::sampleForwardHasTheMarginalMoments() {
  const Eigen::Index n = 200000;
  const Eigen::RowVector2d x0(0.5, -0.3);
  for (ProcessKind kind : {ProcessKind::Ddpm, ProcessKind::DdpmCosine, ProcessKind::Vp,
                           ProcessKind::SubVp, ProcessKind::Ve, ProcessKind::Ou}) {
    const Process p(kind);
    for (double t : {0.3, 0.8}) {
      const Points x = p.sampleForward(x0.replicate(n, 1), t, CounterRng(5));
      const Eigen::RowVector2d mean = x.colwise().mean();
      const double variance = (x.rowwise() - mean).squaredNorm() / (2.0 * (n - 1));
      const double s2 = p.s(t) * p.s(t);
      QVERIFY2(std::abs(variance - s2) < 5 * s2 * std::sqrt(1.0 / n), processName(kind).data());
      QVERIFY2((mean - p.a(t) * x0).norm() < 5 * std::sqrt(s2 / n), processName(kind).data());
    }
  }
}

void TestProcess::transitionOfAdjacentDdpmTimesIsOneStep() {
  const Process p(ProcessKind::Ddpm);
  for (int k : {1, 2, 500, 1000}) {
    const auto step = p.transition((k - 1) / 1000.0, k / 1000.0);
    QVERIFY(test::closeRelative(step.ratio, std::sqrt(1 - p.betas()[k - 1]), 1e-12));
    QVERIFY(std::abs(step.variance - p.betas()[k - 1]) < 1e-12);
  }
}

void TestProcess::karrasSigmas() {
  const std::vector<double> sigmas = scorescope::karrasSigmas(10, 0.01, 10.0, 7.0);
  QCOMPARE(sigmas.size(), std::size_t(10));
  QVERIFY(test::closeRelative(sigmas.front(), 10.0, 1e-12));
  QVERIFY(test::closeRelative(sigmas.back(), 0.01, 1e-12));
  for (std::size_t i = 1; i < sigmas.size(); ++i) QVERIFY(sigmas[i] < sigmas[i - 1]);
  // rho = 1 is linear spacing, and rho -> infinity tends to geometric spacing.
  const std::vector<double> linear = scorescope::karrasSigmas(5, 1.0, 5.0, 1.0);
  for (int i = 0; i < 5; ++i) QVERIFY(test::closeRelative(linear[i], 5.0 - i, 1e-12));
  const std::vector<double> nearGeometric = scorescope::karrasSigmas(10, 0.01, 10.0, 1e7);
  for (int i = 0; i < 10; ++i) {
    QVERIFY(test::closeRelative(nearGeometric[i], 10.0 * std::pow(1e-3, i / 9.0), 1e-5));
  }
}

void TestProcess::timeGrids() {
  const Process vp(ProcessKind::Vp);
  const double tMin = defaultTMin(vp);
  QVERIFY(test::closeRelative(vp.s(tMin) / vp.a(tMin), kMinNoiseLevel, 1e-8));
  const std::vector<double> uniform = makeTimeGrid(vp, 10, tMin);
  QCOMPARE(uniform.size(), std::size_t(11));
  QCOMPARE(uniform.front(), 1.0);
  QVERIFY(test::closeRelative(uniform.back(), tMin, 1e-12));
  const std::vector<double> karras = makeTimeGrid(vp, 10, tMin, GridSpacing::Karras);
  QCOMPARE(karras.size(), std::size_t(11));
  for (std::size_t i = 1; i < karras.size(); ++i) QVERIFY(karras[i] < karras[i - 1]);
  QCOMPARE(defaultTMin(Process(ProcessKind::Ve)), 0.0);
  // DDPM grids sit on k/T and never repeat a time, even with more steps than T allows.
  const Process ddpm(ProcessKind::Ddpm, {.ddpmSteps = 50});
  const std::vector<double> strided = makeTimeGrid(ddpm, 200, 0.0);
  QCOMPARE(strided.size(), std::size_t(51));
  for (double t : strided) QVERIFY(std::abs(t * 50 - std::round(t * 50)) < 1e-12);
}

QTEST_APPLESS_MAIN(TestProcess)
#include "test_process.moc"
