#include "cli/command_support.hpp"

#include <QFileInfo>

#include "io/model_file_io.hpp"
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

void addProcess(QCommandLineParser& parser, bool modelGivesProcess) {
  parser.addOption({"process", QString(modelGivesProcess ? "(required unless --model gives it)" : "(required)") +
                                   " Forward process: " + QString::fromStdString(processNames()) + ".", "P"});
}

void addModelOptions(QCommandLineParser& parser, bool classifier) {
  parser.addOption({"model", "A trained score network (scorescope train): use it instead of the exact score.", "FILE"});
  if (classifier) {
    parser.addOption({"classifier", "A trained noisy classifier (scorescope train --classifier) for "
                                    "--guidance classifier, instead of the exact class posterior.", "FILE"});
  }
}

void checkModelTargets(const QCommandLineParser& parser, const TargetSpec& spec, const LearnedModels& learned,
                       OptionReader& read) {
  const std::string given = spec.source == TargetSource::Preset
                                ? spec.preset
                                : QFileInfo(parser.value("target")).fileName().toStdString();
  for (const auto& [option, network] : {std::pair{"model", learned.score}, std::pair{"classifier", learned.classifier}}) {
    if (read.failed() || !network || network->targetName == given) continue;
    read.fail(QStringLiteral("--%1: %2 was trained on '%3'; --target is '%4'")
                  .arg(option, io::clip(parser.value(option)), io::clip(QString::fromStdString(network->targetName)),
                       io::clip(QString::fromStdString(given))));
  }
}

ProcessKind readProcessAndModels(const QCommandLineParser& parser, OptionReader& read, LearnedModels& learned) {
  const bool processGiven = parser.isSet("process");
  const bool anyModel = parser.isSet("model") || (parser.optionNames().contains("classifier") && parser.isSet("classifier"));
  ProcessKind kind = processGiven || !anyModel ? read.process() : ProcessKind::Vp;
  bool known = processGiven;
  for (const QString& option : {QStringLiteral("model"), QStringLiteral("classifier")}) {
    if (read.failed() || !parser.optionNames().contains(option) || !parser.isSet(option)) continue;
    const QString path = parser.value(option);
    QString error;
    std::shared_ptr<const TrainedNetwork> network = io::readModelFile(path, error);
    if (!network) {
      read.fail("--" + option + ": " + error);
      break;
    }
    const bool wantClassifier = option == "classifier";
    if ((network->spec.role == NetworkRole::Classifier) != wantClassifier) {
      read.fail("--" + option + ": " + io::clip(path) + " is a " +
                (wantClassifier ? "score network; pass it as --model" : "noisy classifier; pass it as --classifier"));
      break;
    }
    const QString modelProcess = QString::fromUtf8(processName(network->process).data());
    if (!known) {
      kind = network->process;
      known = true;
    } else if (network->process != kind) {
      read.fail(QStringLiteral("--process: %1 was trained for process '%2'; --process%3 says '%4'")
                    .arg(io::clip(path), modelProcess, processGiven ? "" : " (from --model)",
                         QString::fromUtf8(processName(kind).data())));
      break;
    }
    (wantClassifier ? learned.classifier : learned.score) = std::move(network);
  }
  return kind;
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
