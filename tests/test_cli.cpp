// The command-line forms course material depends on, run as a user would (a child process),
// and every class of bad input: one clear line naming the field, non-zero exit, no output file.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "io/points_csv.hpp"
#include "scorescope/presets.hpp"
#include "test_support.hpp"

using namespace scorescope;

namespace {

struct Run {
  int exitCode;
  QString out;
  QString err;
};

Run scorescopeRun(const QStringList& args) {
  QProcess process;
  process.start(SCORESCOPE_BINARY, args);
  if (!process.waitForFinished(120000)) qFatal("scorescope did not finish: %s", qPrintable(args.join(' ')));
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAllStandardOutput()),
          QString::fromUtf8(process.readAllStandardError())};
}

void writeText(const QString& path, const QByteArray& text) {
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write(text);
}

}  // namespace

class TestCli : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { QVERIFY(dir.isValid()); }
  void sampleFormWritesSamples_data();
  void sampleFormWritesSamples();
  void guidedSamplesLandInTheClass();
  void forwardScoreAndNllForms();
  void mixtureFileTarget();
  void badInputIsRejected_data();
  void badInputIsRejected();
  void helpDocumentsDefaults();

 private:
  QString path(const QString& name) const { return dir.filePath(name); }
  QTemporaryDir dir;
};

void TestCli::sampleFormWritesSamples_data() {
  QTest::addColumn<QStringList>("extra");
  QTest::newRow("ode-heun") << QStringList{"--sampler", "ode-heun", "--steps", "50"};
  QTest::newRow("ddim eta") << QStringList{"--sampler", "ddim", "--steps", "50", "--eta", "0.5"};
  QTest::newRow("annealed-langevin") << QStringList{"--sampler", "annealed-langevin", "--steps", "1000"};
  QTest::newRow("ode-rk45") << QStringList{"--sampler", "ode-rk45", "--steps", "300"};
}

void TestCli::sampleFormWritesSamples() {
  QFETCH(QStringList, extra);
  const QString out = path("samples.csv");
  QFile::remove(out);
  const Run run = scorescopeRun(QStringList{"sample", "--target", "gmm8-ring", "--process", "vp",
                                            "--n", "500", "--seed", "3", "--out", out} + extra);
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  QString error;
  const auto csv = io::readPointsCsv(out, error);
  QVERIFY2(csv, qPrintable(error));
  QCOMPARE(csv->points.rows(), Eigen::Index(500));
  QCOMPARE(csv->labels.size(), Eigen::Index(500));
  // Every sample sits on the ring of radius 3 (components have std 0.25).
  const Eigen::VectorXd radius = csv->points.rowwise().norm();
  QVERIFY2((radius.array() - 3.0).abs().mean() < 0.3, qPrintable(QString::number(radius.mean())));
}

void TestCli::guidedSamplesLandInTheClass() {
  const QString out = path("guided.csv");
  const Run run = scorescopeRun({"sample", "--target", "gmm8-ring", "--process", "vp", "--sampler", "ode-heun",
                                 "--steps", "50", "--n", "400", "--seed", "1", "--class", "2",
                                 "--guidance", "classifier", "--scale", "3", "--out", out});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  QString error;
  const auto csv = io::readPointsCsv(out, error);
  QVERIFY(csv);
  QVERIFY((csv->labels.array() == 2).cast<double>().mean() > 0.97);
  const Run cfg = scorescopeRun({"sample", "--target", "gmm8-ring", "--process", "vp", "--sampler", "ddim",
                                 "--steps", "50", "--n", "400", "--seed", "1", "--class", "5",
                                 "--guidance", "cfg", "--scale", "2", "--cfg-convention", "gamma", "--out", out});
  QVERIFY2(cfg.exitCode == 0, qPrintable(cfg.err));
  QVERIFY((io::readPointsCsv(out, error)->labels.array() == 5).cast<double>().mean() > 0.97);
}

void TestCli::forwardScoreAndNllForms() {
  const QString xt = path("xt.csv");
  Run run = scorescopeRun({"forward", "--target", "two-moons", "--process", "ddpm", "--t", "0.3", "--n", "200",
                           "--seed", "2", "--out", xt});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  QString error;
  const auto points = io::readPointsCsv(xt, error);
  QVERIFY(points && points->points.rows() == 200 && points->labels.size() == 200);

  const QString scores = path("scores.csv");
  run = scorescopeRun({"score", "--target", "two-moons", "--process", "ddpm", "--t", "0.3", "--points", xt,
                       "--out", scores});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  const auto rows = test::readCsv(scores);
  QCOMPARE(rows.size(), std::size_t(200));
  const Process ddpm(ProcessKind::Ddpm);
  const Points expected = makePreset("two-moons")->evaluate(points->points, ddpm.a(0.3), ddpm.s(0.3), {.score = true}).score;
  for (std::size_t i = 0; i < rows.size(); i += 37) {
    QVERIFY(std::abs(rows[i].at("sx").toDouble() - expected(Eigen::Index(i), 0)) < 1e-12 * (1 + std::abs(expected(Eigen::Index(i), 0))));
    QVERIFY(std::abs(rows[i].at("sy").toDouble() - expected(Eigen::Index(i), 1)) < 1e-12 * (1 + std::abs(expected(Eigen::Index(i), 1))));
  }

  const QString nll = path("nll.csv");
  run = scorescopeRun({"nll", "--target", "gmm8-ring", "--process", "vp", "--points", xt, "--out", nll});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  const auto nllRows = test::readCsv(nll);
  QCOMPARE(nllRows.size(), std::size_t(200));
  QVERIFY(nllRows.front().count("nll") == 1);
}

void TestCli::mixtureFileTarget() {
  const QString out = path("from-file.csv");
  const Run run = scorescopeRun({"sample", "--target", test::testDataPath("mixture.json"), "--process", "ve",
                                 "--sampler", "pc", "--steps", "100", "--n", "300", "--seed", "4", "--out", out});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  QCOMPARE(test::readCsv(out).size(), std::size_t(300));
}

void TestCli::badInputIsRejected_data() {
  QTest::addColumn<QStringList>("args");
  QTest::addColumn<QString>("field");
  const QStringList sample{"sample", "--process", "vp", "--sampler", "ode-heun", "--n", "10"};
  QTest::newRow("unknown target") << (sample + QStringList{"--target", "moons3"}) << "--target: unknown 'moons3'";
  QTest::newRow("unknown process") << QStringList{"sample", "--target", "rings", "--process", "vpp", "--sampler", "ddpm"} << "--process: unknown 'vpp'; expected one of ddpm";
  QTest::newRow("unknown sampler") << QStringList{"sample", "--target", "rings", "--process", "vp", "--sampler", "euler"} << "--sampler: unknown 'euler'";
  QTest::newRow("malformed json") << (sample + QStringList{"--target", "@malformed.json"}) << "malformed JSON";
  QTest::newRow("covariance not positive definite") << (sample + QStringList{"--target", "@notpd.json"}) << "components[1].cov";
  QTest::newRow("weights sum to zero") << (sample + QStringList{"--target", "@zeroweights.json"}) << "components[].weight";
  QTest::newRow("missing mixture file") << (sample + QStringList{"--target", "@absent.json"}) << "cannot read mixture file";
  QTest::newRow("t above 1") << QStringList{"forward", "--target", "rings", "--process", "ve", "--t", "1.5"} << "--t: expected a number in [0, 1], got '1.5'";
  QTest::newRow("t negative") << QStringList{"score", "--target", "rings", "--process", "ve", "--t", "-0.1", "--points", "@in.csv"} << "--t: expected a number in [0, 1]";
  QTest::newRow("missing points file") << QStringList{"nll", "--target", "rings", "--process", "vp", "--points", "@absent.csv"} << "--points:";
  QTest::newRow("bad points row") << QStringList{"score", "--target", "rings", "--process", "vp", "--t", "0.5", "--points", "@bad.csv"} << "line 3: expected two finite numbers";
  QTest::newRow("class out of range") << (sample + QStringList{"--target", "rings", "--class", "4", "--guidance", "classifier"}) << "--class: expected an integer in [0, 1]";
  QTest::newRow("guidance without class") << (sample + QStringList{"--target", "rings", "--guidance", "cfg"}) << "--class: required";
  QTest::newRow("eta out of range") << QStringList{"sample", "--target", "rings", "--process", "vp", "--sampler", "ddim", "--eta", "2"} << "--eta: expected a number in [0, 1]";
  QTest::newRow("steps zero") << (sample + QStringList{"--target", "rings", "--steps", "0"}) << "--steps: expected an integer in [1, 100000]";
  QTest::newRow("score at s = 0 on a point set") << QStringList{"score", "--target", "rings", "--process", "ddpm", "--t", "0", "--points", "@in.csv"} << "--t: a point-set target has no score";
}

void TestCli::badInputIsRejected() {
  QFETCH(QStringList, args);
  QFETCH(QString, field);
  writeText(path("malformed.json"), "{\"components\": [ {\"weight\": 1, ");
  writeText(path("notpd.json"), R"({"components":[{"weight":1,"mean":[0,0],"cov":[[1,0],[0,1]]},
                                   {"weight":1,"mean":[1,0],"cov":[[1,2],[2,1]]}]})");
  writeText(path("zeroweights.json"), R"({"components":[{"weight":0,"mean":[0,0],"cov":[[1,0],[0,1]]}]})");
  writeText(path("in.csv"), "x,y\n0,0\n1,1\n");
  writeText(path("bad.csv"), "x,y\n0,0\n1,abc\n");
  for (QString& arg : args) {
    if (arg.startsWith('@')) arg = path(arg.mid(1));
  }
  const QString out = path("should-not-exist.csv");
  QFile::remove(out);
  const Run run = scorescopeRun(args + QStringList{"--out", out});
  QVERIFY2(run.exitCode != 0, qPrintable(args.join(' ')));
  QVERIFY2(run.err.contains(field), qPrintable("stderr: " + run.err));
  QCOMPARE(run.err.trimmed().count('\n'), 0);  // one line
  QVERIFY2(!QFile::exists(out), "an output file was written for bad input");
  QVERIFY(QDir(dir.path()).entryList({"*.csv.*", "should-not-exist*"}).isEmpty());  // no temporaries left
}

void TestCli::helpDocumentsDefaults() {
  const Run run = scorescopeRun({"sample", "--help"});
  QCOMPARE(run.exitCode, 0);
  for (const char* expected : {"t_min", "ode-rk45", "annealed-langevin", "posterior", "karras", "0.16"}) {
    QVERIFY2(run.out.contains(expected), expected);
  }
  const Run overview = scorescopeRun({"--help"});
  QCOMPARE(overview.exitCode, 0);
  for (const char* command : {"sample", "forward", "score", "nll", "bench"}) QVERIFY(overview.out.contains(command));
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
