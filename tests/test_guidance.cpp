// Guidance: the exact class-posterior gradient against finite differences, classifier guidance
// at gamma = 1 against exact class-conditional sampling, the CFG conventions against each other
// and against classifier guidance, universal guidance's gradient and its pull toward a target.
#include <QTest>

#include "scorescope/guidance.hpp"
#include "scorescope/metrics.hpp"
#include "scorescope/sampler_run.hpp"
#include "scorescope/scene_plan.hpp"
#include "scorescope/tilted_law.hpp"
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
  void aSweepOfGammaGivesEqualFieldsForBothKinds();
  void theTiltedLawAtOneIsTheClass();
  void theTiltedLawAtThreeIsNotWhatGuidanceSamples();
  void tiltedSamplesFollowTheGrid();
  void theNoisedScoreOfAGridIsThatOfItsPoints();
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

// guidance.sweep holds gamma for both kinds: the planner runs classifier guidance at gamma and
// CFG at w = gamma - 1, which with exact scores are the same field (to rounding).
void TestGuidance::aSweepOfGammaGivesEqualFieldsForBothKinds() {
  SampledScene scene;
  scene = enterLesson(scene, Lesson::Guidance);
  scene.guidance.label = 3;
  scene.guidance.sweep = {0.0, 1.0, 3.0, 7.0};
  scene.guidance.kind = GuidanceKind::Classifier;
  const ScenePlan classifier = planScene(scene);
  scene.guidance.kind = GuidanceKind::ClassifierFree;
  const ScenePlan cfg = planScene(scene);
  QVERIFY2(classifier.ok() && cfg.ok(), (classifier.error + cfg.error).c_str());
  QCOMPARE(cfg.runs.size(), std::size_t(4));
  const Points x = 3.0 * CounterRng(9).normals(200, 0);
  double worst = 0.0;
  for (std::size_t i = 0; i < 4; ++i) {
    QCOMPARE(classifier.runs[i].scale, scene.guidance.sweep[i]);
    QCOMPARE(cfg.runs[i].scale, scene.guidance.sweep[i] - 1.0);
    for (double t : {0.02, 0.3, 0.8}) {
      const Points a = classifier.runs[i].model->score(x, t);
      const Points b = cfg.runs[i].model->score(x, t);
      worst = std::max(worst, (a - b).cwiseAbs().maxCoeff() / (1.0 + a.cwiseAbs().maxCoeff()));
    }
  }
  qInfo("largest relative difference classifier vs CFG at equal gamma: %.2e", worst);
  QVERIFY(worst < 1e-10);
  // gamma = 0 is the unconditional score for both.
  QVERIFY((cfg.runs[0].model->score(x, 0.3) - cfg.exact->score(x, 0.3)).cwiseAbs().maxCoeff() < 1e-10);
  scene.guidance.sweep = {0.0, -0.5};
  QVERIFY(planScene(scene).error.find("guidance.sweep") == 0);
}

// At gamma = 1, p_0 p_0(y|x) = w_y p_0(x|y): the tilted law is the class conditional (closed
// form), q_t = p_t(x|y), so its grid score is the exact conditional score and grad log Z_t = 0.
void TestGuidance::theTiltedLawAtOneIsTheClass() {
  const auto mixture = test::referenceMixture();
  const Process vp(ProcessKind::Vp);
  const TiltedLaw law(mixture, vp, 1, 1.0);
  const auto conditional = mixture->conditional(1);
  const Points x0 = conditional->sample(300, CounterRng(10), nullptr);
  const Eigen::VectorXd exactLog = conditional->evaluate(x0, 1.0, 0.0, {.logDensity = true}).logDensity;
  const double densityError = (law.logDensity(x0) - exactLog).cwiseAbs().maxCoeff();
  qInfo("gamma = 1: |log q_0 - log p_0(x|y)| <= %.2e (grid step %.3f)", densityError, law.gridStep());
  QVERIFY(densityError < 1e-6);
  // The grid resolves q_t from where the kernel is two grid steps wide: a small t.
  QVERIFY2(law.resolvedTime() > 0.0 && law.resolvedTime() < 0.05, qPrintable(QString::number(law.resolvedTime())));
  for (double t : {law.resolvedTime(), 0.05, 0.2, 0.5, 0.9}) {
    const Points x = vp.a(t) * x0 + vp.s(t) * CounterRng(11).normals(300, 0);
    const Points exact = ExactScore(std::shared_ptr<const Target>(mixture->conditional(1)), vp).score(x, t);
    const double scoreError = (law.noisedScore(x, t) - exact).cwiseAbs().maxCoeff();
    const double gap = law.logNormaliserGradient(x, t).cwiseAbs().maxCoeff();
    qInfo("t = %.2f: |grad log q_t - closed form| %.2e, |grad log Z_t| %.2e (|score| up to %.1f)", t, scoreError,
          gap, exact.cwiseAbs().maxCoeff());
    QVERIFY(scoreError < 1e-4 * (1.0 + exact.cwiseAbs().maxCoeff()));
    QVERIFY(gap < 1e-4 * (1.0 + exact.cwiseAbs().maxCoeff()));
  }
}

// At gamma = 3 the guided score is not the score of the noised tilted law: grad log Z_t is of
// the order of the score itself between the class's two modes and the other class.
void TestGuidance::theTiltedLawAtThreeIsNotWhatGuidanceSamples() {
  const auto mixture = test::referenceMixture();
  const Process vp(ProcessKind::Vp);
  const TiltedLaw law(mixture, vp, 1, 3.0);
  const Points x = 2.0 * CounterRng(12).normals(400, 0);
  for (double t : {0.2, 0.5}) {
    const Points gap = law.logNormaliserGradient(x, t);
    const double largest = gap.rowwise().norm().maxCoeff();
    qInfo("gamma = 3, t = %.1f: max |grad log Z_t| = %.3f", t, largest);
    QVERIFY(largest > 0.5);
  }
  // And the tilted law itself is not p_0(x|y): it puts more mass away from class 0.
  const TiltedLaw one(mixture, vp, 1, 1.0);
  const Points probe = (Points(1, 2) << 0.0, 0.0).finished();
  QVERIFY(std::abs(law.logDensity(probe)(0) - one.logDensity(probe)(0)) > 0.5);
}

// Draws of the grid law match the law: at gamma = 1, exact class draws (sliced W1 at the noise
// floor of two exact sample sets plus 0.03).
void TestGuidance::tiltedSamplesFollowTheGrid() {
  const auto mixture = test::referenceMixture();
  const TiltedLaw law(mixture, Process(ProcessKind::Vp), 1, 1.0);
  const auto conditional = mixture->conditional(1);
  const Points exact = conditional->sample(3000, CounterRng(13), nullptr);
  const double floor = slicedWasserstein(conditional->sample(3000, CounterRng(14), nullptr), exact, 1, 64, 1);
  const double distance = slicedWasserstein(law.sample(3000, CounterRng(15)), exact, 1, 64, 1);
  qInfo("SW1 grid draws %.4f (floor %.4f)", distance, floor);
  QVERIFY(distance < floor + 0.03);
}

// noisedScore shares kernel rows between points with equal coordinates (a grid of arrow
// nodes): on a shuffled grid with repeated points it must give, point by point, what each point
// gives alone.
void TestGuidance::theNoisedScoreOfAGridIsThatOfItsPoints() {
  const TiltedLaw law(test::referenceMixture(), Process(ProcessKind::Vp), 1, 3.0);
  Points grid(7 * 5 + 3, 2);
  for (int r = 0; r < 5; ++r) {
    for (int c = 0; c < 7; ++c) grid.row(r * 7 + c) << -3.0 + c, -2.0 + 1.1 * r;
  }
  grid.row(35) = grid.row(3);
  grid.row(36) = grid.row(20);
  grid.row(37) << 0.123, -2.0;  // a new x with an existing y
  std::vector<Eigen::Index> order(static_cast<std::size_t>(grid.rows()));
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = static_cast<Eigen::Index>((k * 11) % order.size());
  Points shuffled(grid.rows(), 2);
  for (Eigen::Index k = 0; k < grid.rows(); ++k) shuffled.row(k) = grid.row(order[static_cast<std::size_t>(k)]);
  for (double t : {0.1, 0.5}) {
    const Points together = law.noisedScore(shuffled, t);
    for (Eigen::Index k = 0; k < shuffled.rows(); ++k) {
      const Points alone = law.noisedScore(shuffled.row(k), t);
      QVERIFY2((together.row(k) - alone.row(0)).norm() <= 1e-12 * (1.0 + alone.row(0).norm()),
               qPrintable(QString("t = %1, point %2").arg(t).arg(k)));
    }
  }
}

QTEST_APPLESS_MAIN(TestGuidance)
#include "test_guidance.moc"
