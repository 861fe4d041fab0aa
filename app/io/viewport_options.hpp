#pragma once
// The viewport's command-line options, in one table: the viewport parses with it and
// `scorescope --help` prints it, so the help can never list a flag that does not exist or miss
// one that does. Qt Core only (the headless commands link this without the GUI).
#include <QCommandLineParser>
#include <QString>

namespace scorescope::io {

// Adds -h/--help and every viewport option to `parser`.
void addViewportOptions(QCommandLineParser& parser);

// The viewport's usage and options as `scorescope --help` prints them.
QString viewportOptionsHelp();

}  // namespace scorescope::io
