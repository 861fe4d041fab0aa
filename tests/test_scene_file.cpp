// Scene files: every field of the scene value survives a write and a read; missing fields keep
// their defaults (older files load); unknown fields are warnings, not errors; each kind of bad
// field is refused with a message that names its JSON path and what is allowed, and nothing of a
// refused file is applied.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <functional>

#include "io/scene_file.hpp"
#include "scorescope/scene.hpp"

using namespace scorescope;

namespace {

// A valid scene in which every field differs from its default.
Scene everyFieldChanged() {
  Scene s;
  SampledScene& x = s.sampled;
  x.lesson = Lesson::Langevin;
  x.target.source = TargetSource::Mixture;
  x.target.components = {{0.7, {-2.0, 0.5}, Eigen::Matrix2d{{0.3, 0.1}, {0.1, 0.2}}, 0},
                         {0.3, {2.0, -1.0}, Eigen::Matrix2d{{0.2, 0.0}, {0.0, 0.4}}, 1}};
  x.process = ProcessKind::Ve;
  x.score = ScoreSource::Both;
  x.sampler = defaultSamplerSettings(SamplerKind::Langevin);
  x.sampler.steps = 321;
  x.sampler.spacing = GridSpacing::Karras;
  x.sampler.tEnd = 0.02;
  x.sampler.denoiseFinal = false;
  x.sampler.ddpmVariance = DdpmVariance::Beta;
  x.sampler.ddimEta = 0.25;
  x.sampler.rk45 = {1e-5, 2e-5};  // maxSteps is not in files (the cap is steps)
  x.sampler.langevinNoiseLevel = 0.07;
  x.sampler.langevinStepSize = 2e-3;
  x.sampler.stepsPerLevel = 40;
  x.sampler.annealedEpsilon = 3e-5;
  x.sampler.correctorSteps = 2;
  x.sampler.correctorSnr = 0.2;
  x.comparison = defaultSamplerSettings(SamplerKind::AnnealedLangevin);
  x.comparison.steps = 800;
  x.comparison.spacing = GridSpacing::Karras;
  x.comparison.tEnd = 0.03;
  x.comparison.denoiseFinal = false;
  x.comparison.ddpmVariance = DdpmVariance::Beta;
  x.comparison.ddimEta = 0.5;
  x.comparison.rk45 = {1e-3, 1e-3};
  x.comparison.langevinNoiseLevel = 0.1;
  x.comparison.langevinStepSize = 5e-4;
  x.comparison.stepsPerLevel = 40;
  x.comparison.annealedEpsilon = 1e-4;
  x.comparison.correctorSteps = 3;
  x.comparison.correctorSnr = 0.1;
  x.guidance = {GuidanceKind::Classifier, 1, 2.5, {0.0, 1.0, 4.0}};
  x.seed = (std::uint64_t(1) << 60) + 12345;  // above 2^53: written as a string
  x.particles = 12345;
  x.recordedPaths = 17;
  x.training.loss = TrainingLoss::Velocity;
  x.training.network = {NetworkRole::Classifier, 64, 2, 8, 3};
  x.training.steps = 1234;
  x.training.batch = 512;
  x.training.adam = {3e-3, 0.8, 0.99, 1e-7, LearningRateSchedule::Constant};
  x.training.pEmpty = 0.2;
  x.training.ncsnLevels = 10;
  x.training.emaDecay = 0.99;
  x.training.seed = 99;
  x.compareProcesses = true;
  x.compareSamplers = true;
  x.etaSweep = {0.0, 0.5, 1.0};
  x.ddimRoundTrip = false;  // cannot combine with the eta sweep; checked on its own below
  DisplayScene& d = s.display;
  d.layers = {false, false, false, true, false, true, false};
  d.pointSize = 4.0f;
  d.pointAlpha = 0.4f;
  d.arrowGrid = 20;
  d.trueArrowLength = true;
  d.arrowGain = 0.3f;
  d.logDensity = true;
  d.contourLevels = 12;
  d.trailLength = 30;
  d.cfgShowsGamma = true;
  d.autoFit = true;
  d.likelihoodMap = true;
  d.tiltedLaw = true;
  d.equationOverlay = false;
  d.legend = false;
  d.camera = {0.5, -1.25, 6.0};
  d.playback = {0.375, 2.0, false};
  return s;
}

Scene readBack(const QByteArray& json, QStringList* warnings = nullptr) {
  QString error;
  const std::optional<io::SceneFile> file = io::sceneFromJson(json, error);
  if (!file) qWarning() << error;
  if (warnings && file) *warnings = file->warnings;
  return file ? file->scene : Scene{};
}

// A document with `value` set at the dotted `path` (objects made on the way).
QByteArray withField(const QString& path, const QJsonValue& value) {
  QJsonObject root{{"format", "scorescope-scene"}, {"version", 1}};
  const QStringList parts = path.split('.');
  std::function<void(QJsonObject&, qsizetype)> set = [&](QJsonObject& o, qsizetype at) {
    if (at + 1 == parts.size()) {
      o[parts[at]] = value;
      return;
    }
    QJsonObject child = o[parts[at]].toObject();
    set(child, at + 1);
    o[parts[at]] = child;
  };
  set(root, 0);
  return QJsonDocument(root).toJson();
}

QString errorOf(const QByteArray& json) {
  QString error;
  const std::optional<io::SceneFile> file = io::sceneFromJson(json, error);
  return file ? QString("(loaded)") : error;
}

}  // namespace

class TestSceneFile : public QObject {
  Q_OBJECT
 private slots:
  void everyFieldSurvivesAWriteAndARead() {
    const Scene s = everyFieldChanged();
    QCOMPARE(QString::fromStdString(validateSampledScene(s.sampled)), QString());
    QCOMPARE(QString::fromStdString(validateDisplayScene(s.display)), QString());
    // The round trip below means something for every field only if every field was changed.
    std::vector<std::string> unchanged;
    Scene defaults, copy = s;
    visitSceneFields(defaults, copy, [&](const std::string& path, const auto& a, const auto& b) {
      if (a == b && path != "sampled.ddimRoundTrip") unchanged.push_back(path);
    });
    QVERIFY2(unchanged.empty(), unchanged.empty() ? "" : unchanged.front().c_str());

    const Scene back = readBack(io::sceneToJson(s, "Langevin, unequal weights"));
    const std::vector<std::string> differ = changedSceneFields(s, back);
    QVERIFY2(differ.empty(), differ.empty() ? "" : differ.front().c_str());

    Scene roundTrip = Scene{};
    roundTrip.sampled = enterLesson(roundTrip.sampled, Lesson::ReverseVsOde);
    roundTrip.sampled.ddimRoundTrip = true;
    QVERIFY(readBack(io::sceneToJson(roundTrip)) == roundTrip);
  }

  void everyTargetSourceSurvives() {
    Scene s;
    s.sampled.target = threePointsDrawing();
    s.sampled.target.points.emplace_back(0.125, -3.5);
    s.sampled.target.labels.push_back(2);
    QVERIFY(readBack(io::sceneToJson(s)).sampled.target == s.sampled.target);
    s.sampled.target = TargetSpec{};
    s.sampled.target.preset = "two-moons";
    QVERIFY(readBack(io::sceneToJson(s)).sampled.target == s.sampled.target);
  }

  void theTitleAndTheVersionAreWritten() {
    const QJsonObject root = QJsonDocument::fromJson(io::sceneToJson(Scene{}, "Forward noising")).object();
    QCOMPARE(root["format"].toString(), QString("scorescope-scene"));
    QCOMPARE(root["version"].toInt(), io::kSceneFileVersion);
    QCOMPARE(root["title"].toString(), QString("Forward noising"));
    QString error;
    QCOMPARE(io::sceneFromJson(io::sceneToJson(Scene{}, "Forward noising"), error)->title, QString("Forward noising"));
  }

  void floatsAreWrittenAsTheirShortestDecimal() {
    // A hand-edited file should read 0.65, not 0.64999997615814209 (the float's exact value).
    const QByteArray json = io::sceneToJson(Scene{});
    QVERIFY2(json.contains("\"pointAlpha\": 0.65,"), json.constData());
    QVERIFY(json.contains("\"arrowGain\": 0.15,"));
  }

  void missingFieldsKeepTheirDefaults() {
    // An older file (no version, few fields) loads; what it does not say is the default.
    const Scene s = readBack("{\"sampled\": {\"lesson\": 3, \"sampler\": {\"steps\": 500}}}");
    // A sampler without a kind is the lesson's own (lesson 3: Langevin, without the final denoising).
    Scene expected;
    expected.sampled = enterLesson(expected.sampled, Lesson::Langevin);
    expected.sampled.sampler.steps = 500;
    QVERIFY(s == expected);
    QCOMPARE(s.sampled.sampler.kind, SamplerKind::Langevin);
  }

  void unknownFieldsAreWarningsNamingTheirPath() {
    QStringList warnings;
    const Scene s = readBack("{\"version\": 1, \"colour\": \"red\", \"sampled\": {\"lesson\": 4, \"speed\": 2,\n"
"        \"sampler\": {\"kind\": \"ddim\", \"nonsense\": 1}, \"target\": {\"source\": \"preset\", \"preset\": \"two-moons\", \"n\": 5}},\n"
"        \"display\": {\"camera\": {\"centre\": [1, 2], \"zoom\": 3}, \"layers\": {\"particles\": false, \"stars\": true}}}",
                             &warnings);
    QCOMPARE(s.sampled.lesson, Lesson::ReverseVsOde);
    QCOMPARE(s.sampled.sampler.kind, SamplerKind::Ddim);
    QCOMPARE(s.sampled.target.preset, std::string("two-moons"));
    QCOMPARE(s.display.camera.centreY, 2.0);
    QCOMPARE(s.display.layers.particles, false);
    for (const char* path : {"colour", "sampled.speed", "sampled.sampler.nonsense", "sampled.target.n",
                             "display.camera.zoom", "display.layers.stars"}) {
      QVERIFY2(warnings.filter(QString(path) + ": unknown field").size() == 1, path);
    }
    QCOMPARE(warnings.size(), 6);
  }

  void anOlderFileWithoutFormatLoadsWhenItHasASection() {
    // docs/scene-format.md: "format" must be "scorescope-scene" when given; older files lack it.
    QCOMPARE(errorOf("{\"sampled\": {\"particles\": 5}}"), QString("(loaded)"));
    QCOMPARE(errorOf("{\"display\": {\"pointSize\": 3}}"), QString("(loaded)"));
    QCOMPARE(errorOf("{\"format\": \"scorescope-scene\"}"), QString("(loaded)"));
  }

  void rk45MaxStepsIsNotInTheFormat() {
    // ode-rk45 stops after sampler.steps steps; a maxSteps of an earlier file (even 0 or -1) was
    // accepted and never used. It is a warning now, and not written.
    QVERIFY(!io::sceneToJson(Scene{}).contains("maxSteps"));
    for (int maxSteps : {0, -1, 700}) {
      QStringList warnings;
      const Scene s = readBack(withField("sampled.sampler.rk45", QJsonObject{{"rtol", 1e-4}, {"maxSteps", maxSteps}}), &warnings);
      QCOMPARE(s.sampled.sampler.rk45.rtol, 1e-4);
      QCOMPARE(s.sampled.sampler.rk45.maxSteps, Rk45Options{}.maxSteps);
      QCOMPARE(warnings, QStringList{"sampled.sampler.rk45.maxSteps: no longer used (ode-rk45 takes at most sampled.sampler.steps steps), ignored"});
    }
  }

  void aNewerVersionLoadsWithAWarning() {
    QStringList warnings;
    readBack("{\"version\": 7, \"sampled\": {\"lesson\": 1}}", &warnings);
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings[0].startsWith("version: 7 is newer"));
  }

  void eachKindOfBadFieldIsRefusedWithItsPathAndRange_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    auto row = [](const char* name, const QByteArray& json, const QString& message) {
      QTest::newRow(name) << json << message;
    };
    row("malformed", "{\"sampled\": ", "malformed JSON at offset");
    row("not an object", "[1, 2]", "expected a JSON object");
    row("a lecture", "{\"format\": \"scorescope-lecture\"}", "format: expected \"scorescope-scene\", got \"scorescope-lecture\" (this is a lecture file");
    row("version text", "{\"version\": \"one\"}", "version: expected an integer >= 1, got \"one\"");
    row("empty object", "{}", "format: expected \"scorescope-scene\" (a scene file has \"format\", \"sampled\" and \"display\"), got nothing");
    row("only a title", "{\"title\": \"x\", \"version\": 1}", "format: expected \"scorescope-scene\"");
    row("a mixture file", "{\"components\": [{\"weight\": 1, \"mean\": [0, 0], \"cov\": [[1, 0], [0, 1]]}]}",
        "format: expected \"scorescope-scene\" (a scene file has \"format\", \"sampled\" and \"display\"), got nothing (this looks like a mixture file: pass it as --target FILE)");
    row("another format", "{\"format\": \"mixture\", \"sampled\": {}}", "format: expected \"scorescope-scene\", got \"mixture\"");
    row("section not an object", "{\"sampled\": 5}", "sampled: expected an object, got 5");
    row("wrong type", withField("sampled.particles", "many"), "sampled.particles: expected an integer, got \"many\"");
    row("fraction for an integer", withField("sampled.particles", 2.5), "sampled.particles: expected an integer, got 2.5");
    row("out of range", withField("sampled.particles", 0), "sampled.particles: expected an integer in [1, 10000000], got 0");
    row("unknown name", withField("sampled.process", "vx"), "sampled.process: expected one of ddpm, ddpm-cosine, vp, subvp, ve, ou, got \"vx\"");
    row("lesson", withField("sampled.lesson", 9), "sampled.lesson: expected a lesson number in [1, 6], got 9");
    row("sampler steps", withField("sampled.sampler.steps", -3), "sampled.sampler.steps: expected");
    row("unknown sampler", withField("sampled.sampler.kind", "euler"), "sampled.sampler.kind: expected one of ddpm, ddim");
    row("bool", withField("display.layers.arrows", 1), "display.layers.arrows: expected true or false, got 1");
    row("point size", withField("display.pointSize", 100), "display.pointSize: expected a number in [0.5, 32], got 100");
    row("camera", withField("display.camera", QJsonObject{{"halfExtent", 0}}), "display.camera.halfExtent: expected a number in [0.05, 500], got 0");
    row("camera far", withField("display.camera", QJsonObject{{"centre", QJsonArray{2e6, 0}}}), "display.camera.centre: expected coordinates within [-1e6, 1e6], got [2e+06, 0]");
    row("rk45 rtol", withField("sampled.sampler.rk45", QJsonObject{{"rtol", 0}}), "sampled.sampler.rk45.rtol: expected a number in (0, 1], got 0");
    row("rk45 atol", withField("sampled.sampler.rk45", QJsonObject{{"atol", 2}}), "sampled.sampler.rk45.atol: expected a number in (0, 1], got 2");
    row("huge number", withField("sampled.particles", 1e308), "sampled.particles: expected an integer, got 1e+308");
    row("short number", withField("sampled.training.adam.learningRate", 0), "sampled.training.adam.learningRate: expected a number in (0, 1], got 0");
    row("emaDecay", withField("sampled.training.emaDecay", 1.5), "sampled.training.emaDecay: expected a number in [0, 1), got 1.5");
    row("range style", withField("sampled.training.network.width", 100000), "sampled.training.network.width: expected an integer in [1, ");
    row("seed above 2^62", withField("sampled.seed", "4611686018427387905"), "sampled.seed: expected an integer in [0, 2^62], got 4611686018427387905");
    row("seed number above 2^53", withField("sampled.seed", 1e17), "sampled.seed: expected an integer in [0, 2^62] (a number, or a decimal string above 2^53), got 100000000000000000 (a JSON number above 2^53 is not exact: write it as a string)");
    row("camera centre", withField("display.camera", QJsonObject{{"centre", 3}}), "display.camera.centre: expected [x, y], got 3");
    row("position", withField("display.playback.position", 2), "display.playback.position: expected a number in [0, 1], got 2");
    row("seed", withField("sampled.seed", -1), "sampled.seed: expected an integer in [0, 2^62]");
    row("seed text", withField("sampled.seed", "12x"), "sampled.seed: expected an integer in [0, 2^62]");
    row("eta sweep", withField("sampled.etaSweep", QJsonArray{0.0, 2.0}), "sampled.etaSweep: expected eta in [0, 1], got 2");
    row("eta sweep text", withField("sampled.etaSweep", QJsonArray{0.0, "x"}), "sampled.etaSweep: expected an array of numbers, got an element \"x\"");
    row("learning rate", withField("sampled.training.adam.learningRate", 5), "sampled.training.adam.learningRate: expected");
    row("adam beta1", withField("sampled.training.adam.beta1", 2), "sampled.training.adam.beta1: expected a number in [0, 1), got 2");
    row("adam beta2", withField("sampled.training.adam.beta2", -1), "sampled.training.adam.beta2: expected a number in [0, 1), got -1");
    row("adam epsilon", withField("sampled.training.adam.epsilon", -1), "sampled.training.adam.epsilon: expected a finite number > 0, got -1");
    row("target source", withField("sampled.target", QJsonObject{{"source", "file"}}), "sampled.target.source: expected one of preset, mixture, points, got \"file\"");
    row("target preset", withField("sampled.target", QJsonObject{{"source", "preset"}, {"preset", "moons"}}), "sampled.target.preset: unknown 'moons'; expected one of");
    row("target weight", withField("sampled.target", QJsonObject{{"source", "mixture"}, {"components", QJsonArray{QJsonObject{{"weight", -1}, {"mean", QJsonArray{0, 0}}, {"cov", QJsonArray{QJsonArray{1, 0}, QJsonArray{0, 1}}}}}}}),
        "sampled.target.components[0].weight:");
    row("target point", withField("sampled.target", QJsonObject{{"source", "points"}, {"points", QJsonArray{QJsonArray{0, 1}, QJsonArray{2}}}}), "sampled.target.points[1]: expected [x, y], got an array");
    row("no points", withField("sampled.target", QJsonObject{{"source", "points"}, {"points", QJsonArray{}}}), "sampled.target.points: expected at least one point");
  }
  void eachKindOfBadFieldIsRefusedWithItsPathAndRange() {
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    const QString error = errorOf(json);
    QVERIFY2(error.startsWith(message), qPrintable(error));
  }

  void aSamplerThatDoesNotFitTheLessonIsRefused_data() {
    QTest::addColumn<int>("lesson");
    QTest::addColumn<QString>("sampler");
    QTest::addColumn<QString>("message");
    QTest::newRow("lesson 3, ddim") << 3 << "ddim" << "sampled.sampler.kind: expected a sampler of lesson 3 (langevin, annealed-langevin), got ddim";
    QTest::newRow("lesson 4, langevin") << 4 << "langevin" << "sampled.sampler.kind: expected a sampler of lesson 4 (";
    QTest::newRow("lesson 4, ode-rk45") << 4 << "ode-rk45" << "sampled.sampler.kind: expected a sampler of lesson 4 (";
    QTest::newRow("lesson 4, ode-heun") << 4 << "ode-heun" << "sampled.sampler.kind: expected a sampler of lesson 4 (ddpm, ddim, sde, pc), got ode-heun";
    QTest::newRow("lesson 5, langevin") << 5 << "langevin" << "sampled.sampler.kind: expected a sampler of lesson 5 (";
    QTest::newRow("lesson 5, annealed") << 5 << "annealed-langevin" << "sampled.sampler.kind: expected a sampler of lesson 5 (";
  }
  void aSamplerThatDoesNotFitTheLessonIsRefused() {
    // The same samplers --sampler refuses in these lessons (samplerFitsLesson).
    QFETCH(int, lesson);
    QFETCH(QString, sampler);
    QFETCH(QString, message);
    QJsonObject sampled{{"lesson", lesson}, {"sampler", QJsonObject{{"kind", sampler}}}};
    const QString error = errorOf(QJsonDocument(QJsonObject{{"format", "scorescope-scene"}, {"sampled", sampled}}).toJson());
    QVERIFY2(error.startsWith(message), qPrintable(error));
    // Lessons 1-2 and 6 run no sampler: any is kept for the next lesson.
    sampled["lesson"] = 2;
    QCOMPARE(errorOf(QJsonDocument(QJsonObject{{"format", "scorescope-scene"}, {"sampled", sampled}}).toJson()), QString("(loaded)"));
  }

  void whatNeedsTheTargetIsCheckedAtReadTime() {
    // The planner's checks (the class exists, a sweep has a guidance kind), named by JSON path.
    QJsonObject sampled{{"lesson", 5}, {"guidance", QJsonObject{{"kind", "cfg"}, {"label", 9}}}};
    QCOMPARE(errorOf(QJsonDocument(QJsonObject{{"format", "scorescope-scene"}, {"sampled", sampled}}).toJson()),
             QString("sampled.guidance.label: expected a class of the target in [0, 7], got 9"));
    sampled["guidance"] = QJsonObject{{"kind", "none"}, {"sweep", QJsonArray{0, 3}}};
    QVERIFY(errorOf(QJsonDocument(QJsonObject{{"format", "scorescope-scene"}, {"sampled", sampled}}).toJson())
                .startsWith("sampled.guidance.sweep: a sweep needs classifier or classifier-free guidance"));
    // A learned score (a scene saved after live training) loads; a warning names the field.
    QStringList warnings;
    const Scene s = readBack(withField("sampled.score", "learned"), &warnings);
    QCOMPARE(s.sampled.score, ScoreSource::Learned);
    QCOMPARE(warnings.filter("sampled.score: 'learned' needs a trained model").size(), 1);
  }

  void aFieldValidOnlyInContextIsNamed() {
    // The comparison sampler is checked in lesson 4 only: its bad steps are named there.
    QJsonObject sampled{{"lesson", 4}, {"comparison", QJsonObject{{"kind", "ode-heun"}, {"steps", 0}}}};
    const QString error = errorOf(QJsonDocument(QJsonObject{{"sampled", sampled}}).toJson());
    QVERIFY2(error.startsWith("sampled.comparison.steps: expected"), qPrintable(error));
  }

  void filesAreWrittenWholeAndRead() {
    QTemporaryDir dir;
    const QString path = dir.filePath("scene.json");
    const Scene s = everyFieldChanged();
    QCOMPARE(io::writeSceneFile(path, s, "A title"), QString());
    QString error;
    const std::optional<io::SceneFile> file = io::readSceneFile(path, error);
    QVERIFY2(file, qPrintable(error));
    QVERIFY(file->scene == s);
    QCOMPARE(file->title, QString("A title"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"scene.json"});  // no temporary left

    const QString missing = dir.filePath("nope/scene.json");
    QVERIFY(!io::writeSceneFile(missing, s).isEmpty());
    QVERIFY(!QFile::exists(missing));
    QVERIFY(!io::readSceneFile(dir.filePath("absent.json"), error));
    QVERIFY2(error.contains("absent.json"), qPrintable(error));
  }
};

QTEST_GUILESS_MAIN(TestSceneFile)
#include "test_scene_file.moc"
