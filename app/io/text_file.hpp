#pragma once
// Bounded input and atomic output for the CLI's files.
//   Input: only regular files are read (a fifo would block on open, a device never ends), and
//   with a size limit, so a huge file fails with an error naming the limit.
//   Output: the file appears complete or not at all (QSaveFile writes a temporary file and
//   renames it on commit), so a failed run never leaves a half-written result. Only regular
//   files are written: an existing device, directory or fifo is refused (so is "-"; stdout
//   carries the summary line), and the path is checked before any computation.
#include <QByteArray>
#include <QString>
#include <optional>

namespace scorescope::io {

// Limits on input files. A mixture file is a few hundred bytes per component. A points CSV holds
// at most kMaxParticles (10^7) rows; at full precision a row of x,y,label is <= ~52 bytes and a
// row of score output x,y,sx,sy ~96, so 1 GiB reads back anything the CLI writes.
inline constexpr qint64 kMaxJsonBytes = 16LL << 20;   // 16 MiB
inline constexpr qint64 kMaxCsvBytes = 1LL << 30;     // 1 GiB
inline constexpr qint64 kMaxCsvLineBytes = 1LL << 20; // 1 MiB: no valid row comes close

// `text` made safe to echo in a one-line message: every character (QString: UTF-16 unit;
// QByteArray: byte) outside printable ASCII 0x20..0x7E becomes '?' (line breaks, tabs, NUL,
// escape sequences, non-ASCII), and anything past `max` characters is cut and marked with "...".
QString clip(const QString& text, int max = 60);

// "WxH" (two integers around an 'x', such as 1920x1080) into width and height; false when `text`
// is not of that form. The callers check the ranges and word the message.
bool parseSize(const QString& text, int& width, int& height);
QString clip(const QByteArray& text, int max = 60);

// "16 MiB", "1 GiB".
QString byteLimitText(qint64 bytes);

// Empty when `path` is a regular file (after symbolic links) or does not exist; otherwise one
// line "FILE: is not a regular file (it is a fifo); expected a regular <what>". Checked before
// opening: opening a fifo blocks until a writer appears, and devices never end.
QString checkInputFile(const QString& path, const QString& what);

// Reads all of `path` (a regular file only: directories, fifos, devices and sockets are
// refused by checkInputFile), at most `maxBytes`. On failure returns nothing and sets `error`
// to one line naming the file (`what`: "mixture file", "points file") and, when too large, the
// limit.
std::optional<QByteArray> readFileBounded(const QString& path, qint64 maxBytes, const QString& what,
                                          QString& error);

// Checks that `path` can be written before any work is done: not "-", not an existing
// non-regular file (device, directory, fifo, socket), and its directory exists and accepts a
// new file. Returns an empty string when fine, otherwise one line naming the path.
QString checkOutputPath(const QString& path);

// Returns an empty string on success, otherwise one line naming the path and the reason.
QString writeFileAtomically(const QString& path, const QByteArray& contents);

}  // namespace scorescope::io
