#pragma once
// What every headless command shares: its stdout stream, the one-line error exit, the options
// every command has, parsing with --help, and writing a points CSV atomically.
#include <QCommandLineParser>
#include <QString>
#include <QTextStream>

#include "cli/options.hpp"
#include "scorescope/points.hpp"
#include "scorescope/scene_plan.hpp"

namespace scorescope::cli::support {

// --out is always a regular file: written under a temporary name and renamed when complete;
// stdout carries the summary line, so "-" and devices (/dev/stdout, /dev/null) are refused.
extern const QString kOutNote;

QTextStream& out();
// Prints "scorescope COMMAND: MESSAGE" (one line) on stderr; returns exit status 2.
int failWith(const QString& command, const QString& message);
// --help, --target and --threads.
void addCommon(QCommandLineParser& parser, const QString& summary);
void addProcess(QCommandLineParser& parser, bool modelGivesProcess = false);
// --model FILE (a trained score network) and, with `classifier`, --classifier FILE.
void addModelOptions(QCommandLineParser& parser, bool classifier);
// --process together with the model files: with a model, --process may be omitted (the model's
// process is used); a different one is an error naming both. Reads and checks the files (their
// role, their process) into `learned`; call it after the cheaper options.
ProcessKind readProcessAndModels(const QCommandLineParser& parser, OptionReader& read, LearnedModels& learned);
// Fails when a model was trained on another target than --target (a preset's name, or a mixture
// file's name): a moons model drawn over the ring would look like a learned ring.
void checkModelTargets(const QCommandLineParser& parser, const TargetSpec& spec, const LearnedModels& learned,
                       OptionReader& read);
QString writePoints(const QString& path, const Points& x, const Labels* labels);
// Applies --threads (the reader fails on a bad value).
void applyThreads(OptionReader& read);
// Parses args (args[0] the program, args[1] the command); false with `status` set when the
// command should stop here (bad options: 2, --help: 0).
bool parse(QCommandLineParser& parser, const QStringList& args, const QString& command, int& status);

}  // namespace scorescope::cli::support
