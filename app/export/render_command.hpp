#pragma once
// `scorescope render SCENE.json --out anim.mp4|anim.gif|frames/|still.png [--size WxH] [--fps N]
// [--seconds S] [--start U] [--quality Q] [--ui-scale X] [--model FILE] [--classifier FILE]`:
// the scene exported with no display or X server (a surfaceless EGL context), through the same
// ExportJob as the app's Export dialog. A progress line goes to stderr, a summary to stdout.

namespace scorescope::exporting {

int runRenderCommand(int argc, char** argv);

}  // namespace scorescope::exporting
