#pragma once
// The play head: a position u in [0, 1] over either continuous time t (lessons 1-2, u = t,
// played back and forth) or the recorded steps of a sampler run (lessons 3-5, u = step / last,
// looped with a short hold at the end so the result can be seen). Play, pause, step, scrub,
// speed. Pure logic, no Qt.
#include <string>

namespace scorescope::gui {

class Timeline {
 public:
  // lastStep > 0: discrete steps 0..lastStep; 0: continuous. Step 0 is the initial state; with
  // finalDenoise the last recorded step is the Tweedie denoise after the sampler's last step.
  void setSteps(int lastStep, bool finalDenoise = false);
  int lastStep() const { return lastStep_; }
  bool discrete() const { return lastStep_ > 0; }

  bool playing() const { return playing_; }
  void setPlaying(bool p) { playing_ = p; }
  double speed() const { return speed_; }
  void setSpeed(double s);
  // Seconds one pass takes at speed 1.
  static constexpr double kBaseSeconds = 5.0;

  double position() const { return position_; }
  void scrubTo(double u);
  // Advances by wall-clock seconds when playing.
  void advance(double seconds);
  // One step (discrete) or 1/100 (continuous) forward or back; pauses.
  void step(int direction);

  // The current step, rounded down (discrete timelines).
  int currentStep() const;
  // The sampler steps (the recorded steps less the initial state and the denoise).
  int samplerSteps() const { return lastStep_ - (finalDenoise_ ? 1 : 0); }
  // What a recorded step is, for the play head's label: "initial noise (step 0 / 100)",
  // "step 37 / 100", "step 100 / 100 + denoise". No '%' in it (it is an ImGui format).
  std::string stepLabel(int step) const;

 private:
  int lastStep_ = 0;
  bool finalDenoise_ = false;
  bool playing_ = true;
  double speed_ = 1.0;
  double position_ = 0.0;
  int direction_ = 1;     // continuous timelines play back and forth
  double holdLeft_ = 0.0; // seconds left to hold at the end of a discrete pass
};

}  // namespace scorescope::gui
