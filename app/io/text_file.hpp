#pragma once
// Atomic text output: the file appears complete or not at all (QSaveFile writes a temporary
// file and renames it on commit), so a failed run never leaves a half-written result.
#include <QString>

namespace scorescope::io {

// Returns an empty string on success, otherwise one line naming the path and the reason.
QString writeFileAtomically(const QString& path, const QByteArray& contents);

}  // namespace scorescope::io
