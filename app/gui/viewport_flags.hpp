#pragma once
// The viewport's command line: the scene it opens on and what to do with it (show it, save one
// frame, or time frames). Every flag is checked against core's limits and against the lesson it
// applies to; a bad one gives one line naming it and its allowed range.
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

class QCommandLineParser;

#include "io/lecture_file.hpp"
#include "scorescope/scene.hpp"
#include "scorescope/scene_plan.hpp"
#include "scorescope/score_network.hpp"

namespace scorescope::gui {

struct ViewportFlags {
  Scene scene;
  Scene fileScene;     // the scene the file holds, before the other flags changed it
  QString sceneFile;   // the scene file given, or empty (a lecture's scenes are in `lecture`)
  QString sceneTitle;  // the title the file gives its scene
  QStringList warnings;  // unknown fields of the file
  std::optional<io::Lecture> lecture;
  int width = 1280, height = 720;  // of the viewport, logical pixels
  QString screenshot;              // empty: open the window
  double position = -1.0;          // timeline position of the screenshot; < 0: the default
  int benchFrames = 0;             // > 0: time this many frames and exit
  bool particlesGiven = false;     // the bench times the given count, else 100k and 1M
  bool help = false;
  LearnedModels models;      // --model, --classifier
  long long trainSteps = 0;  // > 0: train the score network this many steps before the first frame
  float uiScale = 0.0f;      // --ui-scale in [1, 3]; 0: not given (the remembered preference)
  bool panelsHidden = false;  // --no-panels
};

// A model file given as --NAME of the expected role, or null with `error` naming the flag.
std::shared_ptr<const TrainedNetwork> readModelFlag(const QCommandLineParser& parser, const QString& name,
                                                    NetworkRole role, QString& error);

// Parses QCoreApplication::arguments() (the program name first); nullopt with `error` set on a
// bad flag.
std::optional<ViewportFlags> parseViewportFlags(const QStringList& arguments, QString& error);

}  // namespace scorescope::gui
