#pragma once
// Where exported frames go. Every sink writes under a temporary name beside the output and
// renames it to the final name only when the last frame is in, so a cancelled or failed export
// leaves nothing under the final name (and an earlier file of that name untouched).
//   PNG:         QSaveFile (a temporary file, renamed on commit).
//   PNG frames:  a hidden ".NAME.partial-PID" folder, renamed to NAME.
//   GIF, MP4:    raw RGBA frames piped to the `ffmpeg` program, which writes
//                ".NAME.partial-PID.EXT"; renamed once ffmpeg exits cleanly.
#include <QImage>
#include <QString>
#include <memory>

#include "export/export_settings.hpp"

namespace scorescope::exporting {

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // Empty, or why the frame could not be written (the sink is then unusable: abort() it).
  virtual QString write(const QImage& frame) = 0;
  // Completes the output under its final name; empty or why not (then nothing is left).
  virtual QString finish() = 0;
  // Removes everything written so far; the final name is untouched. Safe to call twice.
  virtual void abort() = 0;
};

// The sink for settings that passed validateExportSettings; null with `error` when it cannot
// start (no ffmpeg for GIF/MP4: the message says how to install it).
std::unique_ptr<FrameSink> makeFrameSink(const ExportSettings& settings, QString& error);

// The ffmpeg program on PATH, or empty.
QString findFfmpeg();
// What to tell a user without ffmpeg.
QString ffmpegMissingMessage();

}  // namespace scorescope::exporting
