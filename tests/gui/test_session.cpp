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
    std::vector<const TrainedNetwork*> seen;
    connect(&training, &TrainingController::published, this, [&] {
      if (auto s = training.snapshot(); s && (seen.empty() || seen.back() != s.get())) seen.push_back(s.get());
    });
    QCOMPARE(training.start(x.target, x.process, smallTraining(600), x.origin, "gmm8-ring"), std::string());
    // The event loop runs meanwhile: snapshots are queued to this thread as they come.
    QTRY_VERIFY_WITH_TIMEOUT(training.state() == TrainingState::Finished, 30000);
    QTRY_VERIFY(published.count() >= 2);
    const TrainingStatus st = training.status();
    QCOMPARE(st.state, TrainingState::Finished);
    QVERIFY2(seen.size() >= 2, qPrintable(QString::number(seen.size())));
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
    QVERIFY2(panes[0].caption.find("|s_theta - grad log p_t|") != std::string::npos, panes[0].caption.c_str());
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
    QVERIFY2(session.status().rfind("display.camera.half-extent: expected a number in [0.05, 500]", 0) == 0,
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
    QCOMPARE(frames.build(session, 800, 600).front().title, std::string("CFG  w = 3  (gamma = 1 + w = 4)  class 0"));
    s.display.cfgShowsGamma = true;
    session.setScene(s);
    QCOMPARE(frames.build(session, 800, 600).front().title, std::string("CFG  gamma = 4  (w = gamma - 1 = 3)  class 0"));
    // While a new guidance scale samples, the pane keeps its run's title and field.
    const std::vector<render::ArrowInstance> before = frames.panes().front().arrows;
    s.sampled.guidance.scale = 7.0;
    s.sampled.particles = 400000;
    session.setScene(s);
    const Pane& during = frames.build(session, 800, 600).front();
    QVERIFY(session.busy());
    QVERIFY2(during.title.find("gamma = 4") != std::string::npos, during.title.c_str());
    QVERIFY(during.arrows.size() == before.size() &&
            std::equal(before.begin(), before.end(), during.arrows.begin(), [](auto& a, auto& b) {
              return a.dx == b.dx && a.dy == b.dy;
            }));
    session.waitForRuns();
    QVERIFY(frames.build(session, 800, 600).front().title.find("gamma = 8") != std::string::npos);
    s.sampled.guidance.sweep = {0.0, 1.0, 3.0, 7.0};
    s.sampled.particles = 2000;
    session.setScene(s);
    QCOMPARE(frames.build(session, 800, 600).front().title, std::string("sampling..."));
    session.waitForRuns();
    QCOMPARE(frames.build(session, 800, 600).size(), std::size_t(4));
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
    QTest::newRow("class") << QStringList{"--lesson", "5", "--class", "9"} << "--class: expected an integer in [0, 7], got 9";
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
    QTest::newRow("screenshot onto a fifo") << QStringList{"--screenshot", "FIFO"} << "--screenshot: FIFO: is not a regular file";
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

  void aSceneFileIsTheSceneTheFlagsChange() {
    QTemporaryDir dir;
    Scene file;
    file.sampled.lesson = Lesson::ReverseVsOde;
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
