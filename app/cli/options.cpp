#include "cli/options.hpp"

#include <QFileInfo>
#include <cmath>

#include "io/mixture_json.hpp"
#include "io/text_file.hpp"
#include "scorescope/gaussian_mixture.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/scene_plan.hpp"

namespace scorescope::cli {

QString checkArguments(const QCommandLineParser& parser) {
  const QStringList names = parser.optionNames();  // as given, one entry per occurrence
  for (const QString& name : names) {
    if (names.count(name) > 1) {
      return QStringLiteral("--%1: given more than once; expected it at most once").arg(io::clip(name));
    }
  }
  if (!parser.positionalArguments().isEmpty()) {
    return "unexpected argument '" + io::clip(parser.positionalArguments().first()) + "'";
  }
  return {};
}

QString oneLine(const QString& message) {
  QString line = message;
  line.replace(u'\n', u' ').replace(u'\r', u' ');
  return line;
}

QString OptionReader::outputPath() {
  const QString path = text("out", true);
  if (failed()) return path;
  if (const QString invalid = io::checkOutputPath(path); !invalid.isEmpty()) fail("--out: " + invalid);
  return path;
}

QString OptionReader::text(const QString& name, bool required) {
  const QString value = parser_.value(name);
  if (required && value.isEmpty()) fail(QStringLiteral("--%1: required option is missing").arg(name));
  return value;
}

double OptionReader::number(const QString& name, double fallback, double min, double max) {
  if (!parser_.isSet(name)) return fallback;
  bool ok = false;
  const QString raw = parser_.value(name);
  const double value = raw.toDouble(&ok);
  if (!ok || !std::isfinite(value) || value < min || value > max) {
    fail(QStringLiteral("--%1: expected a number in [%2, %3], got '%4'").arg(name).arg(min).arg(max).arg(io::clip(raw)));
    return fallback;
  }
  return value;
}

long long OptionReader::integer(const QString& name, long long fallback, long long min,
                                long long max) {
  if (!parser_.isSet(name)) return fallback;
  bool ok = false;
  const QString raw = parser_.value(name);
  const long long value = raw.toLongLong(&ok);
  if (!ok || value < min || value > max) {
    fail(QStringLiteral("--%1: expected an integer in [%2, %3], got '%4'").arg(name).arg(min).arg(max).arg(io::clip(raw)));
    return fallback;
  }
  return value;
}

double OptionReader::time() {
  if (!parser_.isSet("t")) fail("--t: required option is missing; expected a time in [0, 1]");
  return number("t", 0.0, 0.0, 1.0);
}

TargetSpec OptionReader::targetSpec() {
  TargetSpec spec;
  const QString name = text("target", true);
  if (failed()) return spec;
  if (makePreset(name.toStdString())) {
    spec.preset = name.toStdString();
    return spec;
  }
  const bool looksLikePath = name.endsWith(".json") || name.contains('/') || QFileInfo::exists(name);
  if (!looksLikePath) {
    fail(QStringLiteral("--target: unknown '%1'; expected one of %2, or a path to a mixture .json file")
             .arg(io::clip(name), QString::fromStdString(presetNames())));
    return spec;
  }
  QString error;
  auto components = io::readMixtureFile(name, error);
  if (!components) {
    fail("--target: " + error);
    return spec;
  }
  spec.source = TargetSource::Mixture;
  spec.components = std::move(*components);
  return spec;
}

std::shared_ptr<const Target> OptionReader::target(std::uint64_t seed) {
  const TargetSpec spec = targetSpec();
  if (failed()) return nullptr;
  std::string error;
  std::shared_ptr<const Target> built = buildTarget(spec, seed, error);
  if (!built) fail("--" + QString::fromStdString(error));
  return built;
}

ProcessKind OptionReader::process() {
  const QString name = text("process", true);
  ProcessKind kind = ProcessKind::Vp;
  if (!failed() && !parseProcessKind(name.toStdString(), kind)) {
    fail(QStringLiteral("--process: unknown '%1'; expected one of %2")
             .arg(io::clip(name), QString::fromStdString(processNames())));
  }
  return kind;
}

}  // namespace scorescope::cli
