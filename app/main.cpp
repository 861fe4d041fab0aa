// scorescope: with a command (sample, forward, score, nll, bench, render) it runs headless;
// without one it opens the viewport on the built-in default scene.
#include <QCoreApplication>
#include <QStringList>

#include "cli/cli.hpp"
#include "export/render_command.hpp"
#include "gui/gui_main.hpp"
#include "scorescope/allocator.hpp"

int main(int argc, char** argv) {
  scorescope::keepFreedBatchMemory();
  QStringList args;
  for (int i = 0; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
  // render draws with the viewport's renderers (the GUI library) in an EGL context of its own.
  if (args.value(1) == "render") return scorescope::exporting::runRenderCommand(argc, argv);
  if (scorescope::cli::isCommand(args)) {
    QCoreApplication app(argc, argv);
    return scorescope::cli::run(args);
  }
  return scorescope::gui::runGui(argc, argv);
}
