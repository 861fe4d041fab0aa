#include "export/export_settings.hpp"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryFile>
#include <cmath>

namespace scorescope::exporting {

bool formatFromPath(const QString& path, ExportFormat& format, QString& error) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (path.endsWith('/') || suffix.isEmpty()) format = ExportFormat::PngSequence;
  else if (suffix == "png") format = ExportFormat::Png;
  else if (suffix == "gif") format = ExportFormat::Gif;
  else if (suffix == "mp4") format = ExportFormat::Mp4;
  else {
    error = "out: expected a .png, .gif or .mp4 file or a folder (PNG frames), got '." + suffix + "'";
    return false;
  }
  return true;
}

const char* formatName(ExportFormat format) {
  switch (format) {
    case ExportFormat::Png: return "PNG";
    case ExportFormat::PngSequence: return "PNG frames";
    case ExportFormat::Gif: return "GIF";
    case ExportFormat::Mp4: return "MP4";
  }
  return "?";
}

int defaultQuality(ExportFormat format) {
  switch (format) {
    case ExportFormat::Gif: return 256;
    case ExportFormat::Mp4: return 18;
    case ExportFormat::Png:
    case ExportFormat::PngSequence: return 0;
  }
  return 0;
}

int frameCount(const ExportSettings& s) {
  if (s.format == ExportFormat::Png) return 1;
  return std::max(1, static_cast<int>(std::lround(s.seconds * s.fps)));
}

QString validateExportSettings(const ExportSettings& s) {
  const QString size = QString("%1x%2").arg(s.width).arg(s.height);
  if (s.width < kMinExportSide || s.width > kMaxExportSide || s.height < kMinExportSide || s.height > kMaxExportSide) {
    return QString("size: expected WxH with each side in [%1, %2], got %3").arg(kMinExportSide).arg(kMaxExportSide).arg(size);
  }
  if (s.format == ExportFormat::Mp4 && (s.width % 2 != 0 || s.height % 2 != 0)) {
    return "size: MP4 (H.264, yuv420p) needs an even width and height, got " + size;
  }
  if (!(s.fps >= kMinFps && s.fps <= kMaxFps)) {
    return QString("fps: expected a number in [%1, %2], got %3").arg(kMinFps).arg(kMaxFps).arg(s.fps);
  }
  if (s.format != ExportFormat::Png && !(s.seconds > 0.0 && s.seconds <= kMaxSeconds)) {
    return QString("seconds: expected a number in (0, %1], got %2").arg(kMaxSeconds).arg(s.seconds);
  }
  if (s.format != ExportFormat::Png && frameCount(s) > kMaxExportFrames) {
    return QString("seconds: %1 s at %2 fps is %3 frames; at most %4").arg(s.seconds).arg(s.fps).arg(frameCount(s)).arg(kMaxExportFrames);
  }
  if (!(s.start < 0.0 || s.start <= 1.0)) return QString("start: expected a timeline position in [0, 1], got %1").arg(s.start);
  if (s.quality != -1) {
    if (s.format == ExportFormat::Mp4 && (s.quality < 0 || s.quality > 51)) {
      return QString("quality: MP4 takes x264's CRF in [0, 51] (lower is better, 18 default), got %1").arg(s.quality);
    }
    if (s.format == ExportFormat::Gif && (s.quality < 2 || s.quality > 256)) {
      return QString("quality: GIF takes the palette size in [2, 256] (default 256), got %1").arg(s.quality);
    }
  }
  if (s.format == ExportFormat::Gif) {
    const double pixels = static_cast<double>(frameCount(s)) * s.width * s.height;
    if (pixels > kMaxGifPixels) {
      return QString("seconds: a GIF holds all its frames in memory while its palette is made: at most %1 million pixels "
                     "(frames x width x height), got %2 million (%3 frames at %4); shorten --seconds, lower --fps or "
                     "--size, or export MP4").arg(kMaxGifPixels / 1e6).arg(std::round(pixels / 1e6)).arg(frameCount(s)).arg(size);
    }
  }
  if (!(s.uiScale >= 1.0f && s.uiScale <= 3.0f)) return QString("ui-scale: expected a number in [1, 3], got %1").arg(s.uiScale);
  if (s.out.isEmpty()) return "out: expected a file or folder name, got nothing";

  // The output's place, checked before any frame is rendered.
  const QFileInfo out(s.out);
  const QString folder = s.format == ExportFormat::PngSequence ? QFileInfo(QDir::cleanPath(s.out)).absolutePath()
                                                               : out.absolutePath();
  const QFileInfo parent(folder);
  if (!parent.isDir()) return "out: the folder " + folder + " does not exist";
  if (!parent.isWritable()) return "out: the folder " + folder + " is not writable";
  // isWritable() says yes to root everywhere (/proc, /sys): try to create a file there.
  {
    QTemporaryFile probe(QDir(folder).filePath(".scorescope-probe-XXXXXX"));
    if (!probe.open()) return "out: cannot create files in " + folder + " (" + probe.errorString() + ")";
  }
  if (s.format == ExportFormat::PngSequence) {
    const QFileInfo target(QDir::cleanPath(s.out));
    if (target.exists() && !target.isDir()) return "out: " + s.out + " exists and is not a folder";
    if (target.isDir() && !QDir(target.filePath()).isEmpty()) {
      return "out: the folder " + s.out + " exists and is not empty (PNG frames go into a new or empty folder)";
    }
  } else if (out.isDir()) {
    return "out: " + s.out + " is a folder; expected a " + QString(formatName(s.format)) + " file name";
  }
  return {};
}

}  // namespace scorescope::exporting
