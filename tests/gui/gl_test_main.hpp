#pragma once
// main() for the GL suites: with no display at all, start Qt on the offscreen platform so the
// suite runs and reports "no GL context" through SCORESCOPE_GL_UNAVAILABLE (a failure, or a
// loud skip with SCORESCOPE_SKIP_GL_TESTS=1) instead of aborting at QApplication.
#include <QApplication>
#include <QString>
#include <QTest>
#include <cstdio>

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

// No OpenGL context means the suite FAILS: a GL suite that silently skips can never catch
// anything. Only with SCORESCOPE_SKIP_GL_TESTS=1 (a developer's machine without a usable GL; never
// in CI) does it skip instead, with a loud warning on stderr.
inline bool scorescopeSkipGlTests() {
  return qEnvironmentVariable("SCORESCOPE_SKIP_GL_TESTS") == QLatin1String("1");
}

#define SCORESCOPE_GL_UNAVAILABLE(message)                                                        \
  do {                                                                                            \
    if (!scorescopeSkipGlTests()) {                                                               \
      QFAIL(qPrintable(QStringLiteral("%1 (set SCORESCOPE_SKIP_GL_TESTS=1 to skip the GL suites "  \
                                      "instead, never in CI)").arg(QLatin1String(message))));     \
    }                                                                                             \
    std::fprintf(stderr,                                                                          \
                 "\n*** WARNING: SCORESCOPE_SKIP_GL_TESTS=1: SKIPPING GL tests of %s: %s.\n"      \
                 "*** Nothing was rendered or checked here; do not set this variable in CI. ***\n\n", \
                 QTest::currentAppName(), message);                                               \
    QSKIP(message);                                                                               \
  } while (false)
