// The four parametrizations: exact round trips, recovery of the true (x0, eps) pair, and
// Tweedie's formula against the closed-form posterior mean of a Gaussian.
#include <Eigen/Dense>
#include <QTest>

#include "scorescope/gaussian_mixture.hpp"
#include "scorescope/parametrization.hpp"
#include "scorescope/score_model.hpp"
#include "test_support.hpp"

using namespace scorescope;

class TestParametrization : public QObject {
  Q_OBJECT
 private slots:
  void roundTrips_data();
  void roundTrips();
  void recoversTheNoisingPair_data();
  void recoversTheNoisingPair();
  void tweedieMatchesGaussianPosteriorMean();
};

void TestParametrization::roundTrips_data() {
  QTest::addColumn<double>("a");
  QTest::addColumn<double>("s");
  QTest::newRow("vp early") << 0.999 << std::sqrt(1 - 0.999 * 0.999);
  QTest::newRow("vp late") << 0.05 << std::sqrt(1 - 0.0025);
  QTest::newRow("ve") << 1.0 << 7.5;
  QTest::newRow("sub-vp") << 0.8 << 0.36;
}

void TestParametrization::roundTrips() {
  QFETCH(double, a);
  QFETCH(double, s);
  const Points x = 2.0 * CounterRng(1).normals(100, 0);
  const Points score = CounterRng(2).normals(100, 0);
  for (Parametrization p : {Parametrization::Score, Parametrization::Denoiser,
                            Parametrization::Noise, Parametrization::Velocity}) {
    const Points output = fromScore(p, x, score, a, s);
    const Points back = toScore(p, x, output, a, s);
    QVERIFY2((back - score).cwiseAbs().maxCoeff() < 1e-10, parametrizationName(p).data());
  }
  const Points eps = noiseFromScore(score, s);
  QVERIFY((noiseFromDenoiser(x, denoiserFromNoise(x, eps, a, s), a, s) - eps).cwiseAbs().maxCoeff() < 1e-10);
}

void TestParametrization::recoversTheNoisingPair_data() { roundTrips_data(); }

// For x = a x0 + s eps the "perfect" model outputs are eps, x0 and v = a eps - s x0; every
// conversion from one of them must give the others.
void TestParametrization::recoversTheNoisingPair() {
  QFETCH(double, a);
  QFETCH(double, s);
  const Points x0 = CounterRng(3).normals(50, 0);
  const Points eps = CounterRng(4).normals(50, 0);
  const Points x = a * x0 + s * eps;
  const Points v = a * eps - s * x0;
  QVERIFY((denoiserFromVelocity(x, v, a, s) - x0).cwiseAbs().maxCoeff() < 1e-10);
  QVERIFY((noiseFromVelocity(x, v, a, s) - eps).cwiseAbs().maxCoeff() < 1e-10);
  QVERIFY((denoiserFromNoise(x, eps, a, s) - x0).cwiseAbs().maxCoeff() < 1e-10);
  QVERIFY((velocityFromNoiseAndDenoiser(eps, x0, a, s) - v).cwiseAbs().maxCoeff() < 1e-12);
}

// One Gaussian N(mu, S): E[x0 | x_t = x] = mu + a S (a^2 S + s^2 I)^{-1} (x - a mu). The model's
// denoiser (from the exact score via Tweedie) must equal it.
void TestParametrization::tweedieMatchesGaussianPosteriorMean() {
  MixtureComponent c;
  c.mean = {1.0, -0.5};
  c.cov << 0.5, 0.2, 0.2, 0.3;
  const Process vp(ProcessKind::Vp);
  const ExactScore model(std::make_shared<GaussianMixture>(std::vector{c}), vp);
  const Points x = CounterRng(5).normals(20, 0);
  for (double t : {0.05, 0.4, 0.9}) {
    const double a = vp.a(t), s = vp.s(t);
    const Eigen::Matrix2d gain = a * c.cov * (a * a * c.cov + s * s * Eigen::Matrix2d::Identity()).inverse();
    const Points expected = ((x.rowwise() - a * c.mean.transpose()) * gain.transpose()).rowwise() + c.mean.transpose();
    QVERIFY((model.denoise(x, t) - expected).cwiseAbs().maxCoeff() < 1e-10);
  }
}

QTEST_APPLESS_MAIN(TestParametrization)
#include "test_parametrization.moc"
