// Export: `scorescope render` and the ExportJob behind it and the Export dialog. MP4 and GIF
// that ffprobe reads with the right frame count and size, byte-identical repeats, an exported
// frame equal to the window's own screenshot of the same scene, size and time, and the failures
// (cancel, ffmpeg killed mid-run, a vanished folder, no ffmpeg, bad flags) that must leave no
// file under the final name and keep the process running. The in-process tests render in a
// surfaceless EGL context (no display); the screenshot comparison runs the app under the test's
// display (CI: xvfb-run).
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>

#include "export/export_job.hpp"
#include "export/frame_sink.hpp"
#include "gl_test_main.hpp"
#include "io/scene_file.hpp"
#include "render/headless_context.hpp"

using namespace scorescope;
using namespace scorescope::exporting;

namespace {

struct Run {
  int exitCode = -1;
  QString out, err;
};

// The app with `args`; without QT_QPA_PLATFORM (the suite runs on offscreen, the window under
// the test's display) and, when `path` is given, with that PATH.
Run app(const QStringList& args, const QString& path = {}) {
  QProcess process;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove("QT_QPA_PLATFORM");
  if (!path.isNull()) env.insert("PATH", path);
  process.setProcessEnvironment(env);
  process.setWorkingDirectory(QDir::tempPath());
  process.start(SCORESCOPE_BINARY, args);
  if (!process.waitForFinished(300000)) {
    process.kill();
    process.waitForFinished();
    return {-2, {}, "timed out: " + args.join(' ')};
  }
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

QString scene(const char* name) { return QString(SCORESCOPE_SOURCE_DIR) + "/resources/scenes/" + name + ".json"; }

// ffprobe's decoded frame count and size of the video stream: "W,H,N".
QString probe(const QString& file) {
  QProcess p;
  p.start("ffprobe", {"-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                      "stream=width,height,nb_read_frames", "-of", "csv=p=0", file});
  p.waitForFinished(60000);
  return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

QByteArray bytes(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList entries(const QString& dir) { return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot); }

// Waits (up to 10 s) until something appears in `dir`: ffmpeg creates its output only once the
// first frames are encoded, and a test of what cancel removes needs something to remove.
bool waitForEntries(const QString& dir) {
  for (int i = 0; i < 200 && entries(dir).isEmpty(); ++i) QTest::qWait(50);
  return !entries(dir).isEmpty();
}

Scene sceneFrom(const char* name) {
  QString error;
  const std::optional<io::SceneFile> file = io::readSceneFile(scene(name), error);
  if (!file) qFatal("%s", qPrintable(error));
  return file->scene;
}

}  // namespace

class TestExport : public QObject {
  Q_OBJECT
  std::unique_ptr<render::HeadlessContext> context_;

 private slots:
  void initTestCase() {
    context_ = std::make_unique<render::HeadlessContext>();
    if (!context_->ok()) SCORESCOPE_GL_UNAVAILABLE(context_->error().c_str());
    QVERIFY2(!findFfmpeg().isEmpty(), "ffmpeg is needed by this suite (Debian: ffmpeg)");
  }

  void cleanupTestCase() { context_.reset(); }

  void mp4AndGifHoldTheirFramesAtTheirSize() {
    QTemporaryDir dir;
    const Run mp4 = app({"render", scene("06-reverse-sde-vs-pf-ode"), "--out", dir.filePath("a.mp4"), "--seconds", "0.5",
                         "--fps", "10", "--size", "320x180"});
    QVERIFY2(mp4.exitCode == 0, qPrintable(mp4.err));
    QCOMPARE(probe(dir.filePath("a.mp4")), QString("320,180,5"));
    QVERIFY2(mp4.out.contains("wrote") && mp4.err.contains("frame 5 / 5 (100%)"), qPrintable(mp4.out + mp4.err));
    const Run gif = app({"render", scene("02-ve-vs-vp"), "--out", dir.filePath("a.gif"), "--seconds", "0.4", "--fps", "10",
                         "--size", "200x120"});
    QVERIFY2(gif.exitCode == 0, qPrintable(gif.err));
    QCOMPARE(probe(dir.filePath("a.gif")), QString("200,120,4"));
    // Nothing but the outputs: no partial files left beside them.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot), (QStringList{"a.gif", "a.mp4"}));
  }

  void twoExportsOfASceneAreByteIdentical() {
    QTemporaryDir dir;
    for (const char* name : {"a", "b"}) {
      const Run r = app({"render", scene("05-langevin-unequal-weights"), "--out", dir.filePath(QString(name) + ".mp4"),
                         "--seconds", "0.3", "--fps", "10", "--size", "256x144"});
      QVERIFY2(r.exitCode == 0, qPrintable(r.err));
      const Run f = app({"render", scene("05-langevin-unequal-weights"), "--out", dir.filePath(name), "--seconds", "0.3",
                         "--fps", "10", "--size", "256x144"});
      QVERIFY2(f.exitCode == 0, qPrintable(f.err));
    }
    QVERIFY(!bytes(dir.filePath("a.mp4")).isEmpty());
    QVERIFY(bytes(dir.filePath("a.mp4")) == bytes(dir.filePath("b.mp4")));
    const QStringList frames = QDir(dir.filePath("a")).entryList(QDir::Files);
    QCOMPARE(frames, (QStringList{"frame-00000.png", "frame-00001.png", "frame-00002.png"}));
    for (const QString& f : frames) QVERIFY2(bytes(dir.filePath("a/" + f)) == bytes(dir.filePath("b/" + f)), qPrintable(f));
    // The frames move: an animation, not one picture three times.
    QVERIFY(bytes(dir.filePath("a/frame-00000.png")) != bytes(dir.filePath("a/frame-00002.png")));
  }

  // The window's screenshot (panels hidden) and the export of the same scene, size and time.
  void anExportedFrameIsWhatTheWindowShows() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QFAIL("needs a display for the window (run under xvfb-run)");
    QTemporaryDir dir;
    for (const char* name : {"02-ve-vs-vp", "10-classifier-guidance"}) {
      const QString shot = dir.filePath(QString(name) + "-window.png"), frame = dir.filePath(QString(name) + "-export.png");
      const Run window = app({scene(name), "--no-panels", "--size", "800x450", "--position", "0.5", "--screenshot", shot});
      QVERIFY2(window.exitCode == 0, qPrintable(window.err));
      const Run render = app({"render", scene(name), "--out", frame, "--size", "800x450", "--start", "0.5"});
      QVERIFY2(render.exitCode == 0, qPrintable(render.err));
      const QImage a = QImage(shot).convertToFormat(QImage::Format_RGB32), b = QImage(frame).convertToFormat(QImage::Format_RGB32);
      QCOMPARE(a.size(), QSize(800, 450));
      QCOMPARE(b.size(), a.size());
      // The same renderers on the same rasteriser: equal but for a stray rounding difference.
      long long differing = 0;
      for (int y = 0; y < a.height(); ++y) {
        for (int x = 0; x < a.width(); ++x) {
          const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
          const int d = std::max({std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)), std::abs(qBlue(p) - qBlue(q))});
          if (d > 8) ++differing;
        }
      }
      QVERIFY2(differing <= a.width() * a.height() / 1000, qPrintable(QString("%1: %2 pixels differ").arg(name).arg(differing)));
    }
  }

  void cancelLeavesNoFile() {
    for (const char* out : {"c.mp4", "c.gif", "frames", "c.png"}) {
      QTemporaryDir dir;
      ExportSettings s;
      s.out = dir.filePath(out);
      QString error;
      QVERIFY(formatFromPath(s.out, s.format, error));
      s.width = 160;
      s.height = 90;
      s.seconds = 2.0;
      ExportJob job(sceneFrom("02-ve-vs-vp"), {}, s);
      QCOMPARE(job.start(), QString());
      for (int i = 0; i < 20 && job.step();) ++i;
      // Something was written, under a temporary name (a PNG's QSaveFile may write an unnamed
      // O_TMPFILE, linked only at commit, so it has no name to see).
      if (s.format != ExportFormat::Png) QVERIFY2(waitForEntries(dir.path()), out);
      QVERIFY2(!QFileInfo::exists(s.out), out);
      job.cancel();
      QVERIFY2(entries(dir.path()).isEmpty(), qPrintable(QString(out) + ": " + entries(dir.path()).join(", ")));
    }
  }

  void ffmpegKilledMidRunIsAClearErrorAndLeavesNothing() {
    QTemporaryDir dir;
    ExportSettings s;
    s.out = dir.filePath("k.mp4");
    s.format = ExportFormat::Mp4;
    s.width = 160;
    s.height = 90;
    s.seconds = 20.0;
    ExportJob job(sceneFrom("02-ve-vs-vp"), {}, s);
    QCOMPARE(job.start(), QString());
    for (int i = 0; i < 20; ++i) QVERIFY(job.step());
    QVERIFY(waitForEntries(dir.path()));
    // Our ffmpeg is the one writing our hidden partial file.
    QCOMPARE(QProcess::execute("pkill", {"-KILL", "-f", QString("k.mp4.partial-%1").arg(QCoreApplication::applicationPid())}), 0);
    bool more = true;
    for (int i = 0; i < 100 && more; ++i) more = job.step();
    QVERIFY2(!more && job.error().contains("ffmpeg was killed"), qPrintable(job.error()));
    QVERIFY2(entries(dir.path()).isEmpty(), qPrintable(entries(dir.path()).join(", ")));
  }

  void aFolderThatVanishesIsAClearError() {
    QTemporaryDir dir;
    const QString folder = dir.filePath("gone");
    QVERIFY(QDir().mkpath(folder));
    ExportSettings s;
    s.out = folder + "/v.png";
    s.format = ExportFormat::Png;
    s.width = 160;
    s.height = 90;
    ExportJob job(sceneFrom("02-ve-vs-vp"), {}, s);
    QCOMPARE(job.start(), QString());
    QVERIFY(QDir(folder).removeRecursively());
    while (job.step()) {
    }
    const QString error = job.error().isEmpty() ? job.finish() : job.error();
    QVERIFY2(error.contains("cannot write") && error.contains("v.png"), qPrintable(error));
    QVERIFY(!QFileInfo::exists(folder));
  }

  void badRequestsNameTheField_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString dir = QDir::tempPath();
    const QString ok = scene("02-ve-vs-vp");
    QTest::newRow("no out") << QStringList{"render", ok} << "--out: required";
    QTest::newRow("no scene") << QStringList{"render", "--out", dir + "/x.mp4"} << "expected one scene file";
    QTest::newRow("missing scene") << QStringList{"render", dir + "/no-such-scene.json", "--out", dir + "/x.mp4"} << "no-such-scene.json";
    QTest::newRow("a lecture") << QStringList{"render", QString(SCORESCOPE_SOURCE_DIR) + "/resources/lectures/diffusion-course.json",
                                              "--out", dir + "/x.mp4"} << "is a lecture";
    QTest::newRow("format") << QStringList{"render", ok, "--out", dir + "/x.avi"} << "--out: expected a .png, .gif or .mp4 file or a folder";
    QTest::newRow("tiny") << QStringList{"render", ok, "--out", dir + "/x.mp4", "--size", "8x8"} << "--size: expected WxH with each side in [16, 8192], got 8x8";
    QTest::newRow("odd mp4") << QStringList{"render", ok, "--out", dir + "/x.mp4", "--size", "321x180"} << "needs an even width and height";
    QTest::newRow("not a size") << QStringList{"render", ok, "--out", dir + "/x.mp4", "--size", "big"} << "--size: expected WxH";
    QTest::newRow("fps") << QStringList{"render", ok, "--out", dir + "/x.mp4", "--fps", "0"} << "--fps: expected a number in [1, 120], got '0'";
    QTest::newRow("seconds") << QStringList{"render", ok, "--out", dir + "/x.mp4", "--seconds", "nan"} << "--seconds: expected a number";
    QTest::newRow("start") << QStringList{"render", ok, "--out", dir + "/x.png", "--start", "2"} << "--start: expected a number in [0, 1], got '2'";
    QTest::newRow("crf") << QStringList{"render", ok, "--out", dir + "/x.mp4", "--quality", "60"} << "quality: MP4 takes x264's CRF in [0, 51]";
    QTest::newRow("colours") << QStringList{"render", ok, "--out", dir + "/x.gif", "--quality", "1"} << "quality: GIF takes the palette size in [2, 256]";
    QTest::newRow("no folder") << QStringList{"render", ok, "--out", "/no/such/folder/x.mp4"} << "the folder /no/such/folder does not exist";
    QTest::newRow("folder not empty") << QStringList{"render", ok, "--out", QString(SCORESCOPE_SOURCE_DIR) + "/resources"} << "exists and is not empty";
    QTest::newRow("gif too long") << QStringList{"render", ok, "--out", dir + "/x.gif", "--size", "1280x720", "--seconds", "10"}
                                  << "a GIF holds all its frames in memory";
    QTest::newRow("unwritable") << QStringList{"render", ok, "--out", "/proc/x.mp4"} << "--out: cannot create files in /proc";
    QTest::newRow("lesson 6 without a model") << QStringList{"render", scene("13-learn-the-score"), "--out", dir + "/x.png"}
                                              << "lesson 6 shows a learned score and there is none";
    QTest::newRow("a folder for mp4") << QStringList{"render", ok, "--out", dir + "/"} << "";  // a folder: PNG frames; checked below
  }
  void badRequestsNameTheField() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    if (message.isEmpty()) return;  // the last row only documents that "dir/" means PNG frames
    const Run r = app(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith("scorescope render: ") && r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
  }

  // Ctrl+C or a kill mid-export: the partial output goes and ffmpeg stops with it.
  void aSignalStopsTheExportAndLeavesNothing() {
    QTemporaryDir dir;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("DISPLAY");
    process.setProcessEnvironment(env);
    process.start(SCORESCOPE_BINARY, {"render", scene("02-ve-vs-vp"), "--out", dir.filePath("s.mp4"), "--seconds", "120",
                                      "--size", "320x180"});
    QVERIFY(process.waitForStarted());
    QVERIFY(waitForEntries(dir.path()));  // ffmpeg has started writing the partial file
    process.terminate();                  // SIGTERM
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 128 + SIGTERM);
    QVERIFY2(QString::fromUtf8(process.readAllStandardError()).contains("stopped by signal"), "no message");
    QVERIFY2(entries(dir.path()).isEmpty(), qPrintable(entries(dir.path()).join(", ")));
  }

  void withoutFfmpegGifAndMp4SaySoAndPngStillWorks() {
    QTemporaryDir dir, empty;
    const Run mp4 = app({"render", scene("02-ve-vs-vp"), "--out", dir.filePath("x.mp4"), "--seconds", "0.1"}, empty.path());
    QCOMPARE(mp4.exitCode, 2);
    QVERIFY2(mp4.err.contains("need the ffmpeg program") && mp4.err.contains("apt-get install ffmpeg"), qPrintable(mp4.err));
    QVERIFY(!QFileInfo::exists(dir.filePath("x.mp4")));
    const Run png = app({"render", scene("02-ve-vs-vp"), "--out", dir.filePath("x.png"), "--size", "320x180"}, empty.path());
    QVERIFY2(png.exitCode == 0, qPrintable(png.err));
    QCOMPARE(QImage(dir.filePath("x.png")).size(), QSize(320, 180));
  }
};

SCORESCOPE_GL_TEST_MAIN(TestExport)
#include "test_export.moc"
