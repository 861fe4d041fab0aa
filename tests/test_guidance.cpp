// Guidance: the exact class-posterior gradient against finite differences, classifier guidance
// at gamma = 1 against exact class-conditional sampling, the CFG conventions against each other
// and against classifier guidance, universal guidance's gradient and its pull toward a target.
#include <QTest>

#include "scorescope/guidance.hpp"
#include "scorescope/metrics.hpp"
#include "scorescope/sampler_run.hpp"
#include "test_support.hpp"

using namespace scorescope;

class TestGuidance : public QObject {
  Q_OBJECT
 private slots:
  void classPosteriorGradientMatchesFiniteDifferences();
  void classifierGuidanceAtOneSamplesTheClass();
  void cfgConventionsAgree();
  void universalGuidanceGradientMatchesFiniteDifferences();
  void universalGuidancePullsTowardTheTarget();
};

void TestGuidance::classPosteriorGradientMatchesFiniteDifferences() {
  const auto mixture = test::referenceMixture();
  const Process vp(ProcessKind::Vp);
  const Points x = 2.0 * CounterRng(1).normals(40, 0);
  const double h = 1e-5;
  for (double t : {0.05, 0.3, 0.7}) {
    const Points gradient = exactClassLogPosteriorGradient(*mixture, vp, x, t, 1);
    for (int j = 0; j < 2; ++j) {
      Points plus = x, minus = x;
      plus.col(j).array() += h;
      minus.col(j).array() -= h;
      auto logPosterior = [&](const Points& p) {
        return Eigen::VectorXd(mixture->evaluate(p, vp.a(t), vp.s(t), {.classPosterior = true})
                                   .classPosterior.col(1).array().log());
      };
      const Eigen::VectorXd fd = (logPosterior(plus) - logPosterior(minus)) / (2 * h);
      const double error = (gradient.col(j) - fd).cwiseAbs().maxCoeff();
      QVERIFY2(error < 1e-5 * (1 + fd.cwiseAbs().maxCoeff()), qPrintable(QString::number(error)));
    }
  }
}

// score + 1 * grad log p(y | x) = grad log p(x | y): sampling with it must reproduce the class's
// mixture, checked against exact draws of that mixture (SW1 within 0.04 of the noise floor).
void TestGuidance::classifierGuidanceAtOneSamplesTheClass() {
  const auto mixture = test::referenceMixture();
  const Process vp(ProcessKind::Vp);
  const ClassifierGuidance guided(mixture, vp, 1, 1.0);
  SamplerSettings settings;
  settings.kind = SamplerKind::OdeHeun;
  const CounterRng rng(3);
  const Points samples = runSampler(guided, settings, samplePrior(vp, 3000, rng), rng).final;
  const auto conditional = mixture->conditional(1);
  const Points exact = conditional->sample(3000, CounterRng(4), nullptr);
  const double floor = slicedWasserstein(conditional->sample(3000, CounterRng(5), nullptr), exact, 1, 64, 1);
  const double distance = slicedWasserstein(samples, exact, 1, 64, 1);
  qInfo("SW1 %.4f (floor %.4f)", distance, floor);
  QVERIFY(distance < floor + 0.04);
  // ...and unguided samples are far from it (the class holds half the mass).
  const ExactScore plain(mixture, vp);
  const Points unguided = runSampler(plain, settings, samplePrior(vp, 3000, rng), rng).final;
  QVERIFY(slicedWasserstein(unguided, exact, 1, 64, 1) > floor + 0.3);
}

// For exact scores eps_c - eps_u = -s grad log p(y | x), so CFG in the lecture convention with
// gamma is classifier guidance with gamma, and Ho & Salimans' w is gamma = 1 + w.
void TestGuidance::cfgConventionsAgree() {
  const auto mixture = test::referenceMixture();
  const Process vp(ProcessKind::Vp);
  const auto conditional = std::make_shared<ExactScore>(std::shared_ptr<const Target>(mixture->conditional(1)), vp);
  const auto unconditional = std::make_shared<ExactScore>(mixture, vp);
  const Points x = 2.0 * CounterRng(6).normals(30, 0);
  for (double w : {0.0, 1.0, 3.0, 7.0}) {
    const ClassifierFreeGuidance hs(conditional, unconditional, w, CfgConvention::HoSalimans);
    const ClassifierFreeGuidance lecture(conditional, unconditional, lectureGammaFromW(w), CfgConvention::Lecture);
    const ClassifierGuidance classifier(mixture, vp, 1, 1.0 + w);
    for (double t : {0.1, 0.5, 0.9}) {
      const Points a = hs.score(x, t);
      const double scale = 1 + a.cwiseAbs().maxCoeff();
      QVERIFY((a - lecture.score(x, t)).cwiseAbs().maxCoeff() < 1e-9 * scale);
      QVERIFY((a - classifier.score(x, t)).cwiseAbs().maxCoeff() < 1e-9 * scale);
    }
  }
  const ClassifierFreeGuidance none(conditional, unconditional, 0.0, CfgConvention::HoSalimans);
  QVERIFY((none.score(x, 0.4) - conditional->score(x, 0.4)).cwiseAbs().maxCoeff() < 1e-12);
  const ClassifierGuidance zero(mixture, vp, 1, 0.0);
  QVERIFY((zero.score(x, 0.4) - unconditional->score(x, 0.4)).cwiseAbs().maxCoeff() < 1e-12);
}

void TestGuidance::universalGuidanceGradientMatchesFiniteDifferences() {
  const Process vp(ProcessKind::Vp);
  const auto base = std::make_shared<ExactScore>(test::referenceMixture(), vp);
  const auto loss = std::make_shared<DistanceToPoint>(Eigen::Vector2d(1.5, 1.0));
  const UniversalGuidance guided(base, loss, 1.0);
  const Points x = 1.5 * CounterRng(7).normals(30, 0);
  const double h = 1e-5;
  for (double t : {0.1, 0.5}) {
    const Points gradient = guided.lossGradient(x, t);
    for (int j = 0; j < 2; ++j) {
      Points plus = x, minus = x;
      plus.col(j).array() += h;
      minus.col(j).array() -= h;
      const Eigen::VectorXd fd = (loss->value(base->denoise(plus, t)) - loss->value(base->denoise(minus, t))) / (2 * h);
      QVERIFY((gradient.col(j) - fd).cwiseAbs().maxCoeff() < 1e-5 * (1 + fd.cwiseAbs().maxCoeff()));
    }
  }
}

void TestGuidance::universalGuidancePullsTowardTheTarget() {
  const Process vp(ProcessKind::Vp);
  const auto base = std::make_shared<ExactScore>(test::referenceMixture(), vp);
  const Eigen::Vector2d goal(1.5, 1.0);
  const UniversalGuidance guided(base, std::make_shared<DistanceToPoint>(goal), 2.0);
  SamplerSettings settings;
  settings.kind = SamplerKind::OdeHeun;
  const CounterRng rng(8);
  auto meanDistance = [&](const ScoreModel& model) {
    const Points x = runSampler(model, settings, samplePrior(vp, 2000, rng), rng).final;
    return (x.rowwise() - goal.transpose()).rowwise().norm().mean();
  };
  const double plain = meanDistance(*base);
  const double steered = meanDistance(guided);
  qInfo("mean distance to goal: unguided %.3f, guided %.3f", plain, steered);
  QVERIFY(steered < 0.5 * plain);
}

QTEST_APPLESS_MAIN(TestGuidance)
#include "test_guidance.moc"
