#pragma once
// `scorescope bench quality`: the time a lecturer waits in class. Trains the default score network
// on two moons and on the 8-mode ring and reports the training seconds until the learned PF-ODE
// sampler's sliced W1 to exact target samples is within 2x of the exact-score sampler's.
#include <QStringList>

namespace scorescope::cli {

int benchQuality(const QStringList& args);

}  // namespace scorescope::cli
