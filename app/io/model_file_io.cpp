#include "io/model_file_io.hpp"

#include "io/text_file.hpp"
#include "scorescope/model_file.hpp"

namespace scorescope::io {

std::shared_ptr<const TrainedNetwork> readModelFile(const QString& path, QString& error) {
  if (path.isEmpty()) {
    error = "expected a model file name, got ''";
    return nullptr;
  }
  const std::optional<QByteArray> bytes = readFileBounded(path, kMaxModelBytes, "model file", error);
  if (!bytes) return nullptr;
  try {
    return std::make_shared<const TrainedNetwork>(
        parseNetwork(std::string_view(bytes->constData(), std::size_t(bytes->size()))));
  } catch (const ModelFileError& e) {
    error = clip(path) + ": " + QString::fromStdString(e.what());
    return nullptr;
  }
}

QString writeModelFile(const QString& path, const TrainedNetwork& network) {
  const std::string bytes = serializeNetwork(network);
  return writeFileAtomically(path, QByteArray(bytes.data(), qsizetype(bytes.size())));
}

}  // namespace scorescope::io
