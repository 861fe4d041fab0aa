#pragma once
// The headless front end: `scorescope <command> [options]`. Commands: sample, forward, score,
// nll, bench. Every command validates all of its input before computing and writes its output
// atomically, so bad input prints one line naming the field and allowed values, exits with a
// non-zero status and leaves no output file.
#include <QStringList>

namespace scorescope::cli {

// True when args[1] is meant for the CLI, so main() can run headless without a display: anything
// but a flag (-x, --x: viewport options) or a .json scene file; help flags too. An unknown word
// is a CLI error listing the commands, not a viewport.
bool isCommand(const QStringList& args);
// args[0] is the program, args[1] the command. Returns the process exit status.
int run(const QStringList& args);

}  // namespace scorescope::cli
