#include "io/viewport_options.hpp"

#include "scorescope/presets.hpp"
#include "scorescope/process.hpp"
#include "scorescope/scene.hpp"
#include "scorescope/score_network.hpp"

namespace scorescope::io {

void addViewportOptions(QCommandLineParser& parser) {
  parser.addHelpOption();
  parser.addOptions({
      {"lesson", QStringLiteral("Lesson 1..%1 (default 2; 6 learns the score).").arg(kLessonCount), "N"},
      {"target", QString::fromStdString("Target: " + presetNames() + ", draw, or a mixture .json file (as the "
                                        "commands take)."), "NAME|FILE"},
      {"process", QString::fromStdString("Forward process: " + processNames() + " (default vp)."), "NAME"},
      {"particles", QStringLiteral("Number of particles, 1..%1 (default %2).").arg(kMaxParticles).arg(SampledScene{}.particles), "N"},
      {"seed", QStringLiteral("Random seed, 0..%1 (default 0).").arg(static_cast<long long>(kMaxSeed)), "S"},
      {"sampler", "Lessons 3-5: the sampler (lesson 3: langevin, annealed-langevin; lesson 4: sde, ddpm, ddim, pc; "
                  "lesson 5: any but the Langevin ones).", "NAME"},
      {"steps", QStringLiteral("Lessons 3-5: sampler steps, 1..%1 (default: the sampler's).").arg(kMaxSamplerSteps), "N"},
      {"class", "Lesson 5: the class to guide towards (default 0).", "Y"},
      {"scale", QStringLiteral("Lesson 5: guidance scale, classifier-free w in [%1, %2] (default 3).")
                    .arg(kMinCfgW).arg(kMaxGuidanceScale), "S"},
      {"sweep", "Lesson 5: the guidance sweep side by side, gamma 0, 1, 3, 7 for both kinds (CFG: w = gamma - 1)."},
      {"annealed", "Lesson 3: annealed Langevin (NCSN) instead of plain Langevin."},
      {"contours", "Draw iso-density contour lines."},
      {"tilted-law", "Lesson 5: classifier guidance (--scale is gamma) with the tilted law p_0 p_0(y|x)^gamma / Z under the guided samples "
                     "and grad log Z_t as arrows."},
      {"likelihood-map", "Lesson 4: colour the pane by the PF-ODE log-likelihood log p_0(x) of the score on show."},
      {"auto-fit", "The view follows the noise scale (VE at t = 1 stays framed)."},
      // The lecture comparisons (lessons 1-4).
      {"compare-processes", "Lessons 1-2: the same data noised by the other family of process (VE beside VP-type, "
                            "VP beside VE) in a second pane."},
      {"compare-samplers", "Lesson 3: plain and annealed Langevin side by side from the same noise."},
      {"mode-weights", "Lesson 3: the weights of a mixture target's modes, comma separated, one per mode "
                       "(renormalised), e.g. 0.8,0.2.", "LIST"},
      {"eta-sweep", QStringLiteral("Lesson 4: one DDIM run per eta in [0, 1] side by side, comma separated "
                                   "(at most %1), e.g. 0,0.5,1.").arg(kMaxSweepScales), "LIST"},
      {"round-trip", "Lesson 4: the target's data encoded to noise by DDIM (eta = 0) and decoded back."},
      {"score", "Lessons 2-5: the score that draws the field and drives the samplers: exact, learned or both "
                "side by side (learned needs --model or --train-steps).", "SOURCE"},
      {"model", "A trained score network (a file of `scorescope train`).", "FILE"},
      {"classifier", "A trained noisy classifier, for classifier guidance on the learned score.", "FILE"},
      {"train-steps", QStringLiteral("Train the score network N steps (1..%1) on the scene's target before the "
                                     "first frame (the window waits).").arg(kMaxTrainingSteps), "N"},
      {"screenshot", "Render one frame to this PNG file and exit.", "FILE.png"},
      {"position", "With --screenshot: the timeline position in [0, 1].", "U"},
      {"size", "Canvas size WxH, W in [640, 8192], H in [400, 8192] (default 1280x720).", "WxH"},
      {"bench-frames", "Render N frames of the playing scene, print frame times and exit.", "N"},
      {"ui-scale", "Size of text, lines and points, in [1, 3] (default: the last one chosen in View > UI scale, "
                   "else 1); not remembered.", "X"},
      {"no-panels", "Start with the panels hidden, the plot filling the window (Tab shows them)."},
  });
}

QString viewportOptionsHelp() {
  QCommandLineParser parser;
  parser.setApplicationDescription("Scorescope: an interactive viewport for diffusion models. "
                                   "`scorescope help` lists the headless commands.");
  parser.addPositionalArgument("FILE", "A scene or lecture .json file to open (its scene is what the options below "
                                       "then change).", "[FILE]");
  addViewportOptions(parser);
  return parser.helpText();
}

}  // namespace scorescope::io
