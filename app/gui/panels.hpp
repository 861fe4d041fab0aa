#pragma once
// The ImGui panels inside the viewport: a sidebar with the lesson, the scene (target, process,
// particles, seed), the lesson's own parameters and the layers; and a timeline bar (play,
// pause, step, scrub, speed, status). They edit a copy of the session's Scene value and hand it
// back through Session::setScene. Every section has its own ID scope, so equal labels in two
// sections ("particles", "levels", "steps") are different widgets.
#include <string>

#include "gui/canvas_layout.hpp"
#include "gui/panel_widgets.hpp"
#include "scorescope/scene.hpp"

namespace scorescope::gui {

class Session;

// Why the last Start did not start (shown under the buttons until the next action).
struct TrainingMessages {
  std::string score, classifier;
};

// Background of the panel strips (linear RGB 0..1), cleared by the viewport under the panels.
inline constexpr float kPanelColour[3] = {0.075f, 0.085f, 0.115f};

class Panels {
 public:
  // Draws the panels and applies edits to the session. frameMs is shown in the status line.
  void draw(Session& session, const CanvasLayout& layout, double frameMs);
  // A frame without the panels (Tab hid them): no widget is on screen.
  void skip() { log_.clear(); }

  // Every widget drawn in the last frame, with its rectangle and the fields it may change.
  const std::vector<WidgetRecord>& widgets() const { return log_.widgets(); }
  QRectF widgetRect(const std::string& name) const { return log_.rect(name); }

 private:
  void sidebar(Session& session, Scene& s, const CanvasLayout& layout);
  void sceneSection(Session& session, Scene& s);
  void lessonHeader(Session& session, Scene& s);
  void layersSection(Scene& s);
  // Play controls and the step/t slider, and below them the status line (progress, errors).
  void timelineBar(Session& session, const CanvasLayout& layout, double frameMs);

  WidgetLog log_;
  TrainingMessages trainingMessages_;
  int pendingParticles_ = -1;  // the particle slider applies on release (re-sampling is costly)
};

// The lesson's own parameters (lesson_panels.cpp). `target` is the planned target (null when
// the scene is invalid): lesson 3 edits a mixture's weights.
void lessonSection(Scene& s, int labelCount, const Target* target, WidgetLog& log);
// Lesson 6: training settings, controls and progress (training_panel.cpp).
void trainingSection(Session& session, Scene& scene, TrainingMessages& messages, WidgetLog& log);
// Lessons 2-5: exact, learned or both side by side (training_panel.cpp).
void scoreSourceSwitch(Session& session, Scene& scene, WidgetLog& log);

}  // namespace scorescope::gui
