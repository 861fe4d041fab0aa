#include "io/text_file.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStringList>
#include <QTemporaryFile>
#include <qplatformdefs.h>
#include <sys/stat.h>

namespace scorescope::io {

QString clip(const QString& text, int max) {
  QString out = text.size() > max ? text.left(max) + "..." : text;
  for (QChar& c : out) {
    if (c.unicode() < 0x20 || c.unicode() > 0x7E) c = u'?';
  }
  return out;
}

QString clip(const QByteArray& text, int max) {
  // Byte by byte, never decoded: a stray byte of a binary file is one '?', never a control
  // sequence for the terminal.
  const QByteArray cut = text.size() > max ? text.left(max) : text;
  QString out(cut.size(), u'?');
  for (qsizetype i = 0; i < cut.size(); ++i) {
    const auto byte = static_cast<unsigned char>(cut[i]);
    if (byte >= 0x20 && byte <= 0x7E) out[i] = QChar(byte);
  }
  return text.size() > max ? out + "..." : out;
}

QString byteLimitText(qint64 bytes) {
  if (bytes >= (1LL << 30) && bytes % (1LL << 30) == 0) return QString::number(bytes >> 30) + " GiB";
  if (bytes >= (1LL << 20) && bytes % (1LL << 20) == 0) return QString::number(bytes >> 20) + " MiB";
  return QString::number(bytes) + " bytes";
}

QString checkInputFile(const QString& path, const QString& what) {
  QT_STATBUF st;
  // stat follows symbolic links; a missing file is left to open(), which names the reason.
  if (QT_STAT(QFile::encodeName(path).constData(), &st) != 0) return {};
  if (S_ISREG(st.st_mode)) return {};
  const char* kind = S_ISDIR(st.st_mode)    ? "it is a directory"
                     : S_ISFIFO(st.st_mode) ? "it is a fifo"
                     : S_ISCHR(st.st_mode)  ? "it is a character device"
                     : S_ISBLK(st.st_mode)  ? "it is a block device"
                     : S_ISSOCK(st.st_mode) ? "it is a socket"
                                            : "an unknown kind of file";
  return QStringLiteral("%1: is not a regular file (%2); expected a regular %3").arg(clip(path), kind, what);
}

std::optional<QByteArray> readFileBounded(const QString& path, qint64 maxBytes, const QString& what,
                                          QString& error) {
  const QString shown = clip(path);
  // Before opening: opening a fifo blocks until a writer appears (forever, for a stray one).
  if (QString invalid = checkInputFile(path, what); !invalid.isEmpty()) {
    error = std::move(invalid);
    return std::nullopt;
  }
  const QFileInfo info(path);
  const QString tooLarge = QStringLiteral("%1: %2 is larger than the limit of %3").arg(shown, what, byteLimitText(maxBytes));
  if (info.isFile() && info.size() > maxBytes) {
    error = tooLarge;
    return std::nullopt;
  }
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    error = QStringLiteral("%1: cannot read %2 (%3)").arg(shown, what, file.errorString());
    return std::nullopt;
  }
  // Read in chunks, never more than maxBytes + 1: a file may grow while it is read.
  QByteArray contents;
  while (true) {
    const qint64 want = std::min<qint64>(1 << 20, maxBytes + 1 - contents.size());
    const QByteArray chunk = file.read(want);
    if (chunk.isEmpty()) {
      if (file.error() != QFileDevice::NoError) {
        error = QStringLiteral("%1: cannot read %2 (%3)").arg(shown, what, file.errorString());
        return std::nullopt;
      }
      break;  // end of file
    }
    contents += chunk;
    if (contents.size() > maxBytes) {
      error = tooLarge;
      return std::nullopt;
    }
  }
  return contents;
}

QString checkOutputPath(const QString& path) {
  const QString shown = clip(path);
  if (path == "-") return QStringLiteral("'-': writing to stdout is not supported; expected a file path");
  const QFileInfo info(path);
  // The standard streams by name: /dev/stdout redirected to a file resolves to a regular file,
  // which would be replaced behind the shell's back and lose the summary line.
  const QString absolute = info.absoluteFilePath();
  if (absolute == "/dev/stdout" || absolute == "/dev/stderr" || absolute == "/dev/stdin" ||
      absolute.startsWith("/dev/fd/") || absolute.startsWith("/proc/")) {
    return QStringLiteral("%1: standard streams and /proc are not supported; expected a regular file path").arg(shown);
  }
  if (info.exists() && !info.isFile()) {  // QFileInfo follows symbolic links
    const QString kind = info.isDir() ? "a directory" : "not a regular file (a device, fifo or socket)";
    return QStringLiteral("%1: is %2; expected a regular file path to create or replace").arg(shown, kind);
  }
  // QSaveFile writes next to the file a symbolic link points to: probe that directory.
  const QDir dir = info.exists() ? QFileInfo(info.canonicalFilePath()).absoluteDir() : info.absoluteDir();
  if (!dir.exists()) {
    return QStringLiteral("%1: the directory %2 does not exist").arg(shown, clip(dir.path()));
  }
  // Create (and remove) a file next to the output: the real test of writability (permissions,
  // read-only mounts), as QSaveFile will create its temporary file there.
  QTemporaryFile probe(dir.filePath(".scorescope-probe-XXXXXX"));
  if (!probe.open()) {
    return QStringLiteral("%1: cannot create files in %2 (%3)").arg(shown, clip(dir.path()), probe.errorString());
  }
  return {};
}

QString writeFileAtomically(const QString& path, const QByteArray& contents) {
  if (const QString invalid = checkOutputPath(path); !invalid.isEmpty()) return invalid;
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    return QStringLiteral("%1: cannot open for writing (%2)").arg(clip(path), file.errorString());
  }
  if (file.write(contents) != contents.size() || !file.commit()) {
    return QStringLiteral("%1: write failed (%2)").arg(clip(path), file.errorString());
  }
  return {};
}

bool parseSize(const QString& text, int& width, int& height) {
  const QStringList parts = text.split('x');
  bool okW = false, okH = false;
  if (parts.size() == 2) {
    width = parts[0].toInt(&okW);
    height = parts[1].toInt(&okH);
  }
  return okW && okH;
}

}  // namespace scorescope::io
