#include "io/text_file.hpp"

#include <QSaveFile>

namespace scorescope::io {

QString writeFileAtomically(const QString& path, const QByteArray& contents) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    return QStringLiteral("%1: cannot open for writing (%2)").arg(path, file.errorString());
  }
  if (file.write(contents) != contents.size() || !file.commit()) {
    return QStringLiteral("%1: write failed (%2)").arg(path, file.errorString());
  }
  return {};
}

}  // namespace scorescope::io
