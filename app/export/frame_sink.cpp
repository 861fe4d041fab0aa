#include "export/frame_sink.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>
#include <csignal>
#include <cstdio>
#include <sys/prctl.h>

namespace scorescope::exporting {
namespace {

// ".NAME.partial-PID[.EXT]" beside `path`: hidden, and never a name a user picked.
QString partialName(const QString& path, const QString& extension = {}) {
  const QFileInfo info(QDir::cleanPath(path));
  return info.absolutePath() + "/." + info.fileName() + ".partial-" + QString::number(QCoreApplication::applicationPid()) +
         (extension.isEmpty() ? QString() : "." + extension);
}

// rename(2): replaces an existing file atomically (QFile::rename refuses to).
QString renameOver(const QString& from, const QString& to) {
  if (std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) != 0) {
    return "cannot rename " + from + " to " + to;
  }
  return {};
}

class PngSink final : public FrameSink {
 public:
  explicit PngSink(const QString& path) : file_(path) {}
  QString write(const QImage& frame) override {
    if (!file_.open(QIODevice::WriteOnly) || !frame.save(&file_, "PNG")) return "cannot write " + file_.fileName() + ": " + file_.errorString();
    return {};
  }
  QString finish() override {
    if (!file_.commit()) return "cannot write " + file_.fileName() + ": " + file_.errorString();
    return {};
  }
  void abort() override { file_.cancelWriting(); }

 private:
  QSaveFile file_;
};

class PngSequenceSink final : public FrameSink {
 public:
  explicit PngSequenceSink(const QString& folder) : final_(QDir::cleanPath(folder)), partial_(partialName(folder)) {}
  ~PngSequenceSink() override { abort(); }
  QString write(const QImage& frame) override {
    if (count_ == 0 && !QDir().mkpath(partial_)) return "cannot create the folder " + partial_;
    const QString name = partial_ + QString("/frame-%1.png").arg(count_, 5, 10, QChar('0'));
    if (!frame.save(name, "PNG")) return "cannot write " + name;
    ++count_;
    return {};
  }
  QString finish() override {
    // An empty folder of the final name (validation allows it) is replaced.
    if (QFileInfo(final_).isDir() && !QDir().rmdir(final_)) return "cannot replace the folder " + final_;
    if (QString error = renameOver(partial_, final_); !error.isEmpty()) return error;
    done_ = true;
    return {};
  }
  void abort() override {
    if (!done_ && QFileInfo(partial_).isDir()) QDir(partial_).removeRecursively();
  }

 private:
  QString final_, partial_;
  int count_ = 0;
  bool done_ = false;
};

class FfmpegSink final : public FrameSink {
 public:
  FfmpegSink(const ExportSettings& s, const QString& program)
      : final_(s.out), partial_(partialName(s.out, s.format == ExportFormat::Gif ? "gif" : "mp4")), size_(s.width, s.height) {
    const int quality = s.quality == -1 ? defaultQuality(s.format) : s.quality;
    QStringList args{"-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                     "-f", "rawvideo", "-pix_fmt", "rgb0", "-s", QString("%1x%2").arg(s.width).arg(s.height),
                     "-framerate", QString::number(s.fps, 'g', 10), "-i", "pipe:0"};
    if (s.format == ExportFormat::Mp4) {
      // bitexact: no encoder version string or timestamps that differ between runs.
      args << "-c:v" << "libx264" << "-preset" << "veryfast" << "-crf" << QString::number(quality) << "-pix_fmt" << "yuv420p"
           << "-movflags" << "+faststart" << "-fflags" << "+bitexact" << "-flags:v" << "+bitexact" << "-map_metadata" << "-1"
           << "-f" << "mp4";
    } else {
      // One palette for the whole animation, made from all its frames.
      args << "-filter_complex" << QString("split[a][b];[a]palettegen=max_colors=%1:stats_mode=full[p];[b][p]paletteuse=dither=sierra2_4a").arg(quality)
           << "-loop" << "0" << "-f" << "gif";
    }
    args << partial_;
    process_.setProgram(program);
    process_.setArguments(args);
    process_.setProcessChannelMode(QProcess::SeparateChannels);
    process_.setStandardOutputFile(QProcess::nullDevice());
    // If this process dies (a crash, SIGKILL), ffmpeg is killed too instead of writing on.
    process_.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGKILL); });
    process_.start();
  }
  ~FfmpegSink() override { abort(); }

  bool started() { return process_.waitForStarted(10000); }

  QString write(const QImage& frame) override {
    // rgb0 below: the fourth byte is ignored, so RGBX and RGBA frames go through as they are.
    const QImage rgba = frame.format() == QImage::Format_RGBX8888 || frame.format() == QImage::Format_RGBA8888
                            ? frame
                            : frame.convertToFormat(QImage::Format_RGBX8888);
    if (rgba.size() != size_) return "frame of the wrong size";
    const qsizetype row = static_cast<qsizetype>(size_.width()) * 4;
    for (int y = 0; y < rgba.height(); ++y) {
      if (process_.write(reinterpret_cast<const char*>(rgba.constScanLine(y)), row) != row) return stopped();
    }
    // Keep at most a few frames in the pipe: memory stays bounded and a dead ffmpeg is noticed.
    while (process_.bytesToWrite() > 4 * row * size_.height()) {
      if (process_.state() != QProcess::Running || !process_.waitForBytesWritten(30000)) return stopped();
    }
    return process_.state() == QProcess::Running ? QString() : stopped();
  }

  QString finish() override {
    while (process_.bytesToWrite() > 0) {
      if (process_.state() != QProcess::Running || !process_.waitForBytesWritten(30000)) return fail(stopped());
    }
    process_.closeWriteChannel();
    if (!process_.waitForFinished(600000)) return fail(stopped());
    if (process_.exitStatus() != QProcess::NormalExit || process_.exitCode() != 0) return fail(stopped());
    if (QString error = renameOver(partial_, final_); !error.isEmpty()) return fail(error);
    done_ = true;
    return {};
  }

  void abort() override {
    if (process_.state() != QProcess::NotRunning) {
      process_.kill();
      process_.waitForFinished(10000);
    }
    if (!done_) QFile::remove(partial_);
  }

 private:
  QString fail(const QString& why) {
    abort();
    return why;
  }
  // Why ffmpeg is no longer taking frames: its exit and the last line it printed.
  QString stopped() {
    if (process_.state() != QProcess::NotRunning) process_.waitForFinished(2000);
    const QStringList lines = QString::fromUtf8(process_.readAllStandardError()).trimmed().split('\n');
    QString what = process_.state() != QProcess::NotRunning    ? "ffmpeg stopped taking frames"
                   : process_.exitStatus() == QProcess::CrashExit ? "ffmpeg was killed or crashed"
                                                                  : QString("ffmpeg exited with code %1").arg(process_.exitCode());
    if (!lines.isEmpty() && !lines.last().isEmpty()) what += ": " + lines.last().left(300);
    return what;
  }

  QString final_, partial_;
  QSize size_;
  QProcess process_;
  bool done_ = false;
};

}  // namespace

QString findFfmpeg() { return QStandardPaths::findExecutable("ffmpeg"); }

QString ffmpegMissingMessage() {
  return "GIF and MP4 export need the ffmpeg program, which is not on PATH; install it (Debian, Ubuntu: "
         "sudo apt-get install ffmpeg) or export PNG frames, which need nothing else";
}

std::unique_ptr<FrameSink> makeFrameSink(const ExportSettings& settings, QString& error) {
  switch (settings.format) {
    case ExportFormat::Png: return std::make_unique<PngSink>(settings.out);
    case ExportFormat::PngSequence: return std::make_unique<PngSequenceSink>(settings.out);
    case ExportFormat::Gif:
    case ExportFormat::Mp4: {
      const QString program = findFfmpeg();
      if (program.isEmpty()) {
        error = ffmpegMissingMessage();
        return nullptr;
      }
      // A write into the pipe of an ffmpeg that died must be an error to report, not SIGPIPE
      // ending the app.
      std::signal(SIGPIPE, SIG_IGN);
      auto sink = std::make_unique<FfmpegSink>(settings, program);
      if (!sink->started()) {
        error = "cannot start " + program;
        return nullptr;
      }
      return sink;
    }
  }
  error = "unknown export format";
  return nullptr;
}

}  // namespace scorescope::exporting
