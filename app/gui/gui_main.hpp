#pragma once
// Entry point of the graphical front end: `scorescope` with no command.
//   --lesson N            open lesson N (1..6) instead of the default (2, score field)
//   --score SOURCE, --model FILE, --classifier FILE   exact / learned / both, trained networks
//   --train-steps N       train the score network N steps before the first frame
//   --target NAME, --process NAME, --particles N, --seed S
//   --screenshot FILE     render one frame (after sampling finishes) to a PNG and exit
//   --position U          timeline position in [0, 1] for the screenshot (paused)
//   --size WxH            canvas size (default 1280x720)
//   --sweep, --annealed, --contours   lesson 5 sweep, lesson 3 annealed, iso-density lines
//   --tilted-law, --likelihood-map    lesson 5 guidance as tempering, lesson 4 PF-ODE log p_0
//   --bench-frames N      render N frames of the playing default scene and print median and
//                         p95 frame times (100k particles, then 1M, unless --particles is given)
namespace scorescope::gui {

int runGui(int argc, char** argv);

}  // namespace scorescope::gui
