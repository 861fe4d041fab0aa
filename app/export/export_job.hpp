#pragma once
// One export: a scene rendered frame by frame into an offscreen target and written to a sink.
// The job owns its own viewport controller (session, frame builder, renderers) built from a copy
// of the scene, so the window on screen is not disturbed and the same scene and seed give the
// same frames: frame k shows the play head k / fps seconds after the start position, and every
// run a frame shows has finished before it is drawn. The dialog (a step per event-loop turn,
// with progress and Cancel) and `scorescope render` (a loop) both drive it.
#include <QString>
#include <memory>
#include <vector>

#include "export/export_settings.hpp"
#include "export/frame_sink.hpp"
#include "scorescope/scene.hpp"
#include "scorescope/scene_plan.hpp"

namespace scorescope::render {
class OffscreenTarget;
}
namespace scorescope::gui {
class ViewportController;
}

namespace scorescope::exporting {

class ExportJob {
 public:
  ExportJob(const Scene& scene, const LearnedModels& models, const ExportSettings& settings);
  // Cancels an unfinished job. The GL context must be current (as for every call below).
  ~ExportJob();
  ExportJob(const ExportJob&) = delete;
  ExportJob& operator=(const ExportJob&) = delete;

  // Validates the settings, opens the output and the renderers; empty, or why not.
  QString start();
  // Renders and writes the next frame. False when nothing is left to do: every frame written
  // (call finish()) or a failure (error() says why; nothing is left under the final name).
  bool step();
  // Puts the output under its final name; empty, or why not.
  QString finish();
  // Stops and removes everything written.
  void cancel();

  int framesWritten() const { return written_; }
  int frameCount() const { return exporting::frameCount(settings_); }
  const QString& error() const { return error_; }
  const ExportSettings& settings() const { return settings_; }

 private:
  Scene scene_;
  LearnedModels models_;
  ExportSettings settings_;
  std::unique_ptr<gui::ViewportController> controller_;
  // Two targets, frames alternating: frame k+1 is drawn (and rasterised by the GL driver's own
  // threads) while frame k is read back and written.
  std::unique_ptr<render::OffscreenTarget> targets_[2];
  bool primed_ = false;  // frame 0 drawn
  std::unique_ptr<FrameSink> sink_;
  std::vector<std::uint8_t> pixels_;
  int written_ = 0;
  bool finished_ = false;
  QString error_;
};

}  // namespace scorescope::exporting
