// The fast point-set field (cut-off + Taylor expansion over sorted particle blocks) against the
// brute-force double loop: log density, score, Hessian, class posterior and denoiser, on
// two-moons, the three-point set, a drawn set with duplicate points and a single point, for t
// from 1e-4 to 1 under VP and VE (s up to 50), at particles on, near and far (|x| up to 1e3)
// from the data.
#include <Eigen/Dense>
#include <QTest>
#include <cmath>

#include "scorescope/empirical_field.hpp"
#include "scorescope/empirical_set.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/process.hpp"

using namespace scorescope;

namespace {

// A set drawn by hand: clicks repeat, so several points coincide exactly.
PointSet drawnSet() {
  PointSet set{Points(9, 2), Labels(9)};
  set.points << 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, -1.0, 0.2, -1.0, 0.2, 1.5, -1.25, 0.0, 0.0, 0.0, 0.0, 2.0, 2.0;
  set.labels << 0, 0, 0, 1, 1, 2, 0, 1, 2;
  return set;
}

PointSet namedSet(const QString& name) {
  if (name == "two-moons") return makeTwoMoons(500, 0.05, 0);
  if (name == "three-points") return makeThreePoints();
  if (name == "single") return PointSet{Points::Constant(1, 2, -0.4), Labels::Zero(1)};  // N = 1
  return drawnSet();
}

// x_t = a x0 + s eps of the data (where the particles of a run are), the data points themselves
// (a x0 exactly), and points far away in 8 directions at |x| = 5, 30, 200 and 1000.
Points particles(const PointSet& set, double a, double s, Eigen::Index forward) {
  const CounterRng rng(11);
  const Eigen::Index n = set.points.rows();
  const Eigen::Index onData = std::min<Eigen::Index>(n, 20);
  Points x(forward + onData + 32, 2);
  const Points eps = rng.normals(forward, 0);
  for (Eigen::Index j = 0; j < forward; ++j) {
    const auto pick = static_cast<Eigen::Index>(rng.bits(1, static_cast<std::uint64_t>(j)) % static_cast<std::uint64_t>(n));
    x.row(j) = a * set.points.row(pick) + s * eps.row(j);
  }
  for (Eigen::Index j = 0; j < onData; ++j) x.row(forward + j) = a * set.points.row(j);
  Eigen::Index row = forward + onData;
  for (double radius : {5.0, 30.0, 200.0, 1000.0}) {
    for (int k = 0; k < 8; ++k) {
      const double angle = 0.7 + k * std::numbers::pi / 4.0;
      x.row(row++) << radius * std::cos(angle), radius * std::sin(angle);
    }
  }
  return x;
}

double maxNorm(const Points& p) { return p.rowwise().norm().maxCoeff(); }

}  // namespace

class TestEmpiricalField : public QObject {
  Q_OBJECT
 private slots:
  void fastEqualsBruteForce_data();
  void fastEqualsBruteForce();
  void cutOffDropsOnlyNegligiblePoints();
  void largeBatchesUseBothKernels();
  void gridDensityEqualsBruteForce();
  void baselineKernelEqualsBruteForce();
};

void TestEmpiricalField::fastEqualsBruteForce_data() {
  QTest::addColumn<QString>("set");
  QTest::addColumn<QString>("process");
  QTest::addColumn<double>("t");
  for (const char* set : {"two-moons", "three-points", "drawn", "single"}) {
    for (const char* process : {"vp", "ve"}) {
      for (double t : {1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0}) {
        QTest::addRow("%s %s t=%g", set, process, t) << QString(set) << QString(process) << t;
      }
    }
  }
}

// Tolerances are relative to each quantity's natural scale, the size its terms have before
// they cancel: |x| / s^2 + a max|x_i| / s^2 for the score, (a max|x_i|)^2 / s^4 + 1 / s^2 for
// the Hessian, 1 for posteriors, max(1, |log p|) for the log density. The brute force itself
// rounds at 1e-16 of these; the fast one may add the cut-off's 1e-16 and the expansion's 2^-52.
void TestEmpiricalField::fastEqualsBruteForce() {
  QFETCH(QString, set);
  QFETCH(QString, process);
  QFETCH(double, t);
  const PointSet data = namedSet(set);
  const EmpiricalSet target(data.points, data.labels);
  const Process p(process == "vp" ? ProcessKind::Vp : ProcessKind::Ve);
  const double a = p.a(t), s = p.s(t);
  const Points x = particles(data, a, s, 3000);
  const FieldRequest all{.logDensity = true, .score = true, .hessian = true, .classPosterior = true};
  const PointSetView view{target.points(), target.labels(), target.labelCount()};
  const FieldValues ref = empiricalFieldReference(view, x, a, s, all);
  EmpiricalFieldStats stats;
  const FieldValues fast = empiricalField(view, x, a, s, all, &stats);
  const FieldValues viaTarget = target.evaluate(x, a, s, all);
  QCOMPARE(viaTarget.score, fast.score);  // the target uses the fast evaluation
  // Score (and log p) alone take the direct kernel's fused sums instead of the product with g.
  const FieldValues scoreOnly = empiricalField(view, x, a, s, {.logDensity = true, .score = true});

  const double tol = 1e-12, s2 = s * s;
  const double spread = a * maxNorm(data.points);
  double worst[4] = {0, 0, 0, 0};
  for (Eigen::Index j = 0; j < x.rows(); ++j) {
    const double xn = x.row(j).norm();
    const double logScale = std::max(1.0, std::abs(ref.logDensity(j)));
    const double scoreScale = (xn + spread) / s2;
    const double hessScale = spread * spread / (s2 * s2) + 1.0 / s2;
    const double e[4] = {std::max(std::abs(fast.logDensity(j) - ref.logDensity(j)),
                                  std::abs(scoreOnly.logDensity(j) - ref.logDensity(j))) / logScale,
                         std::max((fast.score.row(j) - ref.score.row(j)).norm(),
                                  (scoreOnly.score.row(j) - ref.score.row(j)).norm()) / scoreScale,
                         (fast.hessian.row(j) - ref.hessian.row(j)).cwiseAbs().maxCoeff() / hessScale,
                         (fast.classPosterior.row(j) - ref.classPosterior.row(j)).cwiseAbs().maxCoeff()};
    for (int k = 0; k < 4; ++k) worst[k] = std::max(worst[k], e[k]);
    if (!(e[0] <= tol && e[1] <= tol && e[2] <= tol && e[3] <= tol)) {
      QFAIL(qPrintable(QStringLiteral("particle %1 at (%2, %3), a=%4 s=%5: relative errors log p %6, score %7, "
                                      "Hessian %8, posterior %9")
                           .arg(j).arg(x(j, 0)).arg(x(j, 1)).arg(a).arg(s).arg(e[0]).arg(e[1]).arg(e[2]).arg(e[3])));
    }
  }
  // The denoiser D(x) = (x + s^2 score) / a, to the scale of x / a and the data.
  const Points denoised = target.denoise(x, a, s);
  const Points expected = (x + s2 * ref.score) / a;
  for (Eigen::Index j = 0; j < x.rows(); ++j) {
    const double scale = x.row(j).norm() / a + maxNorm(data.points);
    QVERIFY2((denoised.row(j) - expected.row(j)).norm() <= tol * scale,
             qPrintable(QStringLiteral("denoise at particle %1").arg(j)));
  }
  qDebug("%s: worst relative errors log p %.1e, score %.1e, Hessian %.1e, posterior %.1e; %lld direct, %lld "
         "expanded (order <= %d), %lld pairs dropped",
         QTest::currentDataTag(), worst[0], worst[1], worst[2], worst[3], stats.directParticles,
         stats.expandedParticles, stats.maxOrder, stats.droppedPairs);
}

// Two clusters: at particles near the first, a point of the second whose weight is below
// 1e-16 / N of the largest may be dropped; one whose weight is 1e-13 must not be (its class
// posterior, ~1e-13, is then matched to 1e-6 relative, not merely to 1e-12 absolute).
void TestEmpiricalField::cutOffDropsOnlyNegligiblePoints() {
  const double s = 0.1;
  for (double logRatio : {-30.0, -45.0}) {
    // |x - y_far|^2 - |x - y_near|^2 = -2 s^2 logRatio at x = 0, with y_near = 0.
    Points points(2, 2);
    points << 0.0, 0.0, std::sqrt(-2.0 * s * s * logRatio), 0.0;
    Labels labels(2);
    labels << 0, 1;
    const PointSetView view{points, labels, 2};
    Points x = 1e-3 * CounterRng(5).normals(200, 0);
    x.row(0).setZero();
    const FieldValues ref = empiricalFieldReference(view, x, 1.0, s, {.score = true, .classPosterior = true});
    EmpiricalFieldStats stats;
    const FieldValues fast = empiricalField(view, x, 1.0, s, {.score = true, .classPosterior = true}, &stats);
    QVERIFY(ref.classPosterior(0, 1) > 0.5 * std::exp(logRatio));
    if (logRatio > -16.0 * std::numbers::ln10 - std::log(2.0)) {
      QCOMPARE(stats.droppedPairs, 0LL);
      QVERIFY2(std::abs(fast.classPosterior(0, 1) - ref.classPosterior(0, 1)) <= 1e-6 * ref.classPosterior(0, 1),
               qPrintable(QStringLiteral("posterior of the far point %1, brute force %2")
                              .arg(fast.classPosterior(0, 1)).arg(ref.classPosterior(0, 1))));
    } else {
      QVERIFY(stats.droppedPairs > 0);
      QVERIFY(std::abs(fast.classPosterior(0, 1) - ref.classPosterior(0, 1)) <= 1e-16);
    }
    QVERIFY((fast.score - ref.score).cwiseAbs().maxCoeff() <= 1e-12 * (maxNorm(points) + maxNorm(x)) / (s * s));
  }
}

// A run's 20000 particles at large t go through the expansion, at small t through the cut-off,
// and both agree with the brute force on a sample of them (the full comparison is above).
void TestEmpiricalField::largeBatchesUseBothKernels() {
  const PointSet data = makeTwoMoons(500, 0.05, 0);
  const PointSetView view{data.points, data.labels, 2};
  const Process p(ProcessKind::Vp);
  for (double t : {0.02, 0.6}) {
    const double a = p.a(t), s = p.s(t);
    const Points x = particles(data, a, s, 20000);
    EmpiricalFieldStats stats;
    const FieldValues fast = empiricalField(view, x, a, s, {.score = true}, &stats);
    if (t > 0.5) {
      QVERIFY2(stats.expandedParticles > x.rows() / 2, qPrintable(QString::number(stats.expandedParticles)));
    } else {
      QVERIFY2(stats.droppedPairs > x.rows() * data.points.rows() / 2, qPrintable(QString::number(stats.droppedPairs)));
    }
    const Points sample = x.topRows(2000);
    const FieldValues ref = empiricalFieldReference(view, sample, a, s, {.score = true});
    for (Eigen::Index j = 0; j < sample.rows(); ++j) {
      const double scale = (sample.row(j).norm() + a * maxNorm(data.points)) / (s * s);
      QVERIFY((fast.score.row(j) - ref.score.row(j)).norm() <= 1e-12 * scale);
    }
  }
}

// The heat map's log density on a grid (factorised over the axes, with the per-node fallback
// where the shifted sums underflow) against the brute force at every node: a view around the
// data and one reaching |x| = 1e3, VP and VE, t from 1e-4 to 1.
void TestEmpiricalField::gridDensityEqualsBruteForce() {
  for (const char* name : {"two-moons", "three-points", "drawn"}) {
    const PointSet data = namedSet(name);
    const EmpiricalSet target(data.points, data.labels);
    const PointSetView view{target.points(), target.labels(), target.labelCount()};
    for (ProcessKind kind : {ProcessKind::Vp, ProcessKind::Ve}) {
      const Process p(kind);
      for (double t : {1e-4, 1e-2, 0.1, 0.3, 1.0}) {
        for (double half : {4.0, 1000.0}) {
          const Eigen::VectorXd xs = Eigen::VectorXd::LinSpaced(37, -half, 1.1 * half);
          const Eigen::VectorXd ys = Eigen::VectorXd::LinSpaced(23, -0.9 * half, half);
          Points nodes(xs.size() * ys.size(), 2);
          for (Eigen::Index r = 0; r < ys.size(); ++r) {
            for (Eigen::Index c = 0; c < xs.size(); ++c) nodes.row(r * xs.size() + c) << xs(c), ys(r);
          }
          const double a = p.a(t), s = p.s(t);
          const Eigen::VectorXd grid = target.logDensityOnGrid(xs, ys, a, s);
          const Eigen::VectorXd ref = empiricalFieldReference(view, nodes, a, s, {.logDensity = true}).logDensity;
          for (Eigen::Index k = 0; k < nodes.rows(); ++k) {
            QVERIFY2(std::abs(grid(k) - ref(k)) <= 1e-12 * std::max(1.0, std::abs(ref(k))),
                     qPrintable(QStringLiteral("%1 t=%2 node (%3, %4): %5 vs brute force %6")
                                    .arg(name).arg(t).arg(nodes(k, 0)).arg(nodes(k, 1)).arg(grid(k)).arg(ref(k))));
          }
        }
      }
    }
  }
}

// The SSE2 build of the direct kernel (the AVX2 one runs above when the CPU has it): two-moons
// at low and mid noise, every field and score alone, and a single point (N = 1).
void TestEmpiricalField::baselineKernelEqualsBruteForce() {
  useBaselineSoftmaxKernel(true);
  const Process p(ProcessKind::Vp);
  for (const PointSet& data : {makeTwoMoons(500, 0.05, 0), PointSet{Points::Constant(1, 2, 0.3), Labels::Zero(1)}}) {
    const PointSetView view{data.points, data.labels, 2};
    for (double t : {0.01, 0.1, 0.3, 0.6}) {
      const double a = p.a(t), s = p.s(t), s2 = s * s;
      const Points x = particles(data, a, s, 3000);
      for (FieldRequest request : {FieldRequest{.logDensity = true, .score = true, .hessian = true, .classPosterior = true},
                                   FieldRequest{.score = true}}) {
        EmpiricalFieldStats stats;
        const FieldValues fast = empiricalField(view, x, a, s, request, &stats);
        const FieldValues ref = empiricalFieldReference(view, x, a, s, request);
        QVERIFY(stats.directParticles > 0);
        const double spread = a * maxNorm(data.points);
        for (Eigen::Index j = 0; j < x.rows(); ++j) {
          const double scoreScale = (x.row(j).norm() + spread) / s2;
          QVERIFY2((fast.score.row(j) - ref.score.row(j)).norm() <= 1e-12 * scoreScale,
                   qPrintable(QStringLiteral("t=%1 particle %2").arg(t).arg(j)));
          if (request.hessian) {
            QVERIFY(std::abs(fast.logDensity(j) - ref.logDensity(j)) <= 1e-12 * std::max(1.0, std::abs(ref.logDensity(j))));
            QVERIFY((fast.hessian.row(j) - ref.hessian.row(j)).cwiseAbs().maxCoeff() <=
                    1e-12 * (spread * spread / (s2 * s2) + 1.0 / s2));
            QVERIFY((fast.classPosterior.row(j) - ref.classPosterior.row(j)).cwiseAbs().maxCoeff() <= 1e-12);
          }
        }
      }
    }
  }
  useBaselineSoftmaxKernel(false);
}

QTEST_APPLESS_MAIN(TestEmpiricalField)
#include "test_empirical_field.moc"
