// The scene value, the sampler registry and the planner: the pieces the CLI and the viewport
// share. Every field of the scene is visited once and a change to it is reported under its own
// path; the registry is complete and consistent; the planner turns each lesson into the runs the
// lesson shows and refuses what cannot run with a message naming the field; entry points refuse
// bad settings in Release builds too.
#include <QTest>
#include <set>

#include "scorescope/ddim_round_trip.hpp"
#include "scorescope/empirical_set.hpp"
#include "scorescope/guidance.hpp"
#include "scorescope/metrics.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/samplers.hpp"
#include "scorescope/scene.hpp"
#include "scorescope/scene_plan.hpp"

using namespace scorescope;

namespace {

// Changes one field to a different valid-looking value, whatever its type.
template <typename T>
void nudge(T& v) {
  if constexpr (std::is_same_v<T, bool>) v = !v;
  else if constexpr (std::is_enum_v<T>) v = static_cast<T>(static_cast<int>(v) == 0 ? 1 : 0);
  else if constexpr (std::is_arithmetic_v<T>) v = static_cast<T>(v + 1);
  else if constexpr (std::is_same_v<T, std::vector<double>>) v.push_back(1.0);
  else if constexpr (std::is_same_v<T, TargetSpec>) v.preset = "two-moons";
  else if constexpr (std::is_same_v<T, Rk45Options>) v.rtol *= 2.0;
  else if constexpr (std::is_same_v<T, Camera>) v.centreX += 1.0;
  else static_assert(sizeof(T) == 0, "nudge(): add this field type");
}

}  // namespace

class TestScene : public QObject {
  Q_OBJECT
 private slots:
  void everyFieldIsVisitedOnceAndReportedUnderItsPath() {
    Scene a, b;
    std::vector<std::string> paths;
    visitSceneFields(a, b, [&](const std::string& path, auto&, auto&) { paths.push_back(path); });
    QCOMPARE(std::set<std::string>(paths.begin(), paths.end()).size(), paths.size());
    QVERIFY(paths.size() > 40);
    for (std::size_t i = 0; i < paths.size(); ++i) {
      Scene changed;
      std::size_t k = 0;
      visitSceneFields(changed, b, [&](const std::string&, auto& field, auto&) {
        if (k++ == i) nudge(field);
      });
      QVERIFY2(!(changed == a), paths[i].c_str());  // == sees the field
      const std::vector<std::string> diff = changedSceneFields(a, changed);
      QCOMPARE(diff, std::vector<std::string>{paths[i]});
    }
  }

  void theRegistryHasOneConsistentRowPerSampler() {
    std::set<std::string_view> names;
    for (SamplerKind kind : kAllSamplerKinds) {
      const SamplerInfo& info = samplerInfo(kind);
      QCOMPARE(info.kind, kind);
      QVERIFY(names.insert(info.name).second);
      SamplerKind parsed{};
      QVERIFY(parseSamplerKind(info.name, parsed));
      QCOMPARE(parsed, kind);
      QVERIFY(info.defaultSteps >= 1 && info.defaultSteps <= kMaxSamplerSteps);
      QVERIFY(!info.title.empty() && info.run != nullptr);
      QCOMPARE(defaultSamplerSettings(kind).steps, info.defaultSteps);
      QVERIFY2(validateSamplerSettings(defaultSamplerSettings(kind)).empty(), info.name.data());
    }
    SamplerKind unused{};
    QVERIFY(!parseSamplerKind("ode-hune", unused));
  }

  void samplerEntryPointsRefuseBadSettingsInRelease() {
    const auto target = std::shared_ptr<const Target>(makeGmm8Ring());
    const ExactScore model(target, Process(ProcessKind::Vp));
    const Points x = Points::Zero(4, 2);
    // 0 steps per level used to divide by zero inside the level schedule.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             sampleAnnealedLangevin(model, x, {1.0, 0.5}, 0, 1e-4, CounterRng(0), {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             sampleAnnealedLangevin(model, x, {}, 10, 1e-4, CounterRng(0), {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             sampleAnnealedLangevin(model, x, {1.0}, 10, -1.0, CounterRng(0), {}));
    SamplerSettings s = defaultSamplerSettings(SamplerKind::AnnealedLangevin);
    s.stepsPerLevel = 0;
    QVERIFY(validateSamplerSettings(s).find("steps-per-level") != std::string::npos);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runSampler(model, s, x, CounterRng(0)));
    s = defaultSamplerSettings(SamplerKind::OdeHeun);
    s.steps = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runSampler(model, s, x, CounterRng(0)));
    // Other entry points that used to check with assert() only (gone in Release builds).
    RecordOptions record;
    record.pathIndices = {7};  // x has 4 rows
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runSampler(model, defaultSamplerSettings(SamplerKind::OdeEuler), x,
                                                               CounterRng(0), record));
    const auto drawn = std::make_shared<EmpiricalSet>(Points::Zero(2, 2), Labels::Zero(2).eval());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ClassifierGuidance(drawn, Process(ProcessKind::Vp), 3, 1.0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, slicedWasserstein(x, Points(0, 2), 1, 8, 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, GaussianMixture(std::vector<MixtureComponent>{}));
  }

  void eachLessonPlansTheRunsItShows() {
    SampledScene s;
    s.lesson = Lesson::ScoreField;
    QVERIFY(planScene(s).ok() && planScene(s).runs.empty());
    s = enterLesson(s, Lesson::Langevin);
    QCOMPARE(s.sampler.kind, SamplerKind::Langevin);
    s.guidance.kind = GuidanceKind::ClassifierFree;  // left over from lesson 5: not applied here
    ScenePlan plan = planScene(s);
    QVERIFY(plan.ok());
    QCOMPARE(plan.runs.size(), std::size_t(1));
    QCOMPARE(plan.runs[0].guidance, GuidanceKind::None);
    QCOMPARE(plan.runs[0].model, plan.exact);
    s = enterLesson(s, Lesson::ReverseVsOde);
    QCOMPARE(s.sampler.kind, SamplerKind::ReverseSde);
    plan = planScene(s);
    QCOMPARE(plan.runs.size(), std::size_t(2));
    QCOMPARE(plan.runs[1].sampler, s.comparison);
    s = enterLesson(s, Lesson::Guidance);
    s.guidance.sweep = {0.0, 1.0, 3.0, 7.0};
    s.guidance.label = 5;
    plan = planScene(s);
    QVERIFY2(plan.ok(), plan.error.c_str());
    QCOMPARE(plan.runs.size(), std::size_t(4));
    for (std::size_t i = 0; i < 4; ++i) {
      QCOMPARE(plan.runs[i].scale, s.guidance.sweep[i] - 1.0);  // the sweep is gamma; CFG runs w = gamma - 1
      QCOMPARE(plan.runs[i].label, 5);
    }
  }

  void thePlannerNamesTheFieldItRefuses() {
    SampledScene s = enterLesson(SampledScene{}, Lesson::Guidance);
    s.guidance.label = 8;  // gmm8-ring has classes 0..7
    QCOMPARE(QString::fromStdString(planScene(s).error), QString("class: expected a class of the target in [0, 7], got 8"));
    QCOMPARE(planScene(s).errorField, std::string("sampled.guidance.label"));  // where a scene file has it
    s.guidance.label = 0;
    s.target.source = TargetSource::PointCloud;  // one class only
    s.target.points = {{0.0, 0.0}, {1.0, 1.0}};
    s.target.labels = {0, 0};
    QVERIFY2(planScene(s).error.find("labelled target") != std::string::npos, planScene(s).error.c_str());
    s.target.labels = {0, 2};
    s.guidance.label = 1;
    QCOMPARE(QString::fromStdString(planScene(s).error), QString("class: class 1 has no data in this target"));
    QCOMPARE(planScene(s).errorField, std::string("sampled.guidance.label"));
    SampledScene sweep = enterLesson(SampledScene{}, Lesson::Guidance);
    sweep.guidance.kind = GuidanceKind::None;
    sweep.guidance.sweep = {0.0, 1.0};
    QCOMPARE(planScene(sweep).errorField, std::string("sampled.guidance.sweep"));
    QVERIFY2(planScene(sweep).error.rfind("sweep: a sweep needs classifier or classifier-free guidance", 0) == 0, planScene(sweep).error.c_str());
    sweep = SampledScene{};
    sweep.score = ScoreSource::Learned;
    QCOMPARE(planScene(sweep).errorField, std::string("sampled.score"));
    QVERIFY(planScene(sweep).error.rfind("score: 'learned' needs a trained model", 0) == 0);
    sweep = SampledScene{};
    sweep.target.preset = "nope";
    QCOMPARE(planScene(sweep).errorField, std::string(""));  // validateSampledScene names its field itself
    s.particles = 0;
    QVERIFY(planScene(s).error.rfind("particles: expected an integer in [1, 10000000]", 0) == 0);
    s.particles = 100;
    s.sampler.steps = -3;
    QVERIFY(planScene(s).error.rfind("sampler.steps: ", 0) == 0);
    s.sampler.steps = 10;
    s.guidance.scale = std::nan("");
    QVERIFY(!planScene(s).ok());
  }

  void aSamplerOutsideItsLessonIsRefused() {
    // The check --sampler makes, made on the scene itself (files, flags and the panel agree).
    for (const Lesson lesson : {Lesson::Langevin, Lesson::ReverseVsOde, Lesson::Guidance}) {
      for (const SamplerKind kind : kAllSamplerKinds) {
        SampledScene s = enterLesson(SampledScene{}, lesson);
        s.sampler = defaultSamplerSettings(kind);
        if (kind == SamplerKind::AnnealedLangevin) s.sampler.steps = s.sampler.stepsPerLevel * 10;
        QVERIFY2(validateSampledScene(s).empty(), validateSampledScene(s).c_str());  // the planner may run it
        const std::string error = checkLessonSampler(s);
        QVERIFY2(samplerFitsLesson(kind, lesson) == error.empty(), error.c_str());
        if (!error.empty()) QVERIFY2(error.rfind("sampler.kind: expected a sampler of lesson ", 0) == 0, error.c_str());
      }
    }
    SampledScene s = enterLesson(SampledScene{}, Lesson::Langevin);
    s.sampler = defaultSamplerSettings(SamplerKind::Ddim);
    QCOMPARE(QString::fromStdString(checkLessonSampler(s)),
             QString("sampler.kind: expected a sampler of lesson 3 (langevin, annealed-langevin), got ddim"));
  }

  void adamSettingsOutsideTheirRangeAreRefused() {
    // beta1 = 2, beta2 = -1 or epsilon <= 0 train to NaN; they are refused before training.
    const auto error = [](auto change) {
      SampledScene s;
      change(s.training.adam);
      return QString::fromStdString(validateSampledScene(s));
    };
    QCOMPARE(error([](AdamSettings&) {}), QString());
    QVERIFY(error([](AdamSettings& a) { a.beta1 = 2.0; }).startsWith("training.adam.beta1: expected a number in [0, 1), got 2"));
    QVERIFY(error([](AdamSettings& a) { a.beta1 = 1.0; }).startsWith("training.adam.beta1: expected a number in [0, 1)"));
    QVERIFY(error([](AdamSettings& a) { a.beta2 = -1.0; }).startsWith("training.adam.beta2: expected a number in [0, 1), got -1"));
    QVERIFY(error([](AdamSettings& a) { a.epsilon = -1.0; }).startsWith("training.adam.epsilon: expected a finite number > 0, got -1"));
    QVERIFY(error([](AdamSettings& a) { a.epsilon = 0.0; }).startsWith("training.adam.epsilon: expected"));
    QVERIFY(error([](AdamSettings& a) { a.beta2 = std::nan(""); }).startsWith("training.adam.beta2: expected"));
    QCOMPARE(error([](AdamSettings& a) { a.beta1 = 0.0; a.beta2 = 0.5; a.epsilon = 1e-12; }), QString());
  }

  void thePlanReusesItsTargetWhenOnlyTheSamplerChanges() {
    SampledScene s = enterLesson(SampledScene{}, Lesson::ReverseVsOde);
    s.target.preset = "two-moons";
    const ScenePlan first = planScene(s);
    s.sampler.steps = 50;
    const ScenePlan second = planScene(s, &first);
    QCOMPARE(second.target, first.target);
    s.seed = 3;  // a preset's points depend on the seed
    const ScenePlan third = planScene(s, &second);
    QVERIFY(third.target != second.target);
  }

  void forwardDataIsTheForwardProcessWithOneNoisePerParticle() {
    const auto target = std::shared_ptr<const Target>(makeGmm8Ring());
    const ForwardData data = sampleForwardData(*target, 1000, 7);
    QCOMPARE(data.labels.size(), Eigen::Index(1000));
    const Process vp(ProcessKind::Vp);
    for (double t : {0.0, 0.2, 0.77, 1.0}) {
      const Points expected = vp.sampleForward(data.x0, t, CounterRng(7).derive(2));
      QVERIFY((vp.a(t) * data.x0 + vp.s(t) * data.eps - expected).cwiseAbs().maxCoeff() < 1e-12);
    }
    // The data are draws of the target: labels match the component each point is nearest to.
    int agree = 0;
    const Labels nearest = mostLikelyClass(*target, data.x0);
    for (Eigen::Index i = 0; i < 1000; ++i) agree += nearest(i) == data.labels(i);
    QVERIFY(agree >= 995);  // modes 2.3 apart at std 0.25: overlap is below 1e-5
  }

  void allRunsStartFromTheSameNoise() {
    SampledScene s = enterLesson(SampledScene{}, Lesson::ReverseVsOde);
    s.particles = 200;
    s.sampler.steps = s.comparison.steps = 1;
    const ScenePlan plan = planScene(s);
    RecordOptions record;
    const std::vector<RunResult> runs = executeRuns(plan, s, record);
    QCOMPARE(runs.size(), std::size_t(2));
    QCOMPARE(runs[0].trajectory.snapshots.front(), runs[1].trajectory.snapshots.front());
    // ... which is the prior draw initialParticles makes for the scene's seed.
    QCOMPARE(runs[0].trajectory.snapshots.front(), initialParticles(plan.process, s.sampler, 200, CounterRng(s.seed)));
  }

  void theLectureComparisonsPlanTheirRuns() {
    // Lessons 1-2: the other family of process beside the scene's.
    SampledScene s = enterLesson(SampledScene{}, Lesson::ForwardNoising);
    QVERIFY(!planScene(s).comparedExact);
    s.compareProcesses = true;
    ScenePlan plan = planScene(s);
    QVERIFY(plan.ok() && plan.runs.empty() && plan.comparedExact);
    QCOMPARE(plan.comparedExact->process().kind(), ProcessKind::Ve);
    s.process = ProcessKind::Ve;
    QCOMPARE(planScene(s).comparedExact->process().kind(), ProcessKind::Vp);
    for (ProcessKind k : {ProcessKind::Ddpm, ProcessKind::SubVp, ProcessKind::Ou}) QCOMPARE(comparedProcessKind(k), ProcessKind::Ve);
    // Lesson 3: the comparison Langevin sampler beside the sampler; anything else is refused.
    s = enterLesson(s, Lesson::Langevin);
    s.compareSamplers = true;
    QVERIFY(planScene(s).error.rfind("comparison.kind: ", 0) == 0);
    s.comparison = defaultSamplerSettings(SamplerKind::AnnealedLangevin);
    plan = planScene(s);
    QVERIFY2(plan.ok(), plan.error.c_str());
    QCOMPARE(plan.runs.size(), std::size_t(2));
    QCOMPARE(plan.runs[0].sampler.kind, SamplerKind::Langevin);
    QCOMPARE(plan.runs[1].sampler, s.comparison);
    // Lesson 4: one DDIM run per eta, with the sampler's steps, instead of sampler vs comparison.
    s = enterLesson(s, Lesson::ReverseVsOde);
    s.sampler.steps = 40;
    s.etaSweep = {0.0, 0.5, 1.0};
    plan = planScene(s);
    QCOMPARE(plan.runs.size(), std::size_t(3));
    for (std::size_t i = 0; i < 3; ++i) {
      QCOMPARE(plan.runs[i].sampler.kind, SamplerKind::Ddim);
      QCOMPARE(plan.runs[i].sampler.ddimEta, s.etaSweep[i]);
      QCOMPARE(plan.runs[i].sampler.steps, 40);
    }
    QVERIFY(!plan.roundTrip);
    s.etaSweep = {0.0, 1.5};
    QCOMPARE(QString::fromStdString(planScene(s).error), QString("eta-sweep: expected eta in [0, 1], got 1.5"));
    // ... or the round trip: one deterministic DDIM.
    s.etaSweep.clear();
    s.ddimRoundTrip = true;
    plan = planScene(s);
    QVERIFY(plan.roundTrip);
    QCOMPARE(plan.runs.size(), std::size_t(1));
    QCOMPARE(plan.runs[0].sampler.ddimEta, 0.0);
    s.etaSweep = {0.5};
    QVERIFY(planScene(s).error.rfind("eta-sweep: cannot be combined", 0) == 0);
  }

  void comparedRunsStartFromTheSameNoise() {
    // Plain Langevin starts from N(0, I), annealed from the prior N(0, s(1)^2 I): the same z.
    SampledScene s = enterLesson(SampledScene{}, Lesson::Langevin);
    s.process = ProcessKind::Ve;  // s(1) = 50: the scales differ
    s.particles = 100;
    s.sampler.steps = 1;
    s.compareSamplers = true;
    s.comparison = defaultSamplerSettings(SamplerKind::AnnealedLangevin);
    s.comparison.steps = s.comparison.stepsPerLevel = 1;
    ScenePlan plan = planScene(s);
    std::vector<RunResult> runs = executeRuns(plan, s, {});
    const Points z = CounterRng(s.seed).normals(100, 0);
    QCOMPARE(runs[0].trajectory.snapshots.front(), z);
    QCOMPARE(runs[1].trajectory.snapshots.front(), Points(plan.process.s(1.0) * z));
    // The eta sweep: every DDIM run from the same prior draw.
    s = enterLesson(s, Lesson::ReverseVsOde);
    s.sampler.steps = 2;
    s.etaSweep = {0.0, 0.5, 1.0};
    plan = planScene(s);
    runs = executeRuns(plan, s, {});
    QCOMPARE(runs.size(), std::size_t(3));
    for (const RunResult& r : runs) QCOMPARE(r.trajectory.snapshots.front(), Points(plan.process.s(1.0) * z));
    QVERIFY(runs[0].trajectory.final != runs[2].trajectory.final);  // eta = 1 draws fresh noise
    // The round trip starts from the data of the forward lessons and reports its error.
    s.etaSweep.clear();
    s.ddimRoundTrip = true;
    s.sampler.steps = 20;
    plan = planScene(s);
    runs = executeRuns(plan, s, {});
    const ForwardData data = sampleForwardData(*plan.target, 100, s.seed);
    QCOMPARE(runs[0].trajectory.snapshots.front(), data.x0);
    QCOMPARE(runs[0].trajectory.times.size(), std::size_t(41));
    QCOMPARE(runs[0].labels, data.labels);
    QVERIFY(runs[0].reconstructionError >= 0.0);
    QCOMPARE(runs[0].reconstructionError, meanPointDistance(data.x0, runs[0].trajectory.final));
  }
};

QTEST_APPLESS_MAIN(TestScene)
#include "test_scene.moc"
