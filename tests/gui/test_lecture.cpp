// Lecture mode in the main window: every built-in scene opens and renders a frame that is
// neither empty nor uniform; the built-in course steps forward on Page Down (what clickers
// send) and back on Page Up, and Home/End jump; a scene saved and opened again is the same
// scene; a bad file is refused with its JSON path and leaves the scene on show as it was; the
// title names the scene and marks unsaved changes; a dropped file opens. Needs a GL context
// (xvfb-run in CI).
#include <QApplication>
#include <QDir>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QKeyEvent>
#include <QMimeData>
#include <QProgressDialog>
#include <QTimer>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <set>

#include "gl_test_main.hpp"
#include "export/export_settings.hpp"
#include "gui/export_dialog.hpp"
#include "gui/main_window.hpp"
#include "gui/viewport_window.hpp"
#include "io/lecture_file.hpp"
#include "io/scene_file.hpp"

using namespace scorescope;
using namespace scorescope::gui;

namespace {

// Distinct colours among a grid of samples of the canvas (right of the sidebar).
int distinctColours(const QImage& image) {
  std::set<QRgb> colours;
  for (int y = 10; y < image.height() - 70; y += 7) {
    for (int x = 340; x < image.width(); x += 7) colours.insert(image.pixel(x, y) & 0xF0F0F0u);
  }
  return static_cast<int>(colours.size());
}

}  // namespace

class TestLecture : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<MainWindow> w_;
  QTemporaryDir dir_;

  Session& session() { return w_->viewport()->session(); }
  void key(Qt::Key k) {
    QTest::keyClick(w_->viewport(), k);
    QApplication::processEvents();
  }

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("ScorescopeTests");  // recent files stay out of the user's
    QSettings().clear();
    w_ = std::make_unique<MainWindow>();
    w_->resize(1280, 760);
    w_->show();
    QElapsedTimer t;
    t.start();
    while (!w_->viewport()->ready() && t.elapsed() < 10000) QApplication::processEvents(QEventLoop::AllEvents, 20);
    if (!w_->viewport()->ready()) SCORESCOPE_GL_UNAVAILABLE("no OpenGL 3.3 context");
  }

  void everyBuiltInSceneOpensAndRendersAPicture() {
    const QStringList scenes = MainWindow::builtInScenes();
    QVERIFY2(scenes.size() >= 13, qPrintable(QString::number(scenes.size())));
    // The benchmark scene is not a slide (it stays out of the menu) but must open all the same.
    QVERIFY(!scenes.contains(":/scenes/benchmark-pfode-100k.json"));
    for (const QString& path : scenes + QStringList{":/scenes/benchmark-pfode-100k.json"}) {
      const QString error = w_->openFile(path);
      QVERIFY2(error.isEmpty(), qPrintable(error));
      QVERIFY2(session().plan().ok(), qPrintable(path + ": " + QString::fromStdString(session().status())));
      QVERIFY2(session().scene().display.playback.playing, qPrintable(path + " does not open playing"));
      session().waitForRuns();
      QVERIFY2(session().status().empty() || session().status() == "sampling...",
               qPrintable(path + ": " + QString::fromStdString(session().status())));
      const QImage image = w_->viewport()->grabFrame();
      QVERIFY2(!image.isNull(), qPrintable(path));
      const int colours = distinctColours(image);
      QVERIFY2(colours > 12, qPrintable(path + QStringLiteral(": only %1 colours").arg(colours)));
      const QStringList changed = [&] {
        QStringList fields;
        Scene saved;
        QString ignored;
        saved = io::readSceneFile(path, ignored)->scene;
        for (const std::string& f : changedSceneFields(saved, session().scene())) fields << QString::fromStdString(f);
        return fields;
      }();
      QVERIFY2(!w_->document().modified(session().scene()), qPrintable(path + " is modified after opening: " + changed.join(", ")));
    }
  }

  void theCourseStepsOnPageDownAndBack() {
    QCOMPARE(w_->openFile(MainWindow::builtInCourse()), QString());
    QVERIFY(w_->lecture().has_value());
    const std::vector<io::LectureSlide>& slides = w_->lecture()->slides;
    QVERIFY(slides.size() >= 13);
    QCOMPARE(w_->slide(), 0);
    QVERIFY(session().scene().sampled == slides[0].scene.sampled);
    QVERIFY(w_->windowTitle().contains("1/"));
    w_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(w_.get()));
    key(Qt::Key_PageDown);
    QCOMPARE(w_->slide(), 1);
    QVERIFY(session().scene().sampled == slides[1].scene.sampled);
    QVERIFY(w_->windowTitle().contains(slides[1].title));
    // Full screen hides the window title: the canvas names the slide for a moment.
    QCOMPARE(QString::fromStdString(w_->viewport()->controller().banner()),
             QString("2 / %1   %2").arg(slides.size()).arg(slides[1].title));
    key(Qt::Key_PageDown);
    key(Qt::Key_PageUp);
    QCOMPARE(w_->slide(), 1);
    key(Qt::Key_End);
    QCOMPARE(w_->slide(), static_cast<int>(slides.size()) - 1);
    key(Qt::Key_PageDown);  // stays on the last slide
    QCOMPARE(w_->slide(), static_cast<int>(slides.size()) - 1);
    key(Qt::Key_Home);
    QCOMPARE(w_->slide(), 0);
    key(Qt::Key_Right);
    QCOMPARE(w_->slide(), 1);
    // A change made on a slide is left behind: coming back shows the slide as its file holds it.
    session().edit([](Scene& s) { s.sampled.particles = 777; });
    key(Qt::Key_PageDown);
    key(Qt::Key_PageUp);
    QVERIFY(session().scene().sampled == slides[1].scene.sampled);
  }

  void aSavedSceneOpensAsItWas() {
    QCOMPARE(w_->openFile(":/scenes/06-reverse-sde-vs-pf-ode.json"), QString());
    QVERIFY(!w_->lecture().has_value());
    QVERIFY(w_->document().path().isEmpty());  // built in: Save asks where to
    session().edit([](Scene& s) {
      s.sampled.particles = 4321;
      s.display.camera.halfExtent = 3.0;
    });
    QVERIFY(w_->document().modified(session().scene()));
    QVERIFY(w_->isWindowModified());
    const QString path = dir_.filePath("mine.json");
    QCOMPARE(w_->saveScene(path), QString());
    QVERIFY(!w_->isWindowModified());
    QCOMPARE(w_->document().path(), path);
    const Scene saved = session().scene();
    session().edit([](Scene& s) { s.sampled.particles = 99; });
    QCOMPARE(w_->openFile(path), QString());
    QVERIFY(session().scene().sampled == saved.sampled);
    QCOMPARE(session().scene().display.camera.halfExtent, 3.0);
    QVERIFY(w_->windowTitle().startsWith(w_->document().name()));
    QVERIFY(QSettings().value("recentFiles").toStringList().contains(QFileInfo(path).absoluteFilePath()));
    // Playing is not an edit.
    session().timeline().scrubTo(0.7);
    QVERIFY(!w_->document().modified(session().scene()));
  }

  void aBadFileIsRefusedAndTheSceneStays() {
    const Scene before = session().scene();
    const QString bad = dir_.filePath("bad.json");
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"format\": \"scorescope-scene\", \"sampled\": {\"lesson\": 4, \"sampler\": {\"steps\": 0}}}");
    file.close();
    const QString error = w_->openFile(bad);
    QVERIFY2(error.contains("sampled.sampler.steps: expected"), qPrintable(error));
    QVERIFY2(error.startsWith(bad), qPrintable(error));
    QVERIFY(session().scene().sampled == before.sampled);
    QVERIFY(!w_->openFile(dir_.filePath("absent.json")).isEmpty());
    QVERIFY(session().scene().sampled == before.sampled);
  }

  void aLecturesSlidesAndFieldsAreCheckedAsSceneFilesAre() {
    QTemporaryDir dir;
    const auto write = [&](const QString& name, const QByteArray& text) {
      QFile f(dir.filePath(name));
      if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write");
      f.write(text);
      return dir.filePath(name);
    };
    write("good.json", io::sceneToJson(Scene{}));
    // A slide whose scene cannot run (class 9 of gmm8-ring) is refused when the lecture opens.
    Scene guided;
    guided.sampled = enterLesson(guided.sampled, Lesson::Guidance);
    guided.sampled.guidance.label = 9;
    const QString badScene = write("class9.json", io::sceneToJson(guided));
    QString error;
    const QString lecture = write("l.json", "{\"format\": \"scorescope-lecture\", \"scenes\": [{\"file\": \"good.json\"}, {\"file\": \"class9.json\"}]}");
    QVERIFY(!io::readLectureFile(lecture, error));
    QCOMPARE(error, lecture + ": scenes[1]: " + badScene + ": sampled.guidance.label: expected a class of the target in [0, 7], got 9");
    // A slide in a lesson its sampler does not fit, and a mixture file given as a slide.
    Scene ddim;
    ddim.sampled = enterLesson(ddim.sampled, Lesson::Langevin);
    ddim.sampled.sampler = defaultSamplerSettings(SamplerKind::Ddim);
    write("ddim.json", io::sceneToJson(ddim));
    write("l2.json", "{\"format\": \"scorescope-lecture\", \"scenes\": [{\"file\": \"ddim.json\"}]}");
    QVERIFY(!io::readLectureFile(dir.filePath("l2.json"), error));
    QVERIFY2(error.contains(": scenes[0]: ") && error.endsWith("ddim.json: sampled.sampler.kind: expected a sampler of lesson 3 (langevin, annealed-langevin), got ddim"), qPrintable(error));
    // The lecture's own fields.
    struct Case {
      QByteArray json;
      QString message;
    };
    for (const Case& c : {Case{"{\"format\": \"scorescope-lecture\", \"version\": \"one\", \"scenes\": [{\"file\": \"good.json\"}]}", "version: expected an integer >= 1, got \"one\""},
                          Case{"{\"format\": \"scorescope-lecture\", \"version\": 0, \"scenes\": [{\"file\": \"good.json\"}]}", "version: expected an integer >= 1, got 0"},
                          Case{"{\"format\": \"scorescope-lecture\", \"version\": 1.5, \"scenes\": [{\"file\": \"good.json\"}]}", "version: expected an integer >= 1, got 1.5"},
                          Case{"{\"format\": \"scorescope-lecture\", \"title\": 5, \"scenes\": [{\"file\": \"good.json\"}]}", "title: expected a string, got 5"},
                          Case{"{\"format\": \"scorescope-lecture\", \"scenes\": [{\"file\": \"good.json\", \"title\": [1]}]}", "scenes[0].title: expected a string, got an array"}}) {
      const QString path = write("meta.json", c.json);
      QVERIFY(!io::readLectureFile(path, error));
      QCOMPARE(error, path + ": " + c.message);
    }
    const QString ok = write("ok.json", "{\"format\": \"scorescope-lecture\", \"version\": 1, \"title\": \"T\", \"scenes\": [{\"file\": \"good.json\", \"title\": \"S\"}]}");
    const std::optional<io::Lecture> read = io::readLectureFile(ok, error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->slides.front().title, QString("S"));
  }

  void aDroppedFileOpens() {
    Scene s;
    s.sampled.lesson = Lesson::ForwardNoising;
    s.sampled.particles = 1234;
    const QString path = dir_.filePath("dropped.json");
    QCOMPARE(io::writeSceneFile(path, s, "Dropped"), QString());
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(path)});
    QDropEvent drop(QPointF(600, 300), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w_->viewport(), &drop);
    QCOMPARE(session().scene().sampled.particles, 1234);
    QCOMPARE(w_->document().name(), QString("Dropped"));
  }

  void helpListsEveryShortcut() {
    const auto list = w_->shortcutList();
    QStringList keys;
    for (const auto& [k, what] : list) keys << k;
    for (const char* k : {"PgDown", "PgUp", "Home", "End", "Space", "F11", "Ctrl+S", "Ctrl+O"}) {
      QVERIFY2(keys.join(' ').contains(k), k);
    }
  }

  // File > Export: a picture of the plot at another size, a cancelled GIF that leaves nothing,
  // and a bad folder refused with its reason while the window goes on rendering.
  void theExportDialogWritesThePlotAndCancelLeavesNothing() {
    QCOMPARE(w_->openFile(":/scenes/02-ve-vs-vp.json"), QString());
    session().waitForRuns();
    QTemporaryDir dir;
    exporting::ExportSettings s;
    s.format = exporting::ExportFormat::Png;
    s.out = dir.filePath("plot.png");
    s.width = 640;
    s.height = 360;
    {
      ExportDialog dialog(w_->viewport(), w_.get());
      dialog.setForm(s);
      QCOMPARE(dialog.run(), QString());
    }
    const QImage picture(s.out);
    QCOMPARE(picture.size(), QSize(640, 360));
    std::set<QRgb> colours;
    for (int y = 0; y < picture.height(); y += 5) {
      for (int x = 0; x < picture.width(); x += 5) colours.insert(picture.pixel(x, y) & 0xF0F0F0u);
    }
    QVERIFY2(colours.size() > 20, qPrintable(QString("%1 colours").arg(colours.size())));

    s.format = exporting::ExportFormat::Gif;
    s.out = dir.filePath("cancelled.gif");
    s.seconds = 20.0;
    {
      ExportDialog dialog(w_->viewport(), w_.get());
      dialog.setForm(s);
      int polls = 0;
      QTimer cancel;
      cancel.setInterval(50);
      connect(&cancel, &QTimer::timeout, [&] {
        auto* progress = dialog.findChild<QProgressDialog*>();
        if (progress && progress->value() >= 5) progress->cancel();
        ++polls;
      });
      cancel.start();
      QCOMPARE(dialog.run(), QString("cancelled"));
      QVERIFY(polls > 0);
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{"plot.png"});

    s.format = exporting::ExportFormat::Png;
    s.out = dir.filePath("no-such-folder/plot.png");
    {
      ExportDialog dialog(w_->viewport(), w_.get());
      dialog.setForm(s);
      const QString error = dialog.run();
      QVERIFY2(error.startsWith("out: the folder ") && error.endsWith("no-such-folder does not exist"), qPrintable(error));
    }
    QVERIFY(distinctColours(w_->viewport()->grabFrame()) > 20);  // the window still draws
  }

  void cleanupTestCase() { w_.reset(); }
};

SCORESCOPE_GL_TEST_MAIN(TestLecture)
#include "test_lecture.moc"
