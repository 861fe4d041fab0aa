// Counter-based randomness: statistics of the normals, stream independence, and results that do
// not depend on the number of threads.
#include <QTest>
#include <algorithm>
#include <cmath>
#include <vector>

#include "scorescope/allocator.hpp"
#include "scorescope/parallel.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/sampler_run.hpp"
#include "test_support.hpp"

using namespace scorescope;

class TestRng : public QObject {
  Q_OBJECT
 private slots:
  void normalsHaveUnitMoments();
  void streamsAreReproducibleAndDistinct();
  void samplersIgnoreThreadCount_data();
  void samplersIgnoreThreadCount();
  void allocatorSettingsTakeEffect();
  void cleanup() { setThreadCount(0); }
};

// n = 1e6 pairs: mean within 5/sqrt(n), variance within 5 sqrt(2/n), correlation within 5/sqrt(n),
// fourth moment within 5 sqrt(96/n) of 3 (a Gaussian tail check).
void TestRng::normalsHaveUnitMoments() {
  const Eigen::Index n = 1000000;
  const Points z = CounterRng(42).normals(n, 3);
  const double tol = 5.0 / std::sqrt(double(n));
  for (int j = 0; j < 2; ++j) {
    QVERIFY(std::abs(z.col(j).mean()) < tol);
    QVERIFY(std::abs(z.col(j).squaredNorm() / n - 1.0) < tol * std::sqrt(2.0));
    QVERIFY(std::abs(z.col(j).array().pow(4).mean() - 3.0) < tol * std::sqrt(96.0));
  }
  QVERIFY(std::abs(z.col(0).dot(z.col(1)) / n) < tol);
  const Eigen::VectorXd u = CounterRng(42).uniforms(n, 1);
  QVERIFY(u.minCoeff() > 0.0 && u.maxCoeff() < 1.0);
  QVERIFY(std::abs(u.mean() - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
}

namespace {
// Kolmogorov-Smirnov statistic sup |F_n - Phi| of a sample against N(0, 1).
double ksAgainstNormal(Eigen::VectorXd x) {
  std::sort(x.begin(), x.end());
  const double n = double(x.size());
  double d = 0.0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double phi = 0.5 * std::erfc(-x(i) / std::sqrt(2.0));
    d = std::max({d, double(i + 1) / n - phi, phi - double(i) / n});
  }
  return d;
}
}  // namespace

// Seeds, streams and derived generators must each give N(0, 1) draws (KS statistic of 20000
// draws below 1.95 / sqrt(n), the 0.1% critical value) that are different AND uncorrelated with each
// other (sample correlation below 5 / sqrt(n)); a generator returning one fixed sequence, or a
// seed ignored, fails.
void TestRng::streamsAreReproducibleAndDistinct() {
  const Eigen::Index n = 20000;
  const CounterRng rng(5);
  const std::vector<Points> draws = {rng.normals(n, 1), rng.normals(n, 2), rng.derive(1).normals(n, 0),
                                     rng.derive(2).normals(n, 0), CounterRng(6).normals(n, 1),
                                     CounterRng(0).normals(n, 1)};
  for (std::size_t i = 0; i < draws.size(); ++i) {
    for (int j = 0; j < 2; ++j) {
      const double ks = ksAgainstNormal(draws[i].col(j));
      QVERIFY2(ks < 1.95 / std::sqrt(double(n)), qPrintable(QStringLiteral("draw %1 column %2: KS %3").arg(i).arg(j).arg(ks)));
    }
    for (std::size_t k = 0; k < i; ++k) {
      const double correlation = draws[i].col(0).dot(draws[k].col(0)) / double(n);
      QVERIFY2(std::abs(correlation) < 5.0 / std::sqrt(double(n)),
               qPrintable(QStringLiteral("draws %1 and %2: correlation %3").arg(i).arg(k).arg(correlation)));
    }
  }
  // Row i depends only on (seed, stream, i): a prefix of a larger batch is the smaller batch,
  // whatever the batch size (the parallel split differs).
  QVERIFY(rng.normals(1000, 4).topRows(10) == rng.normals(10, 4));
}

void TestRng::samplersIgnoreThreadCount_data() {
  QTest::addColumn<int>("sampler");
  QTest::addColumn<QString>("target");
  QTest::newRow("sde gmm8") << int(SamplerKind::ReverseSde) << "gmm8-ring";
  QTest::newRow("pc gmm8") << int(SamplerKind::PredictorCorrector) << "gmm8-ring";
  QTest::newRow("ddpm moons") << int(SamplerKind::Ddpm) << "two-moons";
  QTest::newRow("annealed-langevin moons") << int(SamplerKind::AnnealedLangevin) << "two-moons";
}

// 5000 particles span many parallel blocks; one and two threads must give identical bits.
void TestRng::samplersIgnoreThreadCount() {
  QFETCH(int, sampler);
  QFETCH(QString, target);
  const ExactScore model(makePreset(target.toStdString()), Process(ProcessKind::Vp));
  SamplerSettings settings;
  settings.kind = static_cast<SamplerKind>(sampler);
  settings.steps = 20;
  settings.stepsPerLevel = 5;
  const CounterRng rng(9);
  auto run = [&](int threads) {
    setThreadCount(threads);
    return runSampler(model, settings, initialParticles(model.process(), settings, 5000, rng), rng).final;
  };
  const Points one = run(1);
  const Points two = run(2);
  QVERIFY(one.allFinite());
  QVERIFY(one == two);
}

// The batch-memory setting must reach glibc (a missing include once compiled it to a no-op,
// which cost 2x in the PF-ODE benchmark through 460k page faults).
void TestRng::allocatorSettingsTakeEffect() {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer replaces malloc; its mallopt() is a stub that accepts nothing.
  QSKIP("AddressSanitizer build: malloc is ASan's, mallopt() has no effect");
#elif defined(__GLIBC__)
  QVERIFY(keepFreedBatchMemory());
#else
  QSKIP("not glibc");
#endif
}

QTEST_APPLESS_MAIN(TestRng)
#include "test_rng.moc"
