#include "export/export_job.hpp"

#include <QImage>
#include <stdexcept>

#include "gui/viewport_controller.hpp"
#include "render/offscreen_target.hpp"

namespace scorescope::exporting {

ExportJob::ExportJob(const Scene& scene, const LearnedModels& models, const ExportSettings& settings)
    : scene_(scene), models_(models), settings_(settings) {
  if (settings_.quality == -1) settings_.quality = defaultQuality(settings_.format);
}

ExportJob::~ExportJob() {
  if (!finished_) cancel();
  if (controller_) controller_->releaseGl();
}

QString ExportJob::start() {
  if (QString problem = validateExportSettings(settings_); !problem.isEmpty()) return error_ = problem;
  // Lesson 6 shows a learned score beside the exact one; an export cannot train one.
  if (scene_.sampled.lesson == Lesson::LearnScore && !models_.score) {
    return error_ = "scene: lesson 6 shows a learned score and there is none: pass --model FILE (made by scorescope "
                    "train), or export from the app after training";
  }
  try {
    for (auto& target : targets_) target = std::make_unique<render::OffscreenTarget>(settings_.width, settings_.height);
  } catch (const std::runtime_error& e) {
    return error_ = QString("size: ") + e.what();
  }
  controller_ = std::make_unique<gui::ViewportController>();
  gui::Session& session = controller_->session();
  if (models_.score || models_.classifier) session.adoptModels(models_);
  session.setScene(scene_);
  controller_->setUiScale(settings_.uiScale);
  controller_->setPanelsHidden(true);
  controller_->initializeGl();
  session.waitForRuns();
  // An invalid scene or a failed run: say so rather than export empty panes.
  if (!session.status().empty()) return error_ = "scene: " + QString::fromStdString(session.status());
  const double start = settings_.start >= 0.0 ? settings_.start : scene_.display.playback.position;
  session.timeline().scrubTo(start);
  // An animation plays whatever the scene's own play state; a picture is the moment itself.
  session.timeline().setPlaying(settings_.format != ExportFormat::Png);
  sink_ = makeFrameSink(settings_, error_);
  return sink_ ? QString() : error_;
}

bool ExportJob::step() {
  if (!sink_ || !error_.isEmpty() || written_ >= frameCount()) return false;
  const double step = 1.0 / settings_.fps;
  if (!primed_) {
    controller_->renderExportFrame(*targets_[0], 0.0);
    primed_ = true;
  }
  // Frame k is in targets_[k % 2]. Draw frame k+1 into the other one first: the driver rasterises
  // it while this thread reads frame k back and writes it out.
  if (written_ + 1 < frameCount()) {
    controller_->renderExportFrame(*targets_[(written_ + 1) % 2], step);
    render::flush();
  }
  targets_[written_ % 2]->read(pixels_);
  // RGBX: GL leaves the blending's alpha in the buffer, and the pictures are opaque.
  const QImage frame(pixels_.data(), settings_.width, settings_.height, settings_.width * 4, QImage::Format_RGBX8888);
  if (QString problem = sink_->write(frame); !problem.isEmpty()) {
    error_ = problem;
    sink_->abort();
    return false;
  }
  ++written_;
  return written_ < frameCount();
}

QString ExportJob::finish() {
  if (!error_.isEmpty()) return error_;
  if (!sink_ || written_ < frameCount()) return error_ = "export not complete";
  if (QString problem = sink_->finish(); !problem.isEmpty()) return error_ = problem;
  finished_ = true;
  return {};
}

void ExportJob::cancel() {
  if (sink_) sink_->abort();
  finished_ = true;  // nothing more to do, nothing left behind
}

}  // namespace scorescope::exporting
