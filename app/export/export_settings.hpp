#pragma once
// What an export writes: one PNG of the plot, a folder of PNG frames, a GIF or an MP4, at any
// size, with the UI scale applied so text stays legible at 4K. Shared by the export dialog and
// `scorescope render`; validated in one place (the message names the field and its range).
#include <QString>

namespace scorescope::exporting {

enum class ExportFormat {
  Png,          // one frame, the current moment
  PngSequence,  // a folder of frame-00000.png ...
  Gif,          // through ffmpeg (palette per export)
  Mp4,          // through ffmpeg (H.264, yuv420p)
};

inline constexpr int kMinExportSide = 16, kMaxExportSide = 8192;
inline constexpr double kMinFps = 1.0, kMaxFps = 120.0;
inline constexpr double kMaxSeconds = 600.0;
inline constexpr int kMaxExportFrames = 36000;
// ffmpeg makes a GIF's one palette from all its frames, holding every frame in memory until the
// last arrives (~10 bytes a pixel measured): frames x width x height is capped.
inline constexpr double kMaxGifPixels = 200e6;

struct ExportSettings {
  ExportFormat format = ExportFormat::Mp4;
  QString out;  // the file (.png, .gif, .mp4) or the folder of a PNG sequence
  int width = 1280, height = 720;
  double fps = 30.0;
  double seconds = 10.0;  // animation length
  // Timeline position of the first frame in [0, 1]; negative: the scene's own.
  double start = -1.0;
  // MP4: x264's constant rate factor, 0 (lossless) .. 51 (worst), default 18 (visually lossless).
  // GIF: palette colours, 2 .. 256.
  int quality = -1;  // -1: the format's default
  float uiScale = 1.0f;
};

// The format a path asks for: .png a picture, .gif, .mp4, and anything else (a folder,
// "frames/") a PNG sequence. Nullopt-like: returns false with `error` for another extension
// (.avi, .jpg ...).
bool formatFromPath(const QString& path, ExportFormat& format, QString& error);
const char* formatName(ExportFormat format);
int defaultQuality(ExportFormat format);
// Frames written: 1 for a PNG, else round(seconds * fps) (at least 1).
int frameCount(const ExportSettings& settings);
// Empty, or the first bad field: "size: expected ... got ...". Checks the output's folder exists
// and is writable and that a sequence's folder is new or empty, before anything is rendered.
QString validateExportSettings(const ExportSettings& settings);

}  // namespace scorescope::exporting
