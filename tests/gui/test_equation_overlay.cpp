// The equation overlay's lines: the formula of each lesson in the lecture's notation, and the
// numbers it prints checked against independent values (the process's a(t), s(t), f, g^2 at t,
// the sampler settings, gamma = 1 + w, the annealed level's sigma and step size recomputed from
// the level times).
#include <QTest>
#include <cmath>
#include <cstdio>

#include "gui/equation_overlay.hpp"
#include "scorescope/time_grid.hpp"

using namespace scorescope;
using namespace scorescope::gui;

namespace {

Scene lessonScene(Lesson lesson) {
  Scene s;
  s.sampled = enterLesson(s.sampled, lesson);
  return s;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const std::string& l : lines) all += l + "\n";
  return all;
}

bool contains(const std::vector<std::string>& lines, const std::string& text) {
  return joined(lines).find(text) != std::string::npos;
}

std::string fixed3(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}

std::string general3(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3g", v);
  return b;
}

}  // namespace

class TestEquationOverlay : public QObject {
  Q_OBJECT
 private slots:
  void forwardNoisingPrintsTAlphaSigma() {
    const Scene s = lessonScene(Lesson::ForwardNoising);
    const Process vp(ProcessKind::Vp);
    const auto lines = equationLines(s, 0.4);
    QVERIFY(contains(lines, "xₜ = αₜ x₀ + σₜ ε"));
    QVERIFY2(contains(lines, "t = 0.400"), joined(lines).c_str());
    QVERIFY2(contains(lines, "αₜ = " + fixed3(vp.a(0.4))), joined(lines).c_str());
    QVERIFY2(contains(lines, "σₜ = " + fixed3(vp.s(0.4))), joined(lines).c_str());
    // VP at t = 0.4 by hand: log a = -(0.1 * 0.4 + 0.5 * 19.9 * 0.16) / 2 = -0.8162, a = 0.442,
    // s = sqrt(1 - a^2) = 0.897.
    QVERIFY2(contains(lines, "αₜ = 0.442    σₜ = 0.897"), joined(lines).c_str());
  }

  void theScoreLessonUsesTheUnicodeNotation() {
    const auto lines = equationLines(lessonScene(Lesson::ScoreField), 0.25);
    QVERIFY(contains(lines, "∇ₓ log pₜ(x)"));
    QVERIFY(!contains(lines, "grad log"));
    QVERIFY(!contains(lines, "a(t)"));
    QVERIFY(contains(lines, "t = 0.250"));
  }

  void langevinPrintsItsStepSizeAndT() {
    Scene s = lessonScene(Lesson::Langevin);
    s.sampled.sampler.langevinStepSize = 0.0025;
    const auto lines = equationLines(s, 0.0123);
    QVERIFY(contains(lines, "x ← x + (η/2) ∇ₓ log pₜ(x) + √η z"));
    QVERIFY2(contains(lines, "η = 0.0025"), joined(lines).c_str());
    QVERIFY2(contains(lines, "t = 0.012"), joined(lines).c_str());
  }

  void annealedLangevinPrintsTheLevelOnShow() {
    Scene s = lessonScene(Lesson::Langevin);
    s.sampled.sampler = defaultSamplerSettings(SamplerKind::AnnealedLangevin);
    // The levels sampleAnnealedLangevin walks: 1000 / 50 = 20, from t = 1 to defaultTMin.
    const Process vp(ProcessKind::Vp);
    const std::vector<double> times = geometricLevelTimes(vp, 20, defaultTMin(vp));
    QCOMPARE(times.size(), std::size_t(20));
    const double sigma = vp.s(times[4]), sigmaL = vp.s(times.back());
    const double eta = 5e-5 * sigma * sigma / (sigmaL * sigmaL);
    const AnnealedLevel level = annealedLevelAt(s.sampled.sampler, ProcessKind::Vp, times[4]);
    QCOMPARE(level.index, 5);
    QCOMPARE(level.count, 20);
    QVERIFY(std::abs(level.sigma - sigma) < 1e-12);
    QVERIFY(std::abs(level.stepSize - eta) < 1e-15);
    const auto lines = equationLines(s, times[4]);
    QVERIFY2(contains(lines, "level 5 / 20"), joined(lines).c_str());
    QVERIFY2(contains(lines, "σ_l = " + general3(sigma)), joined(lines).c_str());
    QVERIFY2(contains(lines, "η_l = " + general3(eta)), joined(lines).c_str());
    // The last level's step size is epsilon itself.
    QVERIFY(std::abs(annealedLevelAt(s.sampled.sampler, ProcessKind::Vp, times.back()).stepSize - 5e-5) < 1e-18);
  }

  void reverseLessonPrintsTheDriftAndDiffusionAtT() {
    const Scene s = lessonScene(Lesson::ReverseVsOde);
    const Process vp(ProcessKind::Vp);
    const auto lines = equationLines(s, 0.6);
    QVERIFY(contains(lines, "PF-ODE:  dx = [f(t) x − ½ g(t)² ∇ₓ log pₜ(x)] dt"));
    QVERIFY(contains(lines, "reverse SDE"));
    // VP: beta(t) = 0.1 + 19.9 t, f = -beta / 2, g^2 = beta: at t = 0.6 f = -6.02, g^2 = 12.04.
    QVERIFY2(contains(lines, "f(t) = " + general3(vp.f(0.6))), joined(lines).c_str());
    QVERIFY2(contains(lines, "t = 0.600    f(t) = -6.02    g(t)² = 12\n"), joined(lines).c_str());
  }

  void ddimPrintsItsEta() {
    Scene s = lessonScene(Lesson::ReverseVsOde);
    s.sampled.sampler = defaultSamplerSettings(SamplerKind::Ddim);
    s.sampled.sampler.ddimEta = 0.3;
    const auto lines = equationLines(s, 0.5);
    QVERIFY(contains(lines, "DDIM"));
    QVERIFY2(contains(lines, "η = 0.30"), joined(lines).c_str());
  }

  // DDPM's s(0) is -0.0, which printf writes "-0.000": the overlay must not.
  void noNegativeZeroAtTimeZero() {
    for (ProcessKind kind : {ProcessKind::Ddpm, ProcessKind::Vp, ProcessKind::Ve, ProcessKind::SubVp}) {
      Scene s = lessonScene(Lesson::ForwardNoising);
      s.sampled.process = kind;
      const auto lines = equationLines(s, 0.0);
      QVERIFY2(joined(lines).find("-0.000") == std::string::npos, joined(lines).c_str());
    }
  }

  void cfgPrintsWAndGamma() {
    Scene s = lessonScene(Lesson::Guidance);
    QCOMPARE(s.sampled.guidance.kind, GuidanceKind::ClassifierFree);
    s.sampled.guidance.scale = 2.5;
    s.sampled.guidance.label = 3;
    const auto lines = equationLines(s, 0.1);
    QVERIFY(contains(lines, "(1 + w) ε_θ(x, y) − w ε_θ(x)"));
    QVERIFY2(contains(lines, "w = 2.5    γ = 3.5"), joined(lines).c_str());
    QVERIFY(contains(lines, "class 3"));
    s.sampled.guidance.sweep = {0.0, 1.0, 3.0, 7.0};
    QVERIFY2(contains(equationLines(s, 0.1), "w = -1, 0, 2, 6    γ = 0, 1, 3, 7"), joined(equationLines(s, 0.1)).c_str());
  }

  void classifierGuidancePrintsGamma() {
    Scene s = lessonScene(Lesson::Guidance);
    s.sampled.guidance.kind = GuidanceKind::Classifier;
    s.sampled.guidance.scale = 4.0;
    const auto lines = equationLines(s, 0.1);
    QVERIFY(contains(lines, "∇ₓ log pₜ(x) + γ ∇ₓ log pₜ(y | x)"));
    QVERIFY2(contains(lines, "γ = 4 "), joined(lines).c_str());
  }

  void everyLessonHasFormulaAndNumbers() {
    for (int l = 1; l <= kLessonCount; ++l) {
      const auto lines = equationLines(lessonScene(static_cast<Lesson>(l)), 0.3);
      QVERIFY2(lines.size() >= 2, qPrintable(QString("lesson %1").arg(l)));
      QVERIFY2(lines.back().find("t = ") != std::string::npos, qPrintable(QString("lesson %1").arg(l)));
    }
  }
};

QTEST_APPLESS_MAIN(TestEquationOverlay)
#include "test_equation_overlay.moc"
