// The lecture comparisons' core pieces: which mode each sample ended in (against the mixture's
// weights, Monte Carlo), plain against annealed Langevin on unequal weights (the lecture point),
// and the DDIM round trip (reconstruction error small at 100 steps, smaller with more steps).
#include <QTest>
#include <cmath>

#include "scorescope/ddim_round_trip.hpp"
#include "scorescope/mode_weights.hpp"
#include "scorescope/scene_plan.hpp"

using namespace scorescope;

namespace {

// Two modes 6 apart (std 0.25: overlap below 1e-30) with weights w and 1 - w.
std::shared_ptr<GaussianMixture> twoModes(double w) {
  const Eigen::Matrix2d cov = 0.0625 * Eigen::Matrix2d::Identity();
  return std::make_shared<GaussianMixture>(std::vector<MixtureComponent>{
      {w, Eigen::Vector2d(-3.0, 0.0), cov, 0}, {1.0 - w, Eigen::Vector2d(3.0, 0.0), cov, 1}});
}

// Final mode fractions of a lesson-3 scene on the two-mode mixture (weights 0.8 / 0.2).
std::vector<double> langevinFractions(SamplerKind kind) {
  SampledScene s = enterLesson(SampledScene{}, Lesson::Langevin);
  s.target.source = TargetSource::Mixture;
  s.target.components = twoModes(0.8)->components();
  s.sampler = defaultSamplerSettings(kind);
  s.sampler.denoiseFinal = false;
  s.particles = 2000;
  s.seed = 5;
  const ScenePlan plan = planScene(s);
  if (!plan.ok()) qFatal("%s", plan.error.c_str());
  const std::vector<RunResult> runs = executeRuns(plan, s, {});
  return modeFractions(static_cast<const GaussianMixture&>(*plan.target), runs.front().trajectory.final);
}

}  // namespace

class TestComparisons : public QObject {
  Q_OBJECT
 private slots:
  void modeFractionsMatchTheWeightsOfSamplesDrawnFromTheMixture() {
    // Three well separated modes (6 apart, std <= 0.5): a draw's component is its arg max
    // responsibility except with probability < 1e-8, so the fractions are binomial proportions:
    // |f_k - w_k| < 4 sqrt(w (1 - w) / n) (fails by chance with probability < 1e-4 per mode).
    const Eigen::Matrix2d cov = 0.0625 * Eigen::Matrix2d::Identity();
    const GaussianMixture mixture({{6.0, Eigen::Vector2d(-3.0, 0.0), cov, 0},
                                   {3.0, Eigen::Vector2d(3.0, 0.0), 4.0 * cov, 1},
                                   {1.0, Eigen::Vector2d(0.0, 6.0), cov, 2}});
    const Eigen::Index n = 20000;
    const std::vector<double> f = modeFractions(mixture, mixture.sample(n, CounterRng(3), nullptr));
    const std::vector<double> w = modeWeights(mixture);
    QCOMPARE(f.size(), std::size_t(3));
    const std::vector<double> expected = {0.6, 0.3, 0.1};
    for (std::size_t k = 0; k < 3; ++k) QVERIFY(std::abs(w[k] - expected[k]) < 1e-15);
    for (std::size_t k = 0; k < 3; ++k) {
      const double tolerance = 4.0 * std::sqrt(w[k] * (1.0 - w[k]) / static_cast<double>(n));
      QVERIFY2(std::abs(f[k] - w[k]) < tolerance, qPrintable(QStringLiteral("mode %1: %2 vs %3").arg(k).arg(f[k]).arg(w[k])));
    }
    // A point goes to the component with the larger responsibility, not the nearer mean: at
    // x = -0.2 the narrow mode (centre -3, std 0.25) is 2.8 = 11.2 std away, the broad one
    // (centre 3, std 0.5) 3.2 = 6.4 std.
    Points x(1, 2);
    x << -0.2, 0.0;
    QCOMPARE(modeFractions(mixture, x), (std::vector<double>{0.0, 1.0, 0.0}));
    QCOMPARE(modeFractions(mixture, Points(0, 2)), (std::vector<double>{0.0, 0.0, 0.0}));
  }

  void aWeightSliderRenormalisesTheOthers() {
    const std::vector<MixtureComponent> c = withModeWeight(twoModes(0.5)->components(), 0, 0.8);
    QCOMPARE(c[0].weight, 0.8);
    QVERIFY(std::abs(c[1].weight - 0.2) < 1e-15);
    std::vector<MixtureComponent> three = twoModes(0.5)->components();
    three.push_back(three[0]);
    three[1].weight = 3.0;  // relative weights 0.5 : 3 : 0.5
    const std::vector<MixtureComponent> d = withModeWeight(three, 2, 0.5);
    QVERIFY(std::abs(d[0].weight - 0.5 / 7.0) < 1e-15 && std::abs(d[1].weight - 3.0 / 7.0) < 1e-15);
    QCOMPARE(d[2].weight, 0.5);
  }

  void plainLangevinKeepsTheBasinsAndAnnealedLangevinFindsTheWeights() {
    // The lecture point: from N(0, I) half the particles start nearer each mode; plain Langevin
    // at s/a = 0.05 cannot cross the 6-wide gap, so it keeps about half in each mode whatever the
    // weights; annealed Langevin moves mass while the noise is large and ends near 0.8 / 0.2.
    const std::vector<double> plain = langevinFractions(SamplerKind::Langevin);
    const std::vector<double> annealed = langevinFractions(SamplerKind::AnnealedLangevin);
    qInfo("mode 0 (weight 0.8): plain %.3f, annealed %.3f", plain[0], annealed[0]);
    QVERIFY2(std::abs(plain[0] - 0.5) < 0.05, qPrintable(QString::number(plain[0])));
    QVERIFY2(std::abs(annealed[0] - 0.8) < 0.05, qPrintable(QString::number(annealed[0])));
  }

  void theDdimRoundTripReconstructsTheDataBetterWithMoreSteps() {
    const auto mixture = twoModes(0.7);
    const ExactScore model(mixture, Process(ProcessKind::Vp));
    const Points x0 = mixture->sample(1000, CounterRng(11), nullptr);
    double previous = 1e9;
    for (int steps : {25, 100, 400}) {
      const RoundTrip trip = ddimRoundTrip(model, x0, steps);
      qInfo("%d steps: mean |x0 - decode(encode(x0))| = %.2e", steps, trip.error);
      QCOMPARE(trip.error, meanPointDistance(x0, trip.decoded));
      QVERIFY2(trip.error < previous, qPrintable(QString::number(trip.error)));
      if (steps == 100) QVERIFY2(trip.error < 0.06, qPrintable(QString::number(trip.error)));
      previous = trip.error;
    }
    // The animation: 2 steps + 1 frames, t up from the noise floor to 1 and back.
    std::vector<double> times;
    ddimRoundTrip(model, x0, 10, [&](int step, double t, const Points&) {
      if (step != static_cast<int>(times.size())) qFatal("step %d out of order", step);
      times.push_back(t);
      return true;
    });
    QCOMPARE(times.size(), std::size_t(21));
    QCOMPARE(times[10], 1.0);
    QCOMPARE(times.front(), times.back());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ddimRoundTrip(model, x0, 0));
  }
};

QTEST_APPLESS_MAIN(TestComparisons)
#include "test_comparisons.moc"
