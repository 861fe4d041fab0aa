// The viewport's logic without GL: the session applies scene values (a display change re-draws,
// a sampled change re-plans and re-runs on the worker), the run controller drops stale work, and
// the frame builder lays out the panes of each lesson. Runs on the offscreen platform.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <atomic>
#include <sys/stat.h>

#include <QSignalSpy>
#include <cmath>

#include "gui/frame_builder.hpp"
#include "gui/session.hpp"
#include "gui/training_controller.hpp"
#include "gui/viewport_flags.hpp"
#include "io/scene_file.hpp"
#include "io/model_file_io.hpp"
#include "scorescope/presets.hpp"

using namespace scorescope;
using namespace scorescope::gui;

namespace {

Scene lessonScene(Lesson lesson, int particles = 2000) {
  Scene s;
  s.sampled = enterLesson(s.sampled, lesson);
  s.sampled.particles = particles;
  return s;
}

// A network small enough to train a few hundred steps in about a second.
TrainingSettings smallTraining(long long steps) {
  TrainingSettings t;
  t.network.width = 24;
  t.network.depth = 2;
  t.network.timeFeatures = 8;
  t.batch = 128;
  t.steps = steps;
  t.adam.learningRate = 3e-3;
  return t;
}

struct Trainable {
  std::shared_ptr<const Target> target = makePreset("gmm8-ring", 0);
  Process process{ProcessKind::Vp};
  TrainingOrigin origin;
};

double meanOf(const std::vector<float>& v, std::size_t from, std::size_t to) {
  double sum = 0.0;
  for (std::size_t i = from; i < to; ++i) sum += v[i];
  return sum / static_cast<double>(to - from);
}

}  // namespace

class TestSession : public QObject {
  Q_OBJECT
 private slots:
  void theLossCurveStaysBoundedAndKeepsTheMean() {
    LossCurve curve;
    double sum = 0.0;
    for (int i = 0; i < 10000; ++i) {
      curve.add(i % 7);
      sum += i % 7;
    }
    const std::vector<float> means = curve.means();
    QVERIFY(means.size() <= std::size_t(LossCurve::kMaxPoints));
    QVERIFY(means.size() >= std::size_t(LossCurve::kMaxPoints / 2));
    QCOMPARE(curve.steps(), 10000LL);
    // Full buckets of bucketSize() steps and one partial one: their weighted mean is the mean.
    const std::size_t full = static_cast<std::size_t>(10000 / curve.bucketSize());
    double weighted = meanOf(means, 0, full) * static_cast<double>(full * curve.bucketSize());
    if (means.size() > full) weighted += means.back() * static_cast<double>(10000 % curve.bucketSize());
    QVERIFY(std::abs(weighted - sum) < 1e-3 * sum);
  }

  void theTrainingControllerStartsPausesResumesFinishesAndResets() {
    Trainable x;
    TrainingController training;
    QCOMPARE(training.state(), TrainingState::Empty);
    // A budget the small network cannot finish before the pause lands (a few hundred steps can).
    QCOMPARE(training.start(x.target, x.process, smallTraining(3000), x.origin, "gmm8-ring"), std::string());
    QTRY_VERIFY_WITH_TIMEOUT(training.status().steps > 0, 10000);
    training.pause();
    training.waitUntilStopped();
    QCOMPARE(training.state(), TrainingState::Paused);
    const long long paused = training.status().steps;
    QVERIFY(paused < 3000);
    QCOMPARE(training.snapshot()->trainedSteps, paused);  // the pause publishes the model as it is
    QTest::qWait(150);
    QCOMPARE(training.status().steps, paused);  // the step count stops moving
    training.resume();
    QTRY_VERIFY_WITH_TIMEOUT(training.status().steps > paused || training.state() == TrainingState::Finished, 10000);
    training.waitUntilStopped();
    const TrainingStatus done = training.status();
    QCOMPARE(done.state, TrainingState::Finished);
    QCOMPARE(done.steps, 3000LL);  // stops at its step budget
    QCOMPARE(done.snapshot->trainedSteps, 3000LL);
    QCOMPARE(done.errorSteps, 3000LL);  // the finished model's error is measured
    training.reset();
    QCOMPARE(training.state(), TrainingState::Empty);
    QVERIFY(!training.hasModel());
  }

  void badTrainingSettingsAreRefusedWithTheirField() {
    Trainable x;
    TrainingController training;
    TrainingSettings t = smallTraining(100);
    t.batch = 0;
    const std::string error = training.start(x.target, x.process, t, x.origin, "gmm8-ring");
    QVERIFY2(error.find("batch") != std::string::npos, error.c_str());
    QCOMPARE(training.state(), TrainingState::Empty);
  }

  void aShortTrainingPublishesSnapshotsAndAFallingLoss() {
    Trainable x;
    TrainingController training;
    QSignalSpy published(&training, &TrainingController::published);
    // Held, not raw pointers: a replaced snapshot is freed and its address may come back.
    std::vector<std::shared_ptr<const TrainedNetwork>> seen;
    connect(&training, &TrainingController::published, this, [&] {
      if (auto s = training.snapshot(); s && (seen.empty() || seen.back() != s)) seen.push_back(s);
    });
    QCOMPARE(training.start(x.target, x.process, smallTraining(600), x.origin, "gmm8-ring"), std::string());
    // The event loop runs meanwhile: snapshots are queued to this thread as they come.
    QTRY_VERIFY_WITH_TIMEOUT(training.state() == TrainingState::Finished, 30000);
    QTRY_VERIFY(published.count() >= 2);
    const TrainingStatus st = training.status();
    QCOMPARE(st.state, TrainingState::Finished);
    // How many distinct snapshots this thread sees depends on when its event loop runs (two
    // publishes queued back to back show it the same latest one), so: in order, ending finished.
    QTRY_VERIFY(!seen.empty() && seen.back()->trainedSteps == 600);  // the last publish may still be queued
    for (std::size_t i = 1; i < seen.size(); ++i) QVERIFY(seen[i]->trainedSteps >= seen[i - 1]->trainedSteps);
    QVERIFY(st.loss.size() >= 20);
    const double first = meanOf(st.loss, 0, 10), last = meanOf(st.loss, st.loss.size() - 10, st.loss.size());
    QVERIFY2(last < 0.8 * first, qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
    // The curve over t uses weightedScoreError's t grid and streams: its mean is the number.
    QCOMPARE(st.errorCurve.size(), std::size_t(TrainingController::kErrorTimes));
    QVERIFY(std::abs(meanOf(st.errorCurve, 0, st.errorCurve.size()) - st.error) < 1e-3 * std::max(1.0, st.error));
    QVERIFY(st.samplesPerSecond > 0.0);
  }

  void aLearnedSourceRunsTheLearnedModelAndBothDoublesThePanes() {
    Session session;
    Scene s = lessonScene(Lesson::ReverseVsOde, 1500);
    s.sampled.sampler.steps = s.sampled.comparison.steps = 20;
    s.sampled.training = smallTraining(300);
    s.display.playback.playing = false;
    session.setScene(s);
    session.waitForRuns();
    QCOMPARE(session.trainNow(300), std::string());
    QCOMPARE(session.scoreTraining().state(), TrainingState::Finished);
    s = session.scene();
    s.sampled.score = ScoreSource::Learned;
    session.setScene(s);
    session.waitForRuns();
    QVERIFY2(session.status().empty(), session.status().c_str());
    QCOMPARE(session.shown()->runs.size(), std::size_t(2));
    for (const RunResult& r : session.shown()->runs) QCOMPARE(r.run.source, ScoreSource::Learned);
    QCOMPARE(session.shown()->w1.size(), std::size_t(2));
    QVERIFY(std::isfinite(session.shown()->w1[0]) && session.shown()->w1[0] > 0.0);

    s.sampled.score = ScoreSource::Both;
    session.setScene(s);
    session.waitForRuns();
    const RunOutput& both = *session.shown();
    QCOMPARE(both.runs.size(), std::size_t(4));
    QCOMPARE(both.runs[0].run.source, ScoreSource::Exact);
    QCOMPARE(both.runs[3].run.source, ScoreSource::Learned);
    FrameBuilder frames;
    const std::vector<Pane>& panes = frames.build(session, 1000, 700);
    QCOMPARE(panes.size(), std::size_t(4));
    QVERIFY2(panes[0].title.find("(exact)") != std::string::npos, panes[0].title.c_str());
    QVERIFY2(panes[2].title.find("(learned)") != std::string::npos, panes[2].title.c_str());
    QVERIFY2(panes[3].caption.rfind("sliced W1", 0) == 0, panes[3].caption.c_str());
    // Exact runs match the exact target better than a 300-step network.
    QVERIFY2(both.w1[0] < both.w1[2], qPrintable(QString("%1 vs %2").arg(both.w1[0]).arg(both.w1[2])));

    // A reset leaves no model: the learned scene says why instead of running.
    session.scoreTraining().reset();
    QVERIFY2(session.status().find("needs a trained model") != std::string::npos, session.status().c_str());
  }

  void newSnapshotsWaitForTheEndOfTrainingBeforeReSampling() {
    Session session;
    Scene s = lessonScene(Lesson::ReverseVsOde, 1000);
    s.sampled.sampler.steps = s.sampled.comparison.steps = 10;
    s.sampled.training = smallTraining(100);
    session.setScene(s);
    QCOMPARE(session.trainNow(100), std::string());
    s = session.scene();
    s.sampled.score = ScoreSource::Learned;
    session.setScene(s);
    session.waitForRuns();
    const int generation = session.shownGeneration();
    Scene longer = session.scene();
    longer.sampled.training.steps = 1500;
    session.setScene(longer);
    session.waitForRuns();
    QCOMPARE(session.startTraining(), std::string());
    // Snapshots arrive while training: the runs on show stay, flagged as older than the model.
    QTRY_VERIFY_WITH_TIMEOUT(session.learnedRunsStale(), 20000);
    QCOMPARE(session.shownGeneration(), generation);
    QVERIFY(!session.busy());
    session.scoreTraining().pause();
    // The pause re-samples with the paused model.
    QTRY_VERIFY_WITH_TIMEOUT(session.shownGeneration() != generation, 20000);
    QVERIFY(!session.learnedRunsStale());
    session.scoreTraining().reset();
  }

  void lessonTwoWithBothShowsExactAndLearnedPanes() {
    Session session;
    Scene s = lessonScene(Lesson::ScoreField, 500);
    s.sampled.training = smallTraining(50);
    session.setScene(s);
    QCOMPARE(session.trainNow(50), std::string());
    s = session.scene();
    s.sampled.score = ScoreSource::Both;
    session.setScene(s);
    session.waitForRuns();
    FrameBuilder frames;
    const std::vector<Pane>& panes = frames.build(session, 1000, 700);
    QCOMPARE(panes.size(), std::size_t(2));
    QCOMPARE(panes[1].arrowKey.model, session.plan().learned);
    QCOMPARE(panes[0].arrowKey.model, session.plan().exact);
  }

  void lessonSixDrawsTheLearnedFieldOverItsError() {
    Session session;
    Scene s = lessonScene(Lesson::LearnScore, 500);
    s.sampled.training = smallTraining(100);
    session.setScene(s);
    session.waitForRuns();
    QCOMPARE(session.trainNow(100), std::string());
    FrameBuilder frames;
    const std::vector<Pane>& panes = frames.build(session, 1000, 700);
    QCOMPARE(panes.size(), std::size_t(2));
    QCOMPARE(panes[0].arrowKey.model, session.learnedField());
    QCOMPARE(panes[1].arrowKey.model, session.plan().exact);
    QCOMPARE(panes[0].frame.densities.size(), std::size_t(1));
    QVERIFY(panes[0].frame.particles.empty());
    QVERIFY(!panes[1].frame.particles.empty());
    QVERIFY2(panes[0].caption.find("|s_θ − ∇ log pₜ|") != std::string::npos, panes[0].caption.c_str());
    // A new target: the model stays and the session says where it came from.
    s = session.scene();
    s.sampled.target.preset = "two-moons";
    session.setScene(s);
    QVERIFY(session.scoreTraining().hasModel());
    QVERIFY2(session.modelMismatch(session.scoreTraining()).find("another target (gmm8-ring)") != std::string::npos,
             session.modelMismatch(session.scoreTraining()).c_str());
  }

  void theDefaultSceneRunsAndShowsData() {
    Session session;
    session.waitForRuns();
    QVERIFY(session.shown());
    QCOMPARE(session.shown()->forward.x0.rows(), Eigen::Index(Scene{}.sampled.particles));
    QVERIFY(session.status().empty());
  }

  void forwardDataIsSampledOnTheWorkerNotInSetScene() {
    Session session;
    session.waitForRuns();
    Scene s = session.scene();
    s.sampled.particles = 2'000'000;  // ~0.3 s of sampling: setScene must not wait for it
    QElapsedTimer clock;
    clock.start();
    session.setScene(s);
    const qint64 ms = clock.elapsed();
    QVERIFY(session.busy());
    QVERIFY(session.shown()->scene.particles != 2'000'000);  // still the old data
    session.waitForRuns();
    QCOMPARE(session.shown()->scene.particles, 2'000'000);
    qInfo("setScene returned after %lld ms", ms);
  }

  void aDisplayChangeNeitherReplansNorReruns() {
    Session session;
    session.setScene(lessonScene(Lesson::Guidance));
    session.waitForRuns();
    const int generation = session.shownGeneration();
    const std::shared_ptr<const Target> target = session.plan().target;
    Scene s = session.scene();
    s.display.cfgShowsGamma = true;  // the notation of w, not w
    s.display.arrowGrid = 48;
    s.display.camera.halfExtent = 2.0;
    session.setScene(s);
    QVERIFY(!session.busy());
    session.waitForRuns();
    QCOMPARE(session.shownGeneration(), generation);
    QCOMPARE(session.plan().target, target);
    QCOMPARE(session.scene().sampled.guidance.scale, 3.0);
    QCOMPARE(session.scene().display.arrowGrid, 48);
  }

  void anInvalidDisplayIsRefusedWithItsField() {
    Session session;
    Scene s = session.scene();
    s.display.camera.halfExtent = 0.0;
    session.setScene(s);
    QCOMPARE(session.scene().display.camera.halfExtent, Camera{}.halfExtent);
    QVERIFY2(session.status().rfind("display.camera.halfExtent: expected a number in [0.05, 500]", 0) == 0,
             session.status().c_str());
  }

  void anInvalidSampledSceneDropsRunsAndNamesTheField() {
    Session session;
    Scene s = lessonScene(Lesson::ReverseVsOde);
    session.setScene(s);
    session.waitForRuns();
    QCOMPARE(session.shown()->runs.size(), std::size_t(2));
    s.sampled.sampler.steps = 0;
    session.setScene(s);
    QVERIFY(!session.shown());
    QCOMPARE(session.timeline().lastStep(), 0);
    QVERIFY2(session.status().rfind("sampler.steps: expected an integer in [1, 100000], got 0", 0) == 0,
             session.status().c_str());
    QCOMPARE(session.scene().sampled.sampler.steps, 0);  // kept, so the panel shows what is wrong
    s.sampled.sampler.steps = 20;
    session.setScene(s);
    session.waitForRuns();
    QVERIFY(session.status().empty());
    QCOMPARE(session.shown()->runs.size(), std::size_t(2));
  }

  void aNewParameterCancelsTheRunningJob() {
    Session session;
    Scene s = lessonScene(Lesson::ReverseVsOde, 200000);
    s.sampled.sampler.steps = s.sampled.comparison.steps = 1000;  // seconds of work
    session.setScene(s);
    QTest::qWait(50);
    QVERIFY(session.busy());
    s.sampled.sampler.steps = s.sampled.comparison.steps = 10;
    s.sampled.particles = 1000;
    QElapsedTimer clock;
    clock.start();
    session.setScene(s);
    session.waitForRuns();
    // The cancelled job stops at its next step; it does not run its 1000 steps to the end.
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString("waited %1 ms").arg(clock.elapsed())));
    QCOMPARE(session.shown()->scene.particles, 1000);
  }

  void aStaleQueuedJobNeverStarts() {
    RunController runs;
    std::atomic<bool> release{false};
    std::atomic<int> started{0}, staleRan{0}, newestRan{0};
    auto blocking = [&](const JobControl& control) {
      ++started;
      for (int ms = 0; !release && ms < 10000; ++ms) QThread::msleep(1);
      control.setProgress(0.9);  // stale by now: must not show
      return RunOutput{};
    };
    // Both pool threads busy (each start makes the previous job stale, so wait until it runs).
    for (int k = 1; k <= 2; ++k) {
      runs.start(blocking);
      QTRY_COMPARE_WITH_TIMEOUT(started.load(), k, 5000);
    }
    runs.start([&](const JobControl&) {
      ++staleRan;
      return RunOutput{};
    });  // queued
    runs.start([&](const JobControl& control) {
      ++newestRan;
      control.setProgress(0.25);
      return RunOutput{};
    });  // makes the queued one stale before it starts
    release = true;
    runs.waitForIdle();
    QCOMPARE(staleRan.load(), 0);
    QCOMPARE(newestRan.load(), 1);
    QCOMPARE(runs.progress(), 0.25);
  }

  void aClassWithNoDataIsReported() {
    Session session;
    Scene s = lessonScene(Lesson::Guidance);
    s.sampled.target.source = TargetSource::PointCloud;
    s.sampled.target.points = {{-1.0, 0.0}, {1.0, 0.0}};
    s.sampled.target.labels = {0, 2};
    s.sampled.guidance.label = 1;
    session.setScene(s);
    QCOMPARE(QString::fromStdString(session.status()), QString("class: class 1 has no data in this target"));
    QVERIFY(!session.shown());
    s.sampled.guidance.label = 2;
    session.setScene(s);
    session.waitForRuns();
    QCOMPARE(session.shown()->runs.size(), std::size_t(1));
  }

  void aNewTargetWithFewerClassesGuidesTowardsItsLastClass() {
    Session session;
    Scene s = lessonScene(Lesson::Guidance);
    s.sampled.guidance.label = 7;
    session.setScene(s);
    QCOMPARE(session.scene().sampled.guidance.label, 7);
    s.sampled.target.preset = "two-moons";
    session.setScene(s);
    QCOMPARE(session.scene().sampled.guidance.label, 1);
    session.waitForRuns();
    QVERIFY(session.status().empty());
  }

  void paneTitlesComeFromTheRunsOnShow() {
    Session session;
    Scene s = lessonScene(Lesson::Guidance);
    s.sampled.sampler.steps = 10;
    session.setScene(s);
    session.waitForRuns();
    FrameBuilder frames;
    QCOMPARE(frames.build(session, 800, 600).front().title, std::string("CFG  w = 3  (γ = 1 + w = 4)  class 0"));
    s.display.cfgShowsGamma = true;
    session.setScene(s);
    QCOMPARE(frames.build(session, 800, 600).front().title, std::string("CFG  γ = 4  (w = γ − 1 = 3)  class 0"));
    // While a new guidance scale samples, the pane keeps its run's title and field.
    const std::vector<render::ArrowInstance> before = frames.panes().front().arrows;
    s.sampled.guidance.scale = 7.0;
    s.sampled.particles = 400000;
    session.setScene(s);
    const Pane& during = frames.build(session, 800, 600).front();
    QVERIFY(session.busy());
    QVERIFY2(during.title.find("γ = 4") != std::string::npos, during.title.c_str());
    QVERIFY(during.arrows.size() == before.size() &&
            std::equal(before.begin(), before.end(), during.arrows.begin(), [](auto& a, auto& b) {
              return a.dx == b.dx && a.dy == b.dy;
            }));
    session.waitForRuns();
    QVERIFY(frames.build(session, 800, 600).front().title.find("γ = 8") != std::string::npos);
    s.sampled.guidance.sweep = {0.0, 1.0, 3.0, 7.0};
    s.sampled.particles = 2000;
    session.setScene(s);
    QCOMPARE(frames.build(session, 800, 600).front().title, std::string("sampling..."));
    session.waitForRuns();
    QCOMPARE(frames.build(session, 800, 600).size(), std::size_t(4));
  }

  void theGuidanceLessonDrawsTheGuidedDensityWithOneArrowScale() {
    Session session;
    Scene s = lessonScene(Lesson::Guidance, 500);
    s.sampled.sampler.steps = 10;
    s.sampled.guidance.label = 2;
    s.sampled.guidance.sweep = {0.0, 1.0, 3.0, 7.0};
    session.setScene(s);
    session.waitForRuns();
    session.timeline().scrubTo(1.0);  // the last step: t at the noise floor, where the tilt shows
    FrameBuilder frames;
    const std::vector<Pane>& panes = frames.build(session, 1200, 800);
    QCOMPARE(panes.size(), std::size_t(4));
    // gamma = 0 is p_t itself; gamma = 7 piles the mass onto class 2: the pictures differ.
    QVERIFY2(panes[0].caption.find("pₜ(y|x)^γ at γ = 0,") != std::string::npos, panes[0].caption.c_str());
    QVERIFY2(panes[3].caption.find("pₜ(y|x)^γ at γ = 7,") != std::string::npos, panes[3].caption.c_str());
    QVERIFY(panes[0].density.size() == panes[3].density.size());
    double difference = 0.0;
    for (std::size_t i = 0; i < panes[0].density.size(); ++i) {
      difference = std::max(difference, double(std::abs(panes[0].density[i] - panes[3].density[i])));
    }
    QVERIFY2(difference > 0.3, qPrintable(QString::number(difference)));
    // One colour scale for the four panes: the largest arrow anywhere is 1, and the panes with
    // weaker fields stay below 1 instead of each being scaled to its own maximum.
    std::vector<float> largest;
    for (const Pane& p : panes) {
      QVERIFY(!p.arrows.empty());
      float m = 0.0f;
      for (const render::ArrowInstance& a : p.arrows) m = std::max(m, a.value);
      largest.push_back(m);
    }
    QCOMPARE(*std::max_element(largest.begin(), largest.end()), 1.0f);
    QVERIFY2(*std::min_element(largest.begin(), largest.end()) < 0.9f,
             qPrintable(QStringLiteral("%1 %2 %3 %4").arg(largest[0]).arg(largest[1]).arg(largest[2]).arg(largest[3])));
  }

  void theTiltedLawViewShowsQ0AndTheGap() {
    Session session;
    Scene s = lessonScene(Lesson::Guidance, 1000);
    s.sampled.sampler.steps = 20;
    s.sampled.guidance.kind = GuidanceKind::Classifier;
    s.sampled.guidance.scale = 3.0;
    s.display.tiltedLaw = true;
    session.setScene(s);
    session.waitForRuns();
    session.timeline().scrubTo(1.0);
    FrameBuilder frames;
    const Pane& pane = frames.build(session, 800, 600).front();
    QVERIFY2(pane.caption.find("tilted law q₀") != std::string::npos, pane.caption.c_str());
    QVERIFY2(pane.caption.find("sliced W1 guided samples to q₀") != std::string::npos, pane.caption.c_str());
    QVERIFY(!pane.arrows.empty());  // grad log Z_t is not zero at gamma = 3
    QVERIFY2(pane.legend.text().find("arrow: ∇ log Zₜ direction") != std::string::npos, pane.legend.text().c_str());
    QVERIFY(!pane.density.empty() && *std::max_element(pane.density.begin(), pane.density.end()) > 0.99f);
  }

  void theLikelihoodMapIsComputedOffTheGuiThreadAndIsNotUniform() {
    Session session;
    Scene s = lessonScene(Lesson::ReverseVsOde, 300);
    s.sampled.sampler.steps = s.sampled.comparison.steps = 10;
    s.display.likelihoodMap = true;
    session.setScene(s);
    session.waitForRuns();
    FrameBuilder frames;
    QElapsedTimer clock;
    clock.start();
    const Pane& first = frames.build(session, 800, 600).front();
    QVERIFY2(clock.elapsed() < 200, "the frame waited for the likelihood map");
    QVERIFY2(first.caption.find("computing") != std::string::npos, first.caption.c_str());
    session.waitForRuns();
    const std::vector<Pane>& panes = frames.build(session, 800, 600);
    QVERIFY2(panes.front().caption.find("PF-ODE log-likelihood") != std::string::npos, panes.front().caption.c_str());
    QCOMPARE(panes.front().frame.densities.size(), std::size_t(1));
    const std::vector<float>& map = panes.front().density;
    const auto [lo, hi] = std::minmax_element(map.begin(), map.end());
    QCOMPARE(*lo, 0.0f);
    QCOMPARE(*hi, 1.0f);
    QVERIFY2(meanOf(map, 0, map.size()) > 0.05 && meanOf(map, 0, map.size()) < 0.95, "the map is not uniform");
  }

  void theViewportAndTheCommandLineRunTheSameScene() {
    // One run path: the guidance lesson's run and `scorescope sample` with the same settings
    // give bit-identical particles (the CLI writes 17 significant digits).
    Session session;
    Scene s = lessonScene(Lesson::Guidance, 300);
    s.sampled.sampler = defaultSamplerSettings(SamplerKind::Ddim);
    s.sampled.sampler.steps = 20;
    s.sampled.guidance = {GuidanceKind::ClassifierFree, 2, 3.0, {}};
    s.sampled.seed = 11;
    session.setScene(s);
    session.waitForRuns();
    QVERIFY(session.shown());
    const Points& gui = session.shown()->runs.front().trajectory.final;
    QTemporaryDir dir;
    const QString out = dir.filePath("cli.csv");
    QProcess cli;
    cli.start(SCORESCOPE_BINARY, {"sample", "--target", "gmm8-ring", "--process", "vp", "--sampler", "ddim",
                                  "--steps", "20", "--n", "300", "--seed", "11", "--class", "2", "--guidance",
                                  "cfg", "--scale", "3", "--out", out});
    QVERIFY(cli.waitForFinished(60000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 301);
    for (int i = 0; i < 300; ++i) {
      const QList<QByteArray> f = lines[i + 1].split(',');
      QCOMPARE(f[0].toDouble(), gui(i, 0));
      QCOMPARE(f[1].toDouble(), gui(i, 1));
    }
  }

  void badViewportFlagsGetOneLineAndExitCode2_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("lesson") << QStringList{"--lesson", "9"} << "--lesson: expected an integer in [1, 6], got '9'";
    QTest::newRow("score") << QStringList{"--score", "learnt"} << "--score: unknown 'learnt'; expected one of exact, learned, both";
    QTest::newRow("score in lesson 6") << QStringList{"--lesson", "6", "--score", "both"} << "--score: applies to lesson 2, 3, 4, 5 only";
    QTest::newRow("learned without a model") << QStringList{"--score", "learned"} << "--score: 'learned' needs a trained model";
    QTest::newRow("model missing") << QStringList{"--model", "/nonexistent/m.model"} << "--model: /nonexistent/m.model";
    QTest::newRow("model not a model") << QStringList{"--model", "NOTMODEL"} << "--model: NOTMODEL: not a Scorescope model file";
    QTest::newRow("train steps") << QStringList{"--train-steps", "0"} << "--train-steps: expected an integer in [1, 10000000], got '0'";
    QTest::newRow("particles") << QStringList{"--particles", "1e9"} << "--particles: expected an integer in [1, 10000000]";
    QTest::newRow("scale") << QStringList{"--lesson", "5", "--scale", "nan"} << "--scale: expected a number in [-1, 100], got 'nan'";
    QTest::newRow("class") << QStringList{"--lesson", "5", "--class", "9"} << "--class: expected a class of the target in [0, 7], got 9";
    QTest::newRow("sampler") << QStringList{"--lesson", "5", "--sampler", "ode-hune"} << "--sampler: unknown 'ode-hune'; expected one of ddpm,";
    QTest::newRow("target") << QStringList{"--target", QString(500, 'x')} << "--target: unknown '" + QString(60, 'x') + "...'";
    QTest::newRow("scale out of range") << QStringList{"--lesson", "5", "--scale", "inf"} << "--scale: expected a number in [-1, 100], got 'inf'";
    QTest::newRow("unknown option") << QStringList{"--widget-viewport"} << "Unknown option 'widget-viewport'.";
    QTest::newRow("given twice") << QStringList{"--lesson", "2", "--lesson", "3"} << "--lesson: given more than once";
    QTest::newRow("sweep outside lesson 5") << QStringList{"--sweep"} << "--sweep: applies to lesson 5 only (this is lesson 2)";
    QTest::newRow("sampler unfit for the lesson") << QStringList{"--lesson", "4", "--sampler", "langevin"} << "--sampler: langevin does not fit lesson 4";
    QTest::newRow("position without screenshot") << QStringList{"--position", "0.5"} << "--position: applies to --screenshot only";
    QTest::newRow("screenshot not png") << QStringList{"--screenshot", "/tmp/x.txt"} << "--screenshot: expected a file name ending in .png";
    QTest::newRow("size") << QStringList{"--size", "10x10"} << "--size: expected WxH with W in [640, 8192]";
    QTest::newRow("ui scale too large") << QStringList{"--ui-scale", "4"} << "--ui-scale: expected a number in [1, 3], got '4'";
    QTest::newRow("ui scale not a number") << QStringList{"--ui-scale", "big"} << "--ui-scale: expected a number in [1, 3], got 'big'";
    QTest::newRow("screenshot onto a fifo") << QStringList{"--screenshot", "FIFO"} << "--screenshot: FIFO: is not a regular file";
    QTest::newRow("compare processes outside 1-2") << QStringList{"--lesson", "3", "--compare-processes"} << "--compare-processes: applies to lesson 1, 2 only (this is lesson 3)";
    QTest::newRow("eta sweep outside lesson 4") << QStringList{"--eta-sweep", "0,1"} << "--eta-sweep: applies to lesson 4 only (this is lesson 2)";
    QTest::newRow("eta out of range") << QStringList{"--lesson", "4", "--eta-sweep", "0,2"} << "--eta-sweep: expected up to 9 comma-separated numbers in [0, 1], got '0,2'";
    QTest::newRow("round trip with sweep") << QStringList{"--lesson", "4", "--eta-sweep", "0", "--round-trip"} << "--round-trip: does not go with --eta-sweep";
    QTest::newRow("mode weights count") << QStringList{"--lesson", "3", "--mode-weights", "0.8,0.2"} << "--mode-weights: expected 8 weights (one per mode), got 2";
    QTest::newRow("mode weights on points") << QStringList{"--lesson", "3", "--target", "two-moons", "--mode-weights", "1"} << "--mode-weights: applies to a mixture target";
    QTest::newRow("screenshot into a missing folder") << QStringList{"--screenshot", "/nonexistent/x.png"} << "--screenshot: /nonexistent/x.png: the directory";
    QTest::newRow("bad scene file") << QStringList{"BADSCENE"} << "BADSCENE: sampled.particles: expected an integer in [1, 10000000], got 0";
    QTest::newRow("lecture with a bad slide") << QStringList{"BADLECTURE"} << "BADLECTURE: scenes[0]: BADSCENE: sampled.particles: expected";
    QTest::newRow("missing scene file") << QStringList{"/nonexistent/s.json"} << "/nonexistent/s.json:";
    QTest::newRow("two scene files") << QStringList{"BADSCENE", "BADSCENE"} << "unexpected argument 'BADSCENE' after the scene file";
    QTest::newRow("not a scene file") << QStringList{"--lesson", "2", "lesson2"} << "unexpected argument 'lesson2' (a scene or lecture .json file";
    QTest::newRow("missing mixture file") << QStringList{"--target", "/nonexistent/m.json"} << "--target: /nonexistent/m.json";
  }
  void badViewportFlagsGetOneLineAndExitCode2() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    // A fifo stands in for a device node (never /dev/null itself: a bug would replace it).
    QTemporaryDir dir;
    const QString fifo = dir.filePath("frame.png");
    QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
    args.replaceInStrings("FIFO", fifo);
    message.replace("FIFO", fifo);
    const QString notModel = dir.filePath("points.model");
    QFile junk(notModel);
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("x,y\n1,2\n");
    junk.close();
    args.replaceInStrings("NOTMODEL", notModel);
    message.replace("NOTMODEL", notModel);
    const QString badScene = dir.filePath("bad.json"), badLecture = dir.filePath("lecture.json");
    QFile scene(badScene), lecture(badLecture);
    QVERIFY(scene.open(QIODevice::WriteOnly) && lecture.open(QIODevice::WriteOnly));
    scene.write("{\"sampled\": {\"particles\": 0}}");
    lecture.write("{\"format\": \"scorescope-lecture\", \"scenes\": [{\"file\": \"bad.json\"}]}");
    scene.close();
    lecture.close();
    args.replaceInStrings("BADSCENE", badScene).replaceInStrings("BADLECTURE", badLecture);
    message.replace("BADSCENE", badScene).replace("BADLECTURE", badLecture);
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    app.setProcessEnvironment(env);
    app.start(SCORESCOPE_BINARY, args);
    QVERIFY(app.waitForFinished(30000));
    QCOMPARE(app.exitCode(), 2);
    QStringList lines;
    for (const QString& line : QString::fromUtf8(app.readAllStandardError()).split('\n', Qt::SkipEmptyParts)) {
      if (!line.startsWith("QStandardPaths")) lines << line;  // Qt's own note about XDG_RUNTIME_DIR
    }
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines[0].startsWith("scorescope: " + message), qPrintable(lines[0]));
  }

  void theUiScaleMultipliesPointSizesAndLineWidths() {
    // What is drawn is the scene's size times the UI scale; the scene keeps its own value.
    Session session;
    Scene scene = lessonScene(Lesson::Langevin, 500);
    scene.display.pointSize = 3.0f;
    session.setScene(scene);
    session.waitForRuns();
    session.timeline().scrubTo(0.5);
    FrameBuilder frames;
    const render::FrameData one = frames.build(session, 800, 600).front().frame;
    frames.setUiScale(2.5f);
    const render::FrameData big = frames.build(session, 800, 600).front().frame;
    QCOMPARE(one.particles.size(), std::size_t(1));
    QCOMPARE(big.particles.size(), std::size_t(1));
    QCOMPARE(one.particles[0].pointSizePx, 3.0f);
    QCOMPARE(big.particles[0].pointSizePx, 7.5f);
    QCOMPARE(session.scene().display.pointSize, 3.0f);
    QVERIFY(!one.underlays.empty() && !one.lines.empty());
    QCOMPARE(big.underlays.size(), one.underlays.size());
    QCOMPARE(big.lines.size(), one.lines.size());
    for (std::size_t i = 0; i < one.underlays.size(); ++i) QCOMPARE(big.underlays[i].widthPx, 2.5f * one.underlays[i].widthPx);
    for (std::size_t i = 0; i < one.lines.size(); ++i) QCOMPARE(big.lines[i].widthPx, 2.5f * one.lines[i].widthPx);
  }

  void arrowsCoverEveryPaneEdgeToEdgeWithSquareCells() {
    auto check = [](const Pane& pane, int along) {
      const render::WorldRect v = pane.view.visibleRect();
      const ArrowKey& k = pane.arrowKey;
      QCOMPARE(std::max(k.columns, k.rows), along);
      const double cw = k.rect.width() / k.columns, ch = k.rect.height() / k.rows;
      QVERIFY2(std::abs(cw - ch) < 1e-9 * cw, "arrow cells are square");
      // The arrows' centres reach every edge of the visible rect to within one cell.
      double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
      for (const render::ArrowInstance& a : pane.arrows) {
        x0 = std::min(x0, a.x + 0.5 * a.dx), x1 = std::max(x1, a.x + 0.5 * a.dx);
        y0 = std::min(y0, a.y + 0.5 * a.dy), y1 = std::max(y1, a.y + 0.5 * a.dy);
      }
      QVERIFY2(x0 - v.xMin < cw && v.xMax - x1 < cw && y0 - v.yMin < cw && v.yMax - y1 < cw,
               qPrintable(QString("arrows span [%1, %2] x [%3, %4] of [%5, %6] x [%7, %8]")
                              .arg(x0).arg(x1).arg(y0).arg(y1).arg(v.xMin).arg(v.xMax).arg(v.yMin).arg(v.yMax)));
    };
    Session session;
    Scene s = lessonScene(Lesson::ScoreField, 500);
    s.display.arrowGrid = 24;
    session.setScene(s);
    session.waitForRuns();
    FrameBuilder frames;
    const Pane& wide = frames.build(session, 1600, 820).front();
    QVERIFY(wide.view.visibleRect().width() > 1.5 * wide.view.visibleRect().height());
    check(wide, 24);
    // The guidance sweep's 2 x 2 panes, each with its own view.
    s = lessonScene(Lesson::Guidance, 300);
    s.sampled.sampler.steps = 10;
    s.sampled.guidance.sweep = {0.0, 1.0, 3.0, 7.0};
    session.setScene(s);
    session.waitForRuns();
    const std::vector<Pane>& panes = frames.build(session, 1600, 820);
    QCOMPARE(panes.size(), std::size_t(4));
    for (const Pane& p : panes) check(p, s.display.arrowGrid);
  }

  void autoFitFramesTheNoisedDataOfVeAtTimeOne() {
    Session session;
    Scene s = lessonScene(Lesson::ForwardNoising, 4000);
    s.sampled.process = ProcessKind::Ve;
    session.setScene(s);
    session.waitForRuns();
    auto insideFraction = [&](bool autoFit, double t) {
      Scene d = session.scene();
      d.display.autoFit = autoFit;
      session.setScene(d);
      session.timeline().scrubTo(t);
      FrameBuilder frames;
      const Pane& pane = frames.build(session, 1200, 700).front();
      const render::WorldRect v = pane.view.visibleRect();
      int inside = 0;
      for (Eigen::Index i = 0; i < pane.forward.rows(); ++i) {
        const double x = pane.forward(i, 0), y = pane.forward(i, 1);
        inside += x >= v.xMin && x <= v.xMax && y >= v.yMin && y <= v.yMax;
      }
      return static_cast<double>(inside) / static_cast<double>(pane.forward.rows());
    };
    const double fitted = insideFraction(true, 1.0), fixed = insideFraction(false, 1.0);
    // x_t ~ x0 + s(1) eps (s(1) = 10 here): a band of +-2.5 s holds ~99% of it in y; the fixed
    // +-4.4 view about a tenth.
    QVERIFY2(fitted > 0.97, qPrintable(QString("auto-fit shows %1 of x_t at t = 1").arg(fitted)));
    QVERIFY2(fixed < 0.25, qPrintable(QString("the fixed camera shows %1 of x_t at t = 1").arg(fixed)));
    // At t = 0 auto-fit is the camera itself.
    FrameBuilder frames;
    Scene d = session.scene();
    d.display.autoFit = true;
    session.setScene(d);
    session.timeline().scrubTo(0.0);
    const render::WorldRect v = frames.build(session, 1200, 700).front().view.visibleRect();
    const double h = std::min(v.width(), v.height());
    QVERIFY2(std::abs(h - 2.0 * d.display.camera.halfExtent) < 1e-3, qPrintable(QString("shorter side %1").arg(h)));
  }

  // VP beside VE at t = 1: each pane follows its own process, so the VE pane (s = 10) grows and
  // the VP pane (s = 1) keeps the camera's frame.
  void autoFitFollowsEachPanesProcess() {
    Session session;
    Scene s = lessonScene(Lesson::ForwardNoising, 2000);
    s.sampled.compareProcesses = true;
    s.display.autoFit = true;
    session.setScene(s);
    session.waitForRuns();
    session.timeline().scrubTo(1.0);
    FrameBuilder frames;
    const std::vector<Pane>& panes = frames.build(session, 1200, 600);
    QCOMPARE(panes.size(), std::size_t(2));
    const double vp = panes[0].view.visibleRect().height(), ve = panes[1].view.visibleRect().height();
    QVERIFY2(ve > 3.0 * vp, qPrintable(QString("VP pane %1 high, VE pane %2").arg(vp).arg(ve)));
  }

  void annealedLangevinJumpsDoNotCrossThePane() {
    Session session;
    Scene s = lessonScene(Lesson::Langevin, 500);
    s.sampled.process = ProcessKind::Ve;  // levels from s = 10: first steps of several units
    s.sampled.sampler = defaultSamplerSettings(SamplerKind::AnnealedLangevin);
    s.sampled.sampler.stepsPerLevel = 5;
    s.sampled.sampler.steps = 10 * 5;
    s.display.layers.paths = true;
    s.display.trailLength = 60;
    session.setScene(s);
    session.waitForRuns();
    session.timeline().scrubTo(1.0);
    FrameBuilder frames;
    const Pane& pane = frames.build(session, 1000, 700).front();
    const render::WorldRect v = pane.view.visibleRect();
    const double side = std::min(v.width(), v.height());
    // The recorded paths do jump farther than the pane in the first levels...
    double longest = 0.0;
    for (const Points& path : session.shown()->runs.front().trajectory.paths) {
      for (Eigen::Index k = 0; k + 1 < path.rows(); ++k) longest = std::max(longest, (path.row(k + 1) - path.row(k)).norm());
    }
    QVERIFY2(longest > kJumpBreak * side, qPrintable(QString("longest step %1, pane side %2").arg(longest).arg(side)));
    // ...but no drawn segment does.
    QVERIFY(!pane.paths.empty() && !pane.trails.empty());
    for (const auto* segments : {&pane.paths, &pane.trails}) {
      for (const render::Segment& g : *segments) QVERIFY(std::hypot(g.x1 - g.x0, g.y1 - g.y0) < kJumpBreak * side);
    }
  }

  void theLegendNamesClassesAndTheArrowScale() {
    Session session;
    Scene s = lessonScene(Lesson::Guidance, 300);
    s.sampled.sampler.steps = 10;
    s.sampled.guidance.label = 2;
    session.setScene(s);
    session.waitForRuns();
    FrameBuilder frames;
    const Pane& pane = frames.build(session, 1000, 700).front();
    const std::string text = pane.legend.text();
    QVERIFY2(text.find("0 1 2 3 4 5 6 7 class") != std::string::npos, text.c_str());
    QVERIFY2(text.find("2 guided towards this class") != std::string::npos, text.c_str());
    QVERIFY2(text.find("score direction") != std::string::npos, text.c_str());
    // The arrow scale's top is the largest |score| on the grid.
    double top = 0.0;
    for (const render::ArrowInstance& a : pane.arrows) top = std::max(top, double(a.value));
    QCOMPARE(top, 1.0);
    char expected[64];
    std::snprintf(expected, sizeof expected, "|score| 0 .. %.3g", pane.arrowMaxScore);
    QVERIFY2(text.find(expected) != std::string::npos, text.c_str());
    QVERIFY(pane.arrowMaxScore > 0.0);
    // A sampler run's timeline: the initial noise, the steps, the denoise.
    QCOMPARE(session.timeline().samplerSteps(), 10);
    QCOMPARE(session.timeline().stepLabel(session.timeline().lastStep()), std::string("step 10 / 10 + denoise"));
    // Full paths are off by default.
    QVERIFY(!Scene{}.display.layers.paths);
  }

  void comparedProcessesNoiseTheSameDataWithTheSameEps() {
    Session session;
    Scene s = lessonScene(Lesson::ForwardNoising, 500);
    s.sampled.compareProcesses = true;
    session.setScene(s);
    session.waitForRuns();
    session.timeline().scrubTo(0.3);
    FrameBuilder frames;
    const std::vector<Pane>& panes = frames.build(session, 1200, 600);
    const Process vp(ProcessKind::Vp), ve(ProcessKind::Ve);
    QCOMPARE(panes.size(), std::size_t(2));
    char vpTitle[64], veTitle[64];
    std::snprintf(vpTitle, sizeof vpTitle, "VP (αₜ = %.2f, σₜ = %.2f)", vp.a(0.3), vp.s(0.3));
    std::snprintf(veTitle, sizeof veTitle, "VE (αₜ = 1.00, σₜ = %.2f)", ve.s(0.3));
    QCOMPARE(panes[0].title, std::string(vpTitle));
    QCOMPARE(panes[1].title, std::string(veTitle));
    const ForwardData& data = session.shown()->forward;
    for (std::size_t p = 0; p < 2; ++p) {
      const Process& process = p == 0 ? vp : ve;
      QCOMPARE(panes[p].frame.particles.size(), std::size_t(1));
      QCOMPARE(panes[p].frame.densities.size(), std::size_t(1));
      QCOMPARE(panes[p].densityKey.process, process.kind());
      QCOMPARE(panes[p].arrowKey.model->process().kind(), process.kind());  // each pane's own exact score
      for (Eigen::Index i : {0, 499}) {
        QCOMPARE(panes[p].frame.particles[0].ys[i], process.a(0.3) * data.x0(i, 1) + process.s(0.3) * data.eps(i, 1));
      }
    }
    // Lesson 2 on VE compares with VP.
    s.sampled = enterLesson(s.sampled, Lesson::ScoreField);
    s.sampled.process = ProcessKind::Ve;
    session.setScene(s);
    session.waitForRuns();
    QVERIFY(frames.build(session, 1200, 600)[1].title.rfind("VP (αₜ = ", 0) == 0);
  }

  void lessonThreeComparesPlainWithAnnealedModeByMode() {
    Session session;
    Scene s = lessonScene(Lesson::Langevin, 1000);
    s.sampled.compareSamplers = true;
    s.sampled.comparison = defaultSamplerSettings(SamplerKind::AnnealedLangevin);
    s.sampled.comparison.stepsPerLevel = 5;
    s.sampled.comparison.steps = 100;
    s.sampled.sampler.steps = 100;
    session.setScene(s);
    session.waitForRuns();
    FrameBuilder frames;
    const std::vector<Pane>& panes = frames.build(session, 1200, 600);
    QCOMPARE(panes.size(), std::size_t(2));
    QCOMPARE(panes[0].title, std::string("Langevin at a fixed noise level"));
    QCOMPARE(panes[1].title, std::string("Annealed Langevin (NCSN)"));
    for (const Pane& pane : panes) {
      QCOMPARE(pane.modeFractions.size(), std::size_t(8));
      QCOMPARE(pane.modeWeights, std::vector<double>(8, 0.125));
      double total = 0.0;
      for (double f : pane.modeFractions) total += f;
      QVERIFY(std::abs(total - 1.0) < 1e-12);
    }
    // The same initial noise in both panes (plain from N(0, I), annealed from the VP prior).
    const RunOutput* out = session.shown();
    const double prior = session.plan().process.s(1.0);
    QCOMPARE(out->runs[1].trajectory.snapshots.front(), Points(prior * out->runs[0].trajectory.snapshots.front()));
    // No mixture, no chart.
    s.sampled.target.preset = "two-moons";
    session.setScene(s);
    session.waitForRuns();
    QVERIFY(frames.build(session, 1200, 600)[0].modeFractions.empty());
  }

  void lessonFourShowsTheEtaSweepAndTheRoundTrip() {
    Session session;
    Scene s = lessonScene(Lesson::ReverseVsOde, 500);
    s.sampled.sampler.steps = 20;
    s.sampled.etaSweep = {0.0, 0.5, 1.0};
    session.setScene(s);
    session.waitForRuns();
    FrameBuilder frames;
    std::vector<Pane>* panes = &frames.build(session, 1200, 600);
    QCOMPARE(panes->size(), std::size_t(3));
    QCOMPARE((*panes)[0].title, std::string("DDIM η = 0"));
    QCOMPARE((*panes)[1].title, std::string("DDIM η = 0.5"));
    QCOMPARE((*panes)[2].title, std::string("DDIM η = 1"));
    s.sampled.etaSweep.clear();
    s.sampled.ddimRoundTrip = true;
    session.setScene(s);
    session.waitForRuns();
    session.timeline().scrubTo(0.25);
    panes = &frames.build(session, 1200, 600);
    QCOMPARE(panes->size(), std::size_t(1));
    QCOMPARE(panes->front().title, std::string("DDIM round trip: encoding  x₀ → noise  (η = 0)"));
    QVERIFY2(panes->front().caption.rfind("mean |x₀ − decode(encode(x₀))| = ", 0) == 0, panes->front().caption.c_str());
    QVERIFY(session.displayTime() > 0.2 && session.displayTime() < 0.8);  // t rises while encoding
    session.timeline().scrubTo(0.9);
    QCOMPARE(frames.build(session, 1200, 600).front().title, std::string("DDIM round trip: decoding  noise → x₀  (η = 0)"));
    session.timeline().scrubTo(1.0);
    frames.build(session, 1200, 600);
    QVERIFY(session.displayTime() < 0.01);  // back at the data
  }

  void aSceneFileIsTheSceneTheFlagsChange() {
    QTemporaryDir dir;
    Scene file;
    file.sampled = enterLesson(file.sampled, Lesson::ReverseVsOde);  // lesson 4 runs the reverse SDE
    file.sampled.particles = 777;
    file.display.camera.halfExtent = 2.5;
    const QString path = dir.filePath("scene.json");
    QCOMPARE(io::writeSceneFile(path, file, "Mine"), QString());
    QString error;
    std::optional<ViewportFlags> flags = parseViewportFlags({"scorescope", path, "--seed", "5"}, error);
    QVERIFY2(flags, qPrintable(error));
    QVERIFY(flags->fileScene == file);
    QCOMPARE(flags->sceneFile, path);
    QCOMPARE(flags->sceneTitle, QString("Mine"));
    QCOMPARE(flags->scene.sampled.seed, std::uint64_t(5));
    QCOMPARE(flags->scene.sampled.particles, 777);
    QCOMPARE(flags->scene.display.camera.halfExtent, 2.5);

    // A lecture opens on its first slide; a mixture file is a target, as for the commands.
    const QString lecture = dir.filePath("lecture.json");
    QFile l(lecture);
    QVERIFY(l.open(QIODevice::WriteOnly));
    l.write("{\"format\": \"scorescope-lecture\", \"title\": \"L\", \"scenes\": [{\"title\": \"One\", \"file\": \"scene.json\"}, {\"file\": \"scene.json\"}]}");
    l.close();
    flags = parseViewportFlags({"scorescope", lecture}, error);
    QVERIFY2(flags, qPrintable(error));
    QVERIFY(flags->lecture);
    QCOMPARE(flags->lecture->slides.size(), std::size_t(2));
    QCOMPARE(flags->lecture->slides[0].title, QString("One"));
    QCOMPARE(flags->lecture->slides[1].title, QString("Mine"));
    QVERIFY(flags->scene == file);
    const QString mixture = dir.filePath("two.json");
    QFile m(mixture);
    QVERIFY(m.open(QIODevice::WriteOnly));
    m.write("{\"components\": [{\"weight\": 0.8, \"mean\": [-2, 0], \"cov\": [[0.2, 0], [0, 0.2]]},"
            " {\"weight\": 0.2, \"mean\": [2, 0], \"cov\": [[0.2, 0], [0, 0.2]], \"label\": 1}]}");
    m.close();
    flags = parseViewportFlags({"scorescope", "--target", mixture}, error);
    QVERIFY2(flags, qPrintable(error));
    QCOMPARE(flags->scene.sampled.target.source, TargetSource::Mixture);
    QCOMPARE(flags->scene.sampled.target.components.size(), std::size_t(2));
    QCOMPARE(flags->scene.sampled.target.components[1].label, 1);
  }

  void aSceneFilesProblemNamesTheFileAndItsJsonPathNotAFlag() {
    QTemporaryDir dir;
    QString error;
    const auto write = [&](const char* name, const Scene& scene) {
      const QString path = dir.filePath(name);
      if (!io::writeSceneFile(path, scene).isEmpty()) qFatal("cannot write %s", name);
      return path;
    };
    // Guidance towards class 9 of gmm8-ring (classes 0-7): refused at read time, naming the field.
    Scene guided;
    guided.sampled = enterLesson(guided.sampled, Lesson::Guidance);
    guided.sampled.guidance.label = 9;
    const QString label = write("label.json", guided);
    QVERIFY(!parseViewportFlags({"scorescope", label}, error));
    QCOMPARE(error, label + ": sampled.guidance.label: expected a class of the target in [0, 7], got 9");
    // A sweep without a guidance kind.
    Scene sweep = guided;
    sweep.sampled.guidance.label = 0;
    sweep.sampled.guidance.kind = GuidanceKind::None;
    sweep.sampled.guidance.sweep = {0.0, 3.0};
    const QString sweepPath = write("sweep.json", sweep);
    QVERIFY(!parseViewportFlags({"scorescope", sweepPath}, error));
    QVERIFY2(error.startsWith(sweepPath + ": sampled.guidance.sweep: a sweep needs classifier or classifier-free guidance"), qPrintable(error));
    // A file's class that only the flags make wrong names the file, not a flag that was not given.
    Scene five = guided;
    five.sampled.guidance.label = 5;
    const QString fivePath = write("five.json", five);
    QVERIFY(!parseViewportFlags({"scorescope", fivePath, "--target", "two-moons"}, error));
    QCOMPARE(error, fivePath + ": sampled.guidance.label: expected a class of the target in [0, 1], got 5 (with the flags given)");
    // A flag's value is the flag's.
    QVERIFY(!parseViewportFlags({"scorescope", fivePath, "--class", "8"}, error));
    QCOMPARE(error, QString("--class: expected a class of the target in [0, 7], got 8"));

    // A scene saved after live training (score learned) opens: no model yet, so the status line
    // says what is missing, and a warning names the field.
    Scene learned;
    learned.sampled.score = ScoreSource::Learned;
    const QString learnedPath = write("learned.json", learned);
    std::optional<ViewportFlags> flags = parseViewportFlags({"scorescope", learnedPath}, error);
    QVERIFY2(flags, qPrintable(error));
    QCOMPARE(flags->scene.sampled.score, ScoreSource::Learned);
    QVERIFY2(flags->warnings.filter("sampled.score: 'learned' needs a trained model").size() == 1, qPrintable(flags->warnings.join('\n')));
    Session session;
    session.setScene(flags->scene);
    QVERIFY2(session.status().rfind("score: 'learned' needs a trained model", 0) == 0, session.status().c_str());
    // The same from --score: the flag is named.
    QVERIFY(!parseViewportFlags({"scorescope", "--score", "learned"}, error));
    QVERIFY2(error.startsWith("--score: 'learned' needs a trained model"), qPrintable(error));
  }

  void theForwardPaneShowsXtOfTheData() {
    Session session;
    session.setScene(lessonScene(Lesson::ForwardNoising, 500));
    session.waitForRuns();
    session.timeline().scrubTo(0.4);
    FrameBuilder frames;
    const Pane& pane = frames.build(session, 800, 600).front();
    const ForwardData& data = session.shown()->forward;
    const Process vp(ProcessKind::Vp);
    QCOMPARE(pane.frame.particles.size(), std::size_t(1));
    for (Eigen::Index i : {0, 17, 499}) {
      QCOMPARE(pane.frame.particles[0].xs[i], vp.a(0.4) * data.x0(i, 0) + vp.s(0.4) * data.eps(i, 0));
    }
  }
};

QTEST_MAIN(TestSession)
#include "test_session.moc"
