#pragma once
// `scorescope sample`: the flags fill a SampledScene, core's planner runs it (the same path as the
// viewport's), the final particles go to a CSV.
#include <QStringList>

namespace scorescope::cli {

int sample(const QStringList& args);

}  // namespace scorescope::cli
