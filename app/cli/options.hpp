#pragma once
// Reading and range-checking command-line values; every failure becomes one line of the form
// "--name: expected <allowed>, got '<value>'".
#include <QCommandLineParser>
#include <QString>
#include <memory>

#include "scorescope/process.hpp"
#include "scorescope/scene.hpp"
#include "scorescope/target.hpp"

namespace scorescope::cli {

class OptionReader {
 public:
  explicit OptionReader(const QCommandLineParser& parser) : parser_(parser) {}

  bool failed() const { return !error_.isEmpty(); }
  const QString& error() const { return error_; }
  void fail(const QString& message) {
    if (error_.isEmpty()) error_ = message;
  }

  QString text(const QString& name, bool required = false);
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
