#pragma once
// Reading and range-checking command-line values; every failure becomes one line of the form
// "--name: expected <allowed>, got '<value>'" (echoed values cut to 60 characters).
#include <QCommandLineParser>
#include <QString>
#include <memory>

#include "scorescope/process.hpp"
#include "scorescope/scene.hpp"
#include "scorescope/target.hpp"

namespace scorescope::cli {

// After QCommandLineParser::parse: an option given more than once or a positional argument, as
// one line, or empty. Every command checks this before reading values.
QString checkArguments(const QCommandLineParser& parser);

// One line for stderr: `message` with line breaks replaced, so it stays one line.
QString oneLine(const QString& message);

class OptionReader {
 public:
  explicit OptionReader(const QCommandLineParser& parser) : parser_(parser) {}

  bool failed() const { return !error_.isEmpty(); }
  const QString& error() const { return error_; }
  void fail(const QString& message) {
    if (error_.isEmpty()) error_ = message;
  }

  QString text(const QString& name, bool required = false);
  // The required --out: a path checked by io::checkOutputPath before any computation.
  QString outputPath();
  double number(const QString& name, double fallback, double min, double max);
  long long integer(const QString& name, long long fallback, long long min, long long max);
  // The required --t, a time in [0, 1].
  double time();

  // --target: a preset name or a mixture .json path, as the scene's target spec.
  TargetSpec targetSpec();
  // The target that spec describes (built by the planner's buildTarget).
  std::shared_ptr<const Target> target(std::uint64_t seed);
  ProcessKind process();

 private:
  const QCommandLineParser& parser_;
  QString error_;
};

}  // namespace scorescope::cli
