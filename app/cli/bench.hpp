#pragma once
// `scorescope bench`: particle-steps per second of PF-ODE Heun (100k particles, gmm8-ring,
// VP process, 100 steps), median of several runs, then the vectorised PyTorch CPU baseline of
// bench/pfode_heun_torch.py with the same arithmetic, run right after, and the ratio.
#include <QStringList>

namespace scorescope::cli {

int bench(const QStringList& args);

}  // namespace scorescope::cli
