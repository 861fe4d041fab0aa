#pragma once
// Reading and writing model files (core/scorescope/model_file.hpp) with the io layer's rules:
// bounded reads of regular files only, atomic writes.
#include <QString>
#include <memory>

#include "scorescope/score_network.hpp"

namespace scorescope::io {

inline constexpr qint64 kMaxModelBytes = 256LL << 20;  // 1024 wide x 8 deep is ~34 MB

// The network in `path`, or null with `error` set to one line naming the file and the reason.
std::shared_ptr<const TrainedNetwork> readModelFile(const QString& path, QString& error);
// Empty on success, otherwise one line naming the path.
QString writeModelFile(const QString& path, const TrainedNetwork& network);

}  // namespace scorescope::io
