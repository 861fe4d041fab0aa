#pragma once
// `scorescope bench [pfode]`: particle-steps per second of PF-ODE Heun (100k particles,
// gmm8-ring, VP process, 100 steps), median of several runs, then the vectorised PyTorch CPU
// baseline of bench/pfode_heun_torch.py with the same arithmetic, run right after, and the ratio.
// `scorescope bench pointset`: PF-ODE Heun re-sampling (20k particles, 100 steps, VP) under the
// exact score of a point-set target (default two-moons) and of gmm8-ring, back to back in one
// process, with their ratio: what a slider change costs on a point set against a mixture.
// `scorescope bench train`: seconds per ScoreTrainer::step() (gmm8-ring, VP, eps loss, MLP
// 2-128x3-2 with 16 time features, batch 1024), its GFLOP/s against plain Eigen products of the
// same shapes timed in the same process, then bench/train_torch.py and the ratio.
#include <QStringList>

namespace scorescope::cli {

int bench(const QStringList& args);

}  // namespace scorescope::cli
