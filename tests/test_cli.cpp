// The command-line forms course material depends on, run as a user would (a child process),
// and every class of bad input: one clear line naming the field, non-zero exit, no output file.
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <algorithm>

#include "cli/cli.hpp"
#include "io/viewport_options.hpp"
#include "io/text_file.hpp"

#include "io/points_csv.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/scene.hpp"
#include "test_support.hpp"

using namespace scorescope;

namespace {

struct Run {
  int exitCode;
  QString out;
  QString err;
};

// exitCode -1: crashed; -2: did not finish within timeoutMs (killed).
Run scorescopeRun(const QStringList& args, int timeoutMs = 120000) {
  QProcess process;
  process.setWorkingDirectory(QDir::tempPath());  // relative outputs ("-") never land in the source tree
  process.start(SCORESCOPE_BINARY, args);
  if (!process.waitForFinished(timeoutMs)) {
    process.kill();
    process.waitForFinished();
    return {-2, {}, "timed out: " + args.join(' ').left(200)};
  }
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
  void initTestCase();
  void trainedModelsDriveSampleScoreAndNll();
  void sampleFormWritesSamples_data();
  void sampleFormWritesSamples();
  void guidedSamplesLandInTheClass();
  void forwardScoreAndNllForms();
  void mixtureFileTarget();
  void badInputIsRejected_data();
  void badInputIsRejected();
  void helpDocumentsDefaults();
  void mixtureLabelsUpTo255Work();
  void seedUpToKMaxSeedWorks();
  void lineEndingsCrAndCrlf_data();
  void lineEndingsCrAndCrlf();
  void outputMustBeARegularFile_data();
  void outputMustBeARegularFile();
  void outputPathIsCheckedBeforeComputing();
  void stdoutRedirectedToAFileIsRefused();
  void oversizedInputsAreRefused();
  void longBadLineIsClipped();
  void inputFifoIsRefused();
  void clipEchoesPrintableAsciiOnly();
  void unknownCommandListsCommands();
  void viewportArgumentsStillGoToTheViewport();
  void langevinTowardsAClassSamplesThatClass();
  void benchMissingBaselineFails();
  void benchTrainRuns();
  void benchModes();
  void nonFiniteResultsAreNeverWritten();

 private:
  QString path(const QString& name) const { return dir.filePath(name); }
  QTemporaryDir dir;
};

void TestCli::initTestCase() {
  QVERIFY(dir.isValid());
  // Tiny models for the bad-input rows (their quality is irrelevant there).
  for (const QStringList& extra : {QStringList{"--out", path("tiny.ssm")}, QStringList{"--classifier", "--out", path("tinyclf.ssm")}}) {
    const Run run = scorescopeRun(QStringList{"train", "--target", "gmm8-ring", "--process", "vp", "--steps", "3",
                                              "--width", "8", "--depth", "1", "--batch", "16"} + extra);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  }
}

void TestCli::trainedModelsDriveSampleScoreAndNll() {
  const QString model = path("moons.ssm"), classifier = path("moons-clf.ssm"), out = path("learned.csv");
  Run run = scorescopeRun({"train", "--target", "two-moons", "--process", "vp", "--steps", "400", "--width", "32",
                           "--batch", "256", "--seed", "2", "--out", model});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  QVERIFY2(run.out.contains("weighted score error") && run.out.contains("two-moons"), qPrintable(run.out));
  QVERIFY2(run.err.contains("train: step 400/400"), qPrintable(run.err));  // the progress line
  // --process comes from the model.
  run = scorescopeRun({"sample", "--target", "two-moons", "--model", model, "--sampler", "ode-heun", "--steps", "30",
                       "--n", "300", "--out", out});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  QVERIFY2(run.out.contains("on the learned score"), qPrintable(run.out));
  QString error;
  auto csv = io::readPointsCsv(out, error);
  QVERIFY2(csv, qPrintable(error));
  QVERIFY(csv->points.allFinite() && csv->points.cwiseAbs().maxCoeff() < 5.0);  // moons live in [-1.5, 2.5]
  run = scorescopeRun({"score", "--target", "two-moons", "--model", model, "--process", "vp", "--t", "0.5",
                       "--points", out, "--out", path("learned-scores.csv")});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  writeText(path("few.csv"), "x,y\n0,0\n1,0.5\n");
  run = scorescopeRun({"nll", "--target", "two-moons", "--model", model, "--points", path("few.csv"), "--steps", "20",
                       "--out", path("learned-nll.csv")});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  run = scorescopeRun({"train", "--target", "two-moons", "--process", "vp", "--classifier", "--steps", "200", "--width", "32",
                       "--batch", "256", "--out", classifier});
  QVERIFY2(run.exitCode == 0 && run.out.contains("noisy classifier"), qPrintable(run.err + run.out));
  run = scorescopeRun({"sample", "--target", "two-moons", "--process", "vp", "--classifier", classifier, "--sampler", "ddim",
                       "--steps", "30", "--n", "300", "--class", "1", "--guidance", "classifier", "--scale", "2", "--out", out});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
}

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
  // "label" is optional (default 0). A key given twice is not detected: Qt's parser keeps the
  // last value (here the valid weight 1), documented in mixture_json.hpp.
  writeText(path("nolabel.json"), R"({"components":[{"weight":-1,"weight":1,"mean":[0,0],"cov":[[1,0],[0,1]]}]})");
  const Run noLabel = scorescopeRun({"sample", "--target", path("nolabel.json"), "--process", "vp", "--sampler",
                                     "ode-heun", "--steps", "20", "--n", "10", "--out", out});
  QVERIFY2(noLabel.exitCode == 0, qPrintable(noLabel.err));
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
  QTest::newRow("class out of range") << (sample + QStringList{"--target", "rings", "--class", "4", "--guidance", "classifier"}) << "--class: expected a class of the target in [0, 1]";
  QTest::newRow("guidance without class") << (sample + QStringList{"--target", "rings", "--guidance", "cfg"}) << "--class: required";
  QTest::newRow("eta out of range") << QStringList{"sample", "--target", "rings", "--process", "vp", "--sampler", "ddim", "--eta", "2"} << "--eta: expected a number in [0, 1]";
  QTest::newRow("steps zero") << (sample + QStringList{"--target", "rings", "--steps", "0"}) << "--steps: expected an integer in [1, 100000]";
  QTest::newRow("score at s = 0 on a point set") << QStringList{"score", "--target", "rings", "--process", "ddpm", "--t", "0", "--points", "@in.csv"} << "--t: a point-set target has no score";

  // Class labels: capped to [0, 255] in mixture files and --class (2e9 used to abort in bad_alloc).
  QTest::newRow("mixture label 2e9") << (sample + QStringList{"--target", "@biglabel.json"}) << "components[0].label: expected an integer in [0, 255]";
  QTest::newRow("mixture label 256") << (sample + QStringList{"--target", "@label256.json"}) << "components[1].label: expected an integer in [0, 255]";
  QTest::newRow("class 1e9") << (sample + QStringList{"--target", "gmm8-ring", "--class", "1e9"}) << "--class: expected an integer in [0, 255], got '1e9'";
  QTest::newRow("class 2000000000") << (sample + QStringList{"--target", "gmm8-ring", "--class", "2000000000"}) << "--class: expected an integer in [0, 255]";
  QTest::newRow("points label 256") << QStringList{"score", "--target", "rings", "--process", "vp", "--t", "0.5", "--points", "@label256.csv"} << "line 2: label: expected an integer in [0, 255]";

  // Magnitudes that overflow double arithmetic (used to give NaN rows with exit 0).
  const QStringList score{"score", "--process", "vp", "--t", "0.5", "--points", "@in.csv"};
  QTest::newRow("mean 1e200 (score)") << (score + QStringList{"--target", "@bigmean.json"}) << "components[0].mean: expected two finite numbers in [-1e6, 1e6]";
  QTest::newRow("mean 1e200 (nll)") << QStringList{"nll", "--process", "vp", "--points", "@in.csv", "--target", "@bigmean.json"} << "components[0].mean: expected";
  QTest::newRow("mean 1e200 (sample)") << (sample + QStringList{"--target", "@bigmean.json"}) << "components[0].mean: expected";
  QTest::newRow("cov 1e300") << (score + QStringList{"--target", "@bigcov.json"}) << "components[0].cov: expected a symmetric positive-definite";
  QTest::newRow("cov eigenvalue 1e-14") << (score + QStringList{"--target", "@tinycov.json"}) << "eigenvalues in [1e-12, 1e12]";
  QTest::newRow("cov condition 1e12") << (score + QStringList{"--target", "@illcond.json"}) << "condition number";
  QTest::newRow("weight 1e308") << (score + QStringList{"--target", "@bigweight.json"}) << "components[0].weight: expected a number in [0, 1e12]";
  QTest::newRow("points 1e200 (score)") << QStringList{"score", "--target", "rings", "--process", "vp", "--t", "0.5", "--points", "@bigpoints.csv"} << "line 2: expected x and y in [-1e6, 1e6]";
  QTest::newRow("points 1e200 (nll)") << QStringList{"nll", "--target", "gmm8-ring", "--process", "vp", "--points", "@bigpoints.csv"} << "line 2: expected x and y in [-1e6, 1e6]";

  // CSV shape: exactly the header's field count; empty and header-only files; non-UTF-8 bytes.
  const QStringList scoreRings{"score", "--target", "rings", "--process", "vp", "--t", "0.5", "--points"};
  QTest::newRow("extra column") << (scoreRings + QStringList{"@extracol.csv"}) << "extracol.csv line 3: expected 2 comma-separated fields as in the header, got 3";
  QTest::newRow("missing label column") << (scoreRings + QStringList{"@fewcols.csv"}) << "fewcols.csv line 2: expected 3 comma-separated fields";
  QTest::newRow("empty csv") << (scoreRings + QStringList{"@empty.csv"}) << "empty.csv: the file is empty";
  QTest::newRow("header-only csv") << (scoreRings + QStringList{"@headeronly.csv"}) << "expected at least one point after the header";
  QTest::newRow("non-utf8 csv") << (scoreRings + QStringList{"@nonutf8.csv"}) << "line 2: expected two finite numbers";
  QTest::newRow("nan in csv") << (scoreRings + QStringList{"@nan.csv"}) << "line 2: expected two finite numbers";
  // Inputs are regular files only (read, never written: the devices here are only opened for stat).
  QTest::newRow("points /dev/zero") << (scoreRings + QStringList{"/dev/zero"}) << "/dev/zero: is not a regular file (it is a character device); expected a regular points file";
  QTest::newRow("points /dev/urandom") << (scoreRings + QStringList{"/dev/urandom"}) << "/dev/urandom: is not a regular file (it is a character device)";
  QTest::newRow("points is a directory") << (scoreRings + QStringList{"@"}) << ": is not a regular file (it is a directory); expected a regular points file";

  // JSON: endless, trailing garbage, non-UTF-8.
  // Unknown keys (a misspelt "weigth" used to be dropped silently); "label" may be left out.
  QTest::newRow("json unknown component key") << (sample + QStringList{"--target", "@color.json"}) << "components[1].color: unknown field; expected weight, mean, cov, label";
  QTest::newRow("json misspelt key") << (sample + QStringList{"--target", "@weigth.json"}) << "components[0].weigth: unknown field; expected weight, mean, cov, label";
  QTest::newRow("json unknown top-level key") << (sample + QStringList{"--target", "@named.json"}) << "name: unknown field; expected components";
  QTest::newRow("mixture /dev/zero") << (sample + QStringList{"--target", "/dev/zero"}) << "/dev/zero: is not a regular file (it is a character device); expected a regular mixture file";
  QTest::newRow("json trailing garbage") << (sample + QStringList{"--target", "@trailing.json"}) << "malformed JSON";
  QTest::newRow("json non-utf8") << (sample + QStringList{"--target", "@nonutf8.json"}) << "malformed JSON";

  // Options.
  const QStringList base{"sample", "--target", "rings", "--process", "vp", "--sampler", "ode-heun"};
  QTest::newRow("n 0") << (base + QStringList{"--n", "0"}) << "--n: expected an integer in [1, 10000000], got '0'";
  QTest::newRow("n -5") << (base + QStringList{"--n", "-5"}) << "--n: expected an integer in [1, 10000000], got '-5'";
  QTest::newRow("n 1e12") << (base + QStringList{"--n", "1e12"}) << "--n: expected an integer in [1, 10000000], got '1e12'";
  QTest::newRow("n non-numeric") << (base + QStringList{"--n", "ten"}) << "--n: expected an integer";
  QTest::newRow("n twice") << (base + QStringList{"--n", "5", "--n", "6"}) << "--n: given more than once";
  QTest::newRow("n missing value") << (base + QStringList{"--out", "@should-not-exist.csv", "--n"}) << "Missing value after '--n'";
  QTest::newRow("t -1") << QStringList{"forward", "--target", "rings", "--process", "vp", "--t", "-1"} << "--t: expected a number in [0, 1], got '-1'";
  QTest::newRow("t nan") << QStringList{"forward", "--target", "rings", "--process", "vp", "--t", "nan"} << "--t: expected a number in [0, 1], got 'nan'";
  QTest::newRow("t missing") << QStringList{"forward", "--target", "rings", "--process", "vp"} << "--t: required option is missing";
  QTest::newRow("seed -1") << (base + QStringList{"--seed", "-1"}) << "--seed: expected an integer in [0, 4611686018427387904], got '-1'";
  QTest::newRow("seed 1e20") << (base + QStringList{"--seed", "99999999999999999999"}) << "--seed: expected an integer in [0, 4611686018427387904]";
  // --seed's range is core's kMaxSeed (scene.hpp), one past it is refused.
  QTest::newRow("seed kMaxSeed + 1") << (base + QStringList{"--seed", QString::number(kMaxSeed + 1)}) << "--seed: expected an integer in [0, " + QString::number(kMaxSeed) + "], got '" + QString::number(kMaxSeed + 1) + "'";
  QTest::newRow("nll steps 0") << QStringList{"nll", "--target", "rings", "--process", "vp", "--points", "@in.csv", "--steps", "0"} << "--steps: expected an integer in [1, 100000]";
  QTest::newRow("long value is clipped") << (sample + QStringList{"--target", QString(5000, u'q')}) << "--target: unknown 'qqqqqqqqqq";
  QTest::newRow("value with a line break") << (sample + QStringList{"--target", "a\nb"}) << "--target: unknown 'a?b'";
  QTest::newRow("unknown option") << (base + QStringList{"--smaple", "3"}) << "Unknown option 'smaple'";
  QTest::newRow("stray argument") << (base + QStringList{"extra"}) << "unexpected argument 'extra'";

  // Options the chosen sampler would ignore (registry option bits).
  QTest::newRow("eta with ode-heun") << (base + QStringList{"--eta", "0.5"}) << "option --eta does not apply to sampler ode-heun (it applies to: ddim)";
  QTest::newRow("langevin-step with ddim") << QStringList{"sample", "--target", "rings", "--process", "vp", "--sampler", "ddim", "--langevin-step", "0.01"} << "option --langevin-step does not apply to sampler ddim (it applies to: langevin)";
  QTest::newRow("rtol with ddpm") << QStringList{"sample", "--target", "rings", "--process", "vp", "--sampler", "ddpm", "--rtol", "1e-4"} << "option --rtol does not apply to sampler ddpm (it applies to: ode-rk45)";
  QTest::newRow("grid with ode-rk45") << QStringList{"sample", "--target", "rings", "--process", "vp", "--sampler", "ode-rk45", "--grid", "karras"} << "option --grid does not apply to sampler ode-rk45";
  QTest::newRow("snr with sde") << QStringList{"sample", "--target", "rings", "--process", "vp", "--sampler", "sde", "--snr", "0.1"} << "option --snr does not apply to sampler sde (it applies to: pc)";
  QTest::newRow("variance with ddim") << QStringList{"sample", "--target", "rings", "--process", "vp", "--sampler", "ddim", "--variance", "beta"} << "option --variance does not apply to sampler ddim (it applies to: ddpm)";
  QTest::newRow("steps-per-level with langevin") << QStringList{"sample", "--target", "rings", "--process", "vp", "--sampler", "langevin", "--steps-per-level", "5"} << "option --steps-per-level does not apply to sampler langevin (it applies to: annealed-langevin)";
  // Karras spacing with samplers that end at t = 0 (used to abort: repeated t = 0 in the grid).
  QTest::newRow("karras with ddpm") << QStringList{"sample", "--target", "gmm8-ring", "--process", "vp", "--sampler", "ddpm", "--n", "10", "--grid", "karras"} << "--grid: expected uniform for samplers that end at t = 0 (ddpm, ddim), got karras with ddpm";
  QTest::newRow("karras with ddim") << QStringList{"sample", "--target", "gmm8-ring", "--process", "ou", "--sampler", "ddim", "--n", "10", "--grid", "karras"} << "--grid: expected uniform for samplers that end at t = 0 (ddpm, ddim), got karras with ddim";
  // ode-rk45 at its step cap short of t_end (used to write samples denoised at t = 0.4, exit 0).
  QTest::newRow("ode-rk45 out of steps") << QStringList{"sample", "--target", "gmm8-ring", "--process", "vp", "--sampler", "ode-rk45", "--n", "1000", "--steps", "2"} << "scorescope sample: ode-rk45 reached only t = 0.";
  QTest::newRow("ode-rk45 out of steps (remedy)") << QStringList{"sample", "--target", "gmm8-ring", "--process", "vp", "--sampler", "ode-rk45", "--n", "1000", "--steps", "2"} << " within 2 steps; raise --steps or loosen --rtol/--atol\n";
  QTest::newRow("scale without guidance") << (base + QStringList{"--scale", "2"}) << "option --scale does not apply without guidance";

  // Model files and training.
  QTest::newRow("model: not a model") << (sample + QStringList{"--target", "rings", "--model", "@in.csv"}) << "--model: " ;
  QTest::newRow("model: foreign bytes") << (sample + QStringList{"--target", "rings", "--model", "@in.csv"}) << "not a Scorescope model file";
  QTest::newRow("model: truncated") << (sample + QStringList{"--target", "gmm8-ring", "--model", "@truncated.ssm"}) << "truncated";
  QTest::newRow("model: missing") << (sample + QStringList{"--target", "gmm8-ring", "--model", "@absent.ssm"}) << "--model:";
  QTest::newRow("model: other process") << QStringList{"sample", "--target", "gmm8-ring", "--process", "ve", "--model", "@tiny.ssm", "--sampler", "ddim"}
                                        << "--process: " ;
  QTest::newRow("model: process named both") << QStringList{"sample", "--target", "gmm8-ring", "--process", "ve", "--model", "@tiny.ssm", "--sampler", "ddim"}
                                             << "was trained for process 'vp'; --process says 've'";
  QTest::newRow("model: another target") << (sample + QStringList{"--target", "two-moons", "--model", "@tiny.ssm"})
                                         << "--model: " ;
  QTest::newRow("model: targets named") << (sample + QStringList{"--target", "two-moons", "--model", "@tiny.ssm"})
                                        << "was trained on 'gmm8-ring'; --target is 'two-moons'";
  QTest::newRow("model: empty name") << (sample + QStringList{"--target", "gmm8-ring", "--model", ""}) << "--model: expected a model file name";
  QTest::newRow("model: t below its training range") << QStringList{"score", "--target", "gmm8-ring", "--model", "@tiny.ssm", "--t", "1e-9", "--points", "@in.csv"}
                                                     << "--t: the learned score was trained for t in [";
  QTest::newRow("model: a classifier") << (sample + QStringList{"--target", "gmm8-ring", "--model", "@tinyclf.ssm"}) << "is a noisy classifier; pass it as --classifier";
  QTest::newRow("classifier: a score network") << (sample + QStringList{"--target", "gmm8-ring", "--classifier", "@tiny.ssm", "--class", "1", "--guidance", "classifier"}) << "is a score network; pass it as --model";
  QTest::newRow("classifier without its guidance") << (sample + QStringList{"--target", "gmm8-ring", "--classifier", "@tinyclf.ssm"}) << "option --classifier does not apply";
  QTest::newRow("cfg on an unconditional model") << (sample + QStringList{"--target", "gmm8-ring", "--model", "@tiny.ssm", "--class", "1", "--guidance", "cfg"}) << "needs a class-conditional model";
  const QStringList train{"train", "--target", "gmm8-ring", "--process", "vp"};
  QTest::newRow("train: unknown loss") << (train + QStringList{"--loss", "l1"}) << "--loss: unknown 'l1'; expected one of eps, x0, score, v, ncsn";
  QTest::newRow("train: width 0") << (train + QStringList{"--width", "0"}) << "--width: expected an integer in [1, 1024]";
  QTest::newRow("train: odd time features") << (train + QStringList{"--time-features", "3"}) << "--time-features: expected an even number";
  QTest::newRow("train: lr 0") << (train + QStringList{"--lr", "0"}) << "--lr: expected a number in [1e-08, 1]";
  QTest::newRow("train: p-empty without classes") << (train + QStringList{"--p-empty", "0.2"}) << "--p-empty applies only with --classes";
  QTest::newRow("train: loss with classifier") << (train + QStringList{"--classifier", "--loss", "x0"}) << "--loss does not apply with --classifier";
  QTest::newRow("train: classes without labels") << QStringList{"train", "--target", "@zeroweights-fixed.json", "--process", "vp", "--classes"} << "has no class labels";
  QTest::newRow("train: steps missing value") << (train + QStringList{"--steps", "many"}) << "--steps: expected an integer";

  // --out.
  QTest::newRow("out -") << (base + QStringList{"--out", "-"}) << "--out: '-': writing to stdout is not supported";
  QTest::newRow("out in a missing directory") << (base + QStringList{"--out", "@absent-dir/x.csv"}) << "absent-dir does not exist";
}

void TestCli::badInputIsRejected() {
  QFETCH(QStringList, args);
  QFETCH(QString, field);
  writeText(path("malformed.json"), "{\"components\": [ {\"weight\": 1, ");
  writeText(path("notpd.json"), R"({"components":[{"weight":1,"mean":[0,0],"cov":[[1,0],[0,1]]},
                                   {"weight":1,"mean":[1,0],"cov":[[1,2],[2,1]]}]})");
  writeText(path("zeroweights-fixed.json"), R"({"components":[{"weight":1,"mean":[0,0],"cov":[[1,0],[0,1]]}]})");
  writeText(path("zeroweights.json"), R"({"components":[{"weight":0,"mean":[0,0],"cov":[[1,0],[0,1]]}]})");
  writeText(path("in.csv"), "x,y\n0,0\n1,1\n");
  {
    QFile tiny(path("tiny.ssm"));
    QVERIFY(tiny.open(QIODevice::ReadOnly));
    writeText(path("truncated.ssm"), tiny.readAll().left(500));
  }
  writeText(path("bad.csv"), "x,y\n0,0\n1,abc\n");
  const QByteArray unit = R"("cov":[[1,0],[0,1]])";
  writeText(path("biglabel.json"), R"({"components":[{"weight":1,"mean":[0,0],)" + unit + R"(,"label":2000000000}]})");
  writeText(path("label256.json"), R"({"components":[{"weight":1,"mean":[0,0],)" + unit + R"(,"label":0},
                                      {"weight":1,"mean":[1,0],)" + unit + R"(,"label":256}]})");
  writeText(path("label256.csv"), "x,y,label\n0,0,256\n");
  writeText(path("bigmean.json"), R"({"components":[{"weight":1,"mean":[1e200,0],)" + unit + "}]}");
  writeText(path("bigcov.json"), R"({"components":[{"weight":1,"mean":[0,0],"cov":[[1e300,0],[0,1e300]]}]})");
  writeText(path("tinycov.json"), R"({"components":[{"weight":1,"mean":[0,0],"cov":[[1e-14,0],[0,1e-14]]}]})");
  writeText(path("illcond.json"), R"({"components":[{"weight":1,"mean":[0,0],"cov":[[1e6,0],[0,1e-6]]}]})");
  writeText(path("bigweight.json"), R"({"components":[{"weight":1e308,"mean":[0,0],)" + unit + R"(},
                                       {"weight":1e308,"mean":[1,0],)" + unit + "}]}");
  writeText(path("bigpoints.csv"), "x,y\n1e200,0\n");
  writeText(path("extracol.csv"), "x,y\n0,0\n1,1,7\n");
  writeText(path("fewcols.csv"), "x,y,label\n0,0\n");
  writeText(path("empty.csv"), "");
  writeText(path("headeronly.csv"), "x,y\n");
  writeText(path("nonutf8.csv"), "x,y\n\xff\xfe,0\n");
  writeText(path("nan.csv"), "x,y\nnan,0\n");
  writeText(path("color.json"), R"({"components":[{"weight":1,"mean":[0,0],)" + unit + R"(},
                                  {"weight":1,"mean":[1,0],)" + unit + R"(,"label":1,"color":"red"}]})");
  writeText(path("weigth.json"), R"({"components":[{"weigth":1,"weight":1,"mean":[0,0],)" + unit + "}]}");
  writeText(path("named.json"), R"({"name":"two blobs","components":[{"weight":1,"mean":[0,0],)" + unit + "}]}");
  writeText(path("trailing.json"), R"({"components":[{"weight":1,"mean":[0,0],)" + unit + "}]} trailing");
  writeText(path("nonutf8.json"), R"({"components":[{"weight":1,"mean":[0,0],)" + unit + ",\"note\":\"\xff\xfe\"}]}");
  const QString out = path("should-not-exist.csv");
  for (QString& arg : args) {
    if (arg.startsWith('@')) arg = path(arg.mid(1));
  }
  QFile::remove(out);
  const Run run = scorescopeRun(args.contains("--out") ? args : args + QStringList{"--out", out});
  QVERIFY2(run.exitCode == 2, qPrintable(QString::number(run.exitCode) + ": " + args.join(' ').left(300)));  // not a crash
  QVERIFY2(run.err.contains(field), qPrintable("stderr: " + run.err));
  QCOMPARE(run.err.trimmed().count('\n'), 0);  // one line
  QVERIFY2(run.err.size() < 400, qPrintable(QString::number(run.err.size())));  // echoed values are clipped
  QVERIFY2(!QFile::exists(out), "an output file was written for bad input");
  QVERIFY(QDir(dir.path()).entryList({"*.csv.*", "should-not-exist*"}).isEmpty());  // no temporaries left
  QVERIFY(!QFileInfo("/dev/null").isFile());  // never replaced by a regular file
}

void TestCli::helpDocumentsDefaults() {
  const Run run = scorescopeRun({"sample", "--help"});
  QCOMPARE(run.exitCode, 0);
  for (const char* expected : {"t_min", "ode-rk45", "annealed-langevin", "posterior", "karras", "0.16"}) {
    QVERIFY2(run.out.contains(expected), expected);
  }
  // Required options say so (the parser has no notion of it; missing ones fail at run time).
  const QString help = run.out.simplified();
  for (const char* expected : {"--target <T> (required) Preset", "--process <P> (required unless --model gives it) Forward process",
                               "--sampler <S> (required) Sampler:", "--out <FILE> (required) Output CSV"}) {
    QVERIFY2(help.contains(expected), qPrintable(QString(expected) + "\n" + run.out));
  }
  QVERIFY2(!help.contains("--steps <N> (required)") && !help.contains("--n <N> (required)"), qPrintable(run.out));
  const Run overview = scorescopeRun({"--help"});
  QCOMPARE(overview.exitCode, 0);
  for (const char* command : {"sample", "train", "forward", "score", "nll", "bench"}) QVERIFY(overview.out.contains(command));
  // The viewport options listed are the viewport parser's (io/viewport_options.hpp), every one of
  // them and no others.
  const QString viewport = overview.out.section("viewport options:", 1).section("commands:", 0, 0);
  for (const char* option : {"--lesson <N>", "--target <NAME|FILE>", "--sweep", "--tilted-law", "--compare-processes",
                             "--eta-sweep", "--round-trip", "--auto-fit", "--ui-scale <X>", "--no-panels",
                             "--screenshot <FILE.png>", "--bench-frames <N>", "--train-steps <N>"}) {
    QVERIFY2(viewport.contains(option), qPrintable(QString(option) + "\n" + overview.out));
  }
  static const QRegularExpression flag("--[a-z-]+");
  for (const auto& match : flag.globalMatch(viewport)) {
    QCommandLineParser parser;
    io::addViewportOptions(parser);
    const bool known = parser.parse({"scorescope", match.captured()}) || !parser.errorText().startsWith("Unknown option");
    QVERIFY2(known, qPrintable("not a viewport option: " + match.captured()));
  }
}

void TestCli::seedUpToKMaxSeedWorks() {
  const Run run = scorescopeRun({"forward", "--target", "rings", "--process", "vp", "--t", "0.5", "--n", "10",
                                 "--seed", QString::number(kMaxSeed), "--out", path("maxseed.csv")});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
}

void TestCli::mixtureLabelsUpTo255Work() {
  // Sparse labels up to kMaxLabel: 256 classes for two components (the class posterior is
  // n x 256; mostLikelyClass evaluates it in blocks).
  const QString mixture = path("label255.json");
  writeText(mixture, R"({"components":[{"weight":1,"mean":[-2,0],"cov":[[0.1,0],[0,0.1]],"label":0},
                                      {"weight":1,"mean":[2,0],"cov":[[0.1,0],[0,0.1]],"label":255}]})");
  const QString out = path("label255.csv");
  const Run run = scorescopeRun({"sample", "--target", mixture, "--process", "vp", "--sampler", "ode-heun",
                                 "--steps", "30", "--n", "300", "--class", "255", "--out", out});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  QString error;
  const auto csv = io::readPointsCsv(out, error);
  QVERIFY2(csv, qPrintable(error));
  QVERIFY((csv->labels.array() == 255).all());
  QVERIFY(csv->points.col(0).mean() > 1.5);
}

void TestCli::lineEndingsCrAndCrlf_data() {
  QTest::addColumn<QByteArray>("eol");
  QTest::newRow("CR (old Mac)") << QByteArray("\r");
  QTest::newRow("CRLF") << QByteArray("\r\n");
  QTest::newRow("LF") << QByteArray("\n");
}

void TestCli::lineEndingsCrAndCrlf() {
  QFETCH(QByteArray, eol);
  const QString in = path("eol.csv");
  writeText(in, "x,y,label" + eol + "0.5,1" + ",1" + eol + "-1,2,0" + eol + eol + "3,-0.25,1" + eol);
  QString error;
  const auto csv = io::readPointsCsv(in, error);
  QVERIFY2(csv, qPrintable(error));
  QCOMPARE(csv->points.rows(), Eigen::Index(3));
  QCOMPARE(csv->points(2, 1), -0.25);
  QCOMPARE(csv->labels(1), 0);
  const QString out = path("eol-scores.csv");
  const Run run = scorescopeRun({"score", "--target", "rings", "--process", "vp", "--t", "0.5", "--points", in, "--out", out});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  const auto rows = test::readCsv(out);
  QCOMPARE(rows.size(), std::size_t(3));
  QCOMPARE(rows[1].at("x"), QString("-1"));
  QCOMPARE(rows[2].at("y"), QString("-0.25"));
}

void TestCli::outputMustBeARegularFile_data() {
  QTest::addColumn<QString>("kind");
  QTest::newRow("device") << "device";
  QTest::newRow("directory") << "directory";
  QTest::newRow("fifo") << "fifo";
}

void TestCli::outputMustBeARegularFile() {
  QFETCH(QString, kind);
  // A device node of our own (a copy of /dev/null) where we may create one (root): a binary
  // without the check would replace the real /dev/null. Without root, /dev/null is safe to use
  // because /dev is not writable.
  QString out = path("null-device");
  if (kind == "device") {
    QFile::remove(out);
    if (::mknod(QFile::encodeName(out).constData(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
      if (QFileInfo(QStringLiteral("/dev")).isWritable()) QSKIP("cannot create a device node to test with");
      out = "/dev/null";
    }
  } else if (kind == "directory") {
    out = path("a-directory");
    QVERIFY(QDir().mkpath(out));
  } else if (kind == "fifo") {
    out = path("a-fifo");
    QFile::remove(out);
    QCOMPARE(::mkfifo(QFile::encodeName(out).constData(), 0600), 0);
  }
  const Run run = scorescopeRun({"forward", "--target", "rings", "--process", "vp", "--t", "0.5", "--n", "10", "--out", out}, 30000);
  QCOMPARE(run.exitCode, 2);
  QVERIFY2(run.err.startsWith("scorescope forward: --out: "), qPrintable(run.err));
  QVERIFY2(run.err.contains("expected a regular file path"), qPrintable(run.err));
  const QFileInfo after(out);
  QVERIFY(after.exists() && !after.isFile());  // still the device, directory or fifo
}

void TestCli::stdoutRedirectedToAFileIsRefused() {
  // /dev/stdout resolves to the redirect target, a regular file; replacing it behind the shell's
  // back loses the summary line, so the standard streams are refused by name.
  const QString redirect = path("stdout.txt");
  QProcess process;
  process.setStandardOutputFile(redirect);
  process.start(SCORESCOPE_BINARY, {"forward", "--target", "rings", "--process", "vp", "--t", "0.5", "--n", "5",
                                    "--out", "/dev/stdout"});
  QVERIFY(process.waitForFinished(30000));
  QCOMPARE(process.exitCode(), 2);
  const QString err = QString::fromUtf8(process.readAllStandardError());
  QVERIFY2(err.contains("--out: /dev/stdout: standard streams and /proc are not supported"), qPrintable(err));
  QFile file(redirect);
  QVERIFY(file.open(QIODevice::ReadOnly));
  QVERIFY(file.readAll().isEmpty());
}

void TestCli::outputPathIsCheckedBeforeComputing() {
  // 2 million particles x 2000 steps would run for minutes: the bad --out must fail first.
  QElapsedTimer timer;
  timer.start();
  const Run run = scorescopeRun({"sample", "--target", "gmm8-ring", "--process", "vp", "--sampler", "ode-heun",
                                 "--n", "2000000", "--steps", "2000", "--out", path("no-such-dir/x.csv")},
                                60000);
  QCOMPARE(run.exitCode, 2);
  QVERIFY2(run.err.contains("no-such-dir does not exist"), qPrintable(run.err));
  QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
}

void TestCli::oversizedInputsAreRefused() {
  // A sparse file just over the CSV limit: refused from its size, without reading it.
  const QString big = path("huge.csv");
  {
    QFile file(big);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(io::kMaxCsvBytes + 1));
  }
  Run run = scorescopeRun({"score", "--target", "rings", "--process", "vp", "--t", "0.5", "--points", big,
                           "--out", path("huge-out.csv")});
  QCOMPARE(run.exitCode, 2);
  QVERIFY2(run.err.contains("huge.csv: points file is larger than the limit of 1 GiB"), qPrintable(run.err));
  QFile::remove(big);
  const QString json = path("huge.json");
  {
    QFile file(json);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(io::kMaxJsonBytes + 1));
  }
  run = scorescopeRun({"sample", "--target", json, "--process", "vp", "--n", "10", "--out", path("huge-out.csv")});
  QCOMPARE(run.exitCode, 2);
  QVERIFY2(run.err.contains("huge.json: mixture file is larger than the limit of 16 MiB"), qPrintable(run.err));
  QVERIFY(!QFile::exists(path("huge-out.csv")));
}

void TestCli::longBadLineIsClipped() {
  // A 10 MB CSV whose bad line is 500 kB: the message quotes 60 characters of it.
  QByteArray text = "x,y\n";
  while (text.size() < 9'500'000) text += "0.125,0.25\n";
  text += "1," + QByteArray(500'000, '7') + "x\n";
  writeText(path("long.csv"), text);
  const Run run = scorescopeRun({"score", "--target", "rings", "--process", "vp", "--t", "0.5", "--points",
                                 path("long.csv"), "--out", path("long-out.csv")});
  QCOMPARE(run.exitCode, 2);
  QVERIFY2(run.err.size() < 300, qPrintable(run.err.left(300)));
  QVERIFY2(run.err.contains("expected two finite numbers x,y, got '1,777") && run.err.contains("...'"), qPrintable(run.err));
  QVERIFY(!QFile::exists(path("long-out.csv")));
}

// A fifo as an input used to block in open() forever (no writer): refused before opening.
void TestCli::inputFifoIsRefused() {
  QTemporaryDir fifoDir;
  QVERIFY(fifoDir.isValid());
  const QString csv = fifoDir.filePath("points.csv");
  const QString json = fifoDir.filePath("mixture.json");
  QCOMPARE(::mkfifo(QFile::encodeName(csv).constData(), 0600), 0);
  QCOMPARE(::mkfifo(QFile::encodeName(json).constData(), 0600), 0);
  QVERIFY(QDir().mkdir(fifoDir.filePath("dir.json")));
  const QString out = fifoDir.filePath("out.csv");
  const struct {
    QStringList args;
    QString message;
  } cases[] = {
      {{"score", "--target", "rings", "--process", "vp", "--t", "0.5", "--points", csv, "--out", out},
       csv + ": is not a regular file (it is a fifo); expected a regular points file"},
      {{"nll", "--target", "rings", "--process", "vp", "--points", csv, "--out", out},
       csv + ": is not a regular file (it is a fifo)"},
      {{"sample", "--target", json, "--process", "vp", "--sampler", "ode-heun", "--n", "10", "--out", out},
       json + ": is not a regular file (it is a fifo); expected a regular mixture file"},
      {{"sample", "--target", fifoDir.filePath("dir.json"), "--process", "vp", "--sampler", "ode-heun", "--n", "10", "--out", out},
       "dir.json: is not a regular file (it is a directory); expected a regular mixture file"},
  };
  for (const auto& c : cases) {
    const Run run = scorescopeRun(c.args, 20000);
    QVERIFY2(run.exitCode == 2, qPrintable(QString::number(run.exitCode) + ": " + run.err));  // -2: hung
    QVERIFY2(run.err.contains(c.message), qPrintable(run.err));
    QCOMPARE(run.err.trimmed().count('\n'), 0);
    QVERIFY(!QFile::exists(out));
  }
}

// Echoed input is printable ASCII only: bytes of a binary file (escape sequences, UTF-8 or
// not) used to reach the terminal raw.
void TestCli::clipEchoesPrintableAsciiOnly() {
  const auto printable = [](const QString& text) {
    return std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() >= 0x20 && c.unicode() <= 0x7E; });
  };
  QRandomGenerator random(20240611);
  for (int trial = 0; trial < 2000; ++trial) {
    QByteArray bytes(random.bounded(0, 130), '\0');
    for (char& b : bytes) b = static_cast<char>(random.bounded(256));
    const QString clipped = io::clip(bytes);
    QVERIFY2(printable(clipped), qPrintable(QString::fromLatin1(bytes.toHex())));
    QCOMPARE(clipped.size(), bytes.size() > 60 ? 63 : bytes.size());
    QCOMPARE(clipped.endsWith("..."), bytes.size() > 60);
    for (qsizetype i = 0; i < std::min<qsizetype>(bytes.size(), 60); ++i) {
      const auto b = static_cast<unsigned char>(bytes[i]);
      QCOMPARE(clipped[i], b >= 0x20 && b <= 0x7E ? QChar(b) : QChar(u'?'));
    }
    QString units(random.bounded(0, 130), QChar());
    for (QChar& c : units) c = QChar(static_cast<char16_t>(random.bounded(0x10000)));
    const QString clippedUnits = io::clip(units);
    QVERIFY(printable(clippedUnits));
    QCOMPARE(clippedUnits.size(), units.size() > 60 ? 63 : units.size());
  }
  QCOMPARE(io::clip(QByteArray("ok \x1b[31mred\xc3\xa9\x7f")), QString("ok ?[31mred???"));
  QCOMPARE(io::clip(QString::fromUtf8("caf\xc3\xa9\ttab")), QString("caf??tab"));

  // End to end: a CSV line of random bytes is quoted as printable ASCII.
  QByteArray line(200, '\0');
  for (char& b : line) b = static_cast<char>(random.bounded(256));
  line.replace('\n', 'n').replace('\r', 'r').replace(',', 'c');
  writeText(path("binary.csv"), "x,y\n" + line + ",0\n");
  const Run run = scorescopeRun({"score", "--target", "rings", "--process", "vp", "--t", "0.5", "--points",
                                 path("binary.csv"), "--out", path("binary-out.csv")});
  QCOMPARE(run.exitCode, 2);
  QVERIFY2(run.err.contains("line 2: expected two finite numbers x,y, got '"), qPrintable(run.err));
  QVERIFY2(printable(run.err.trimmed()), qPrintable(run.err));
  QVERIFY(!QFile::exists(path("binary-out.csv")));
}

void TestCli::unknownCommandListsCommands() {
  // Used to open the viewport (and wait for a window to close): a short timeout catches that.
  const Run run = scorescopeRun({"smaple", "--n", "10"}, 20000);
  QCOMPARE(run.exitCode, 2);
  QVERIFY2(run.err.contains("unknown command 'smaple'"), qPrintable(run.err));
  QVERIFY2(run.err.contains("sample, train, forward, score, nll, bench"), qPrintable(run.err));
  QCOMPARE(run.err.trimmed().count('\n'), 0);
}

// The command line may guide any sampler, Langevin included (the lessons' sampler sets bind
// scene files and the viewport only): 2000 samples towards class 2 of gmm8-ring, whose mode is
// at (0, 3); the sample mean is within 0.5 of it (its standard error is ~0.01).
void TestCli::langevinTowardsAClassSamplesThatClass() {
  const QString out = path("langevin-class.csv");
  const Run run = scorescopeRun({"sample", "--target", "gmm8-ring", "--process", "vp", "--sampler", "langevin", "--steps", "300",
                                 "--class", "2", "--n", "2000", "--seed", "0", "--out", out});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  const auto rows = test::readCsv(out);
  QCOMPARE(rows.size(), std::size_t(2000));
  double mx = 0.0, my = 0.0;
  for (const auto& r : rows) {
    mx += r.at("x").toDouble() / 2000.0;
    my += r.at("y").toDouble() / 2000.0;
  }
  QVERIFY2(std::hypot(mx, my - 3.0) < 0.5, qPrintable(QString("mean (%1, %2)").arg(mx).arg(my)));
}

void TestCli::viewportArgumentsStillGoToTheViewport() {
  const auto args = [](const QStringList& rest) { return QStringList{"scorescope"} + rest; };
  QVERIFY(!cli::isCommand(args({})));
  QVERIFY(!cli::isCommand(args({"--lesson", "3"})));
  QVERIFY(!cli::isCommand(args({"-widget-viewport"})));
  QVERIFY(!cli::isCommand(args({"scene.json"})));
  QVERIFY(cli::isCommand(args({"smaple"})));
  QVERIFY(cli::isCommand(args({"sample", "--n", "3"})));
  QVERIFY(cli::isCommand(args({"--help"})));
  QVERIFY(cli::isCommand(args({"help"})));
}

void TestCli::benchMissingBaselineFails() {
  const Run run = scorescopeRun({"bench", "--baseline", path("MISSING.py"), "--particles", "10", "--steps", "2",
                                 "--repeats", "1"});
  QCOMPARE(run.exitCode, 2);
  QVERIFY2(run.err.contains("--baseline: script not found") && run.err.contains("MISSING.py"), qPrintable(run.err));
  QVERIFY2(run.out.isEmpty(), qPrintable(run.out));  // checked before the timed runs
  QCOMPARE(run.err.trimmed().count('\n'), 0);
}

// One timed training step, no baseline: the table has our row, the GEMM reference and their ratio.
void TestCli::benchTrainRuns() {
  const Run run = scorescopeRun({"bench", "train", "--steps", "1", "--repeats", "1", "--threads", "1", "--no-baseline"});
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  QVERIFY2(run.out.contains("MLP 18-128-128-128-2") && run.out.contains("batch 1024") && run.out.contains("1 threads"),
           qPrintable(run.out));
  static const QRegularExpression ours(R"(scorescope \(C\+\+/Eigen\)\s+(\d+\.\d+)\s+(\S+)\s+(\d+\.\d))");
  const QRegularExpressionMatch row = ours.match(run.out);
  QVERIFY2(row.hasMatch() && row.captured(1).toDouble() > 0.0 && row.captured(3).toDouble() > 0.0, qPrintable(run.out));
  QVERIFY2(run.out.contains(QRegularExpression(R"(plain Eigen GEMM, fwd shapes\s+\d+\.\d)")), qPrintable(run.out));
  QVERIFY2(run.out.contains(QRegularExpression(R"(training step / plain GEMM rate: \d+%)")), qPrintable(run.out));
  QVERIFY2(!run.out.contains("pytorch"), qPrintable(run.out));
}

// The mode is the first argument (pfode by default); an unknown one, or a missing --baseline of
// the train mode, is one line and exit 2 before anything is timed.
void TestCli::benchModes() {
  const Run unknown = scorescopeRun({"bench", "trian", "--steps", "1"});
  QCOMPARE(unknown.exitCode, 2);
  QVERIFY2(unknown.err.contains("unknown mode 'trian'; expected pfode (the default), train, quality, pointset or export"), qPrintable(unknown.err));
  QCOMPARE(unknown.err.trimmed().count('\n'), 0);
  const Run missing = scorescopeRun({"bench", "train", "--baseline", path("MISSING.py"), "--steps", "1", "--repeats", "1"});
  QCOMPARE(missing.exitCode, 2);
  QVERIFY2(missing.err.contains("--baseline: script not found") && missing.err.contains("MISSING.py"), qPrintable(missing.err));
  QVERIFY2(missing.out.isEmpty(), qPrintable(missing.out));
  for (const char* mode : {"pfode", "train"}) {
    const Run help = scorescopeRun({"bench", mode, "--help"});
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.out.contains(QStringLiteral("scorescope bench %1").arg(mode == QString("pfode") ? "[pfode]" : "train")) &&
                 help.out.contains("--no-baseline"),
             qPrintable(help.out));
  }
  const Run extra = scorescopeRun({"bench", "train", "--steps", "1", "more"});
  QCOMPARE(extra.exitCode, 2);
  QVERIFY2(extra.err.contains("unexpected argument 'more'"), qPrintable(extra.err));
}

void TestCli::nonFiniteResultsAreNeverWritten() {
  // The last check of every command's output (validated inputs keep results finite, so this
  // calls the writer the commands use directly).
  const QString out = path("nonfinite.csv");
  QFile::remove(out);
  const Eigen::VectorXd good = Eigen::VectorXd::Ones(3);
  Eigen::VectorXd bad = good;
  bad(1) = std::numeric_limits<double>::quiet_NaN();
  QString error = io::writeCsv(out, {"x", "y", "nll"}, {&good, &good, &bad});
  QVERIFY2(error.contains("non-finite values (column nll)"), qPrintable(error));
  QVERIFY(!QFile::exists(out));
  bad(1) = std::numeric_limits<double>::infinity();
  QVERIFY(!io::writeCsv(out, {"x", "y"}, {&bad, &good}).isEmpty());
  QVERIFY(!QFile::exists(out));
  QVERIFY(io::writeCsv(out, {"x", "y"}, {&good, &good}).isEmpty());
  QVERIFY(QFile::exists(out));
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
