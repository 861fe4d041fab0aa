#include "cli/command_support.hpp"

#include "io/points_csv.hpp"
#include "io/text_file.hpp"
#include "scorescope/parallel.hpp"
#include "scorescope/presets.hpp"
#include "scorescope/process.hpp"

namespace scorescope::cli::support {


const QString kOutNote = " A regular file, replaced atomically; '-' and devices are refused.";

QTextStream& out() {
  static QTextStream stream(stdout);
  return stream;
}

int failWith(const QString& command, const QString& message) {
  QTextStream(stderr) << "scorescope " << command << ": " << oneLine(message) << Qt::endl;
  return 2;
}

void addCommon(QCommandLineParser& parser, const QString& summary) {
  parser.setApplicationDescription(summary);
  parser.addHelpOption();
  parser.addOption({"target", "(required) Preset (" + QString::fromStdString(presetNames()) +
                                  ") or a mixture .json file.", "T"});
  parser.addOption({"threads", "Worker threads (default: one per core).", "N"});
}

void addProcess(QCommandLineParser& parser) {
  parser.addOption({"process", "(required) Forward process: " + QString::fromStdString(processNames()) + ".", "P"});
}

QString writePoints(const QString& path, const Points& x, const Labels* labels) {
  const Eigen::VectorXd xs = x.col(0), ys = x.col(1);
  QStringList header{"x", "y"};
  if (labels) header << "label";
  return io::writeCsv(path, header, {&xs, &ys}, labels);
}

void applyThreads(OptionReader& read) {
  const long long threads = read.integer("threads", 0, 1, 256);
  if (!read.failed()) setThreadCount(static_cast<int>(threads));
}

bool parse(QCommandLineParser& parser, const QStringList& args, const QString& command, int& status) {
  if (!parser.parse(args.mid(1))) {
    status = failWith(command, io::clip(parser.errorText(), 120));
    return false;
  }
  if (parser.isSet("help")) {
    out() << parser.helpText();
    out().flush();
    status = 0;
    return false;
  }
  if (const QString invalid = checkArguments(parser); !invalid.isEmpty()) {
    status = failWith(command, invalid);
    return false;
  }
  return true;
}

}  // namespace scorescope::cli::support
