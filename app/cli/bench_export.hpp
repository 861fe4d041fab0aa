#pragma once
// `scorescope bench export`: the headless export of resources/scenes/benchmark-pfode-100k.json
// (100k particles on the PF-ODE with score arrows and the density; 300 frames at 1280x720 to
// MP4 by default) timed as a user runs it, `scorescope render` as a child process, back to back
// with bench/export_matplotlib.py (a matplotlib FuncAnimation of the same content written with
// ffmpeg), the ratio of the two, and the export's frames per second at 1080p and 4K.
#include <QStringList>

namespace scorescope::cli {

int benchExport(const QStringList& args);

}  // namespace scorescope::cli
