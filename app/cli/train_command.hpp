#pragma once
// `scorescope train`: trains a score network by denoising score matching (or, with --classifier,
// a noisy classifier) on a target and writes a model file.
#include <QStringList>

namespace scorescope::cli {

int train(const QStringList& args);

}  // namespace scorescope::cli
