#pragma once
// main() for the GL suites: with no display at all, start Qt on the offscreen platform so the
// suite can run and QSKIP (no GL context can be made) instead of aborting at QApplication.
#include <QApplication>
#include <QTest>

#define SCORESCOPE_GL_TEST_MAIN(TestClass)                                                         \
  int main(int argc, char** argv) {                                                                \
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") && \
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {                                          \
      qputenv("QT_QPA_PLATFORM", "offscreen");                                                     \
    }                                                                                              \
    QApplication app(argc, argv);                                                                  \
    TestClass test;                                                                                \
    return QTest::qExec(&test, argc, argv);                                                        \
  }

// A GL suite with no context skips on a developer's machine, but in CI (CI=true, under xvfb-run)
// it fails: a suite that silently skips there could never catch anything.
#define SCORESCOPE_GL_UNAVAILABLE(message)                                       \
  do {                                                                           \
    if (qEnvironmentVariable("CI") == QLatin1String("true")) QFAIL(message);     \
    QSKIP(message);                                                              \
  } while (false)
