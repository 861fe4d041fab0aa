#pragma once
// Scene files: the Scene value (core/scorescope/scene.hpp) as JSON, one key per field of
// visitSceneFields, nested by its path:
//   {"format": "scorescope-scene", "version": 1, "title": "...",
//    "sampled": {"lesson": 2, "target": {...}, "process": "vp", "sampler": {"kind": "ode-heun",
//                "steps": 100, ...}, ...},
//    "display": {"layers": {"arrows": true, ...}, "camera": {...}, "playback": {...}, ...}}
// The schema is docs/scene-format.md. Reading is forgiving where it can be and strict where it
// must be: a missing field keeps its default (so files of older versions load), an unknown field
// is a warning naming its path (a newer file still opens), and a present field of the wrong type
// or outside its range is an error naming its JSON path and what is allowed. A file either loads
// whole or not at all: the caller's scene is untouched on error.
#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

#include "scorescope/scene.hpp"
#include "scorescope/scene_plan.hpp"

namespace scorescope::io {

inline constexpr int kSceneFileVersion = 1;

struct SceneFile {
  Scene scene;
  QString title;        // optional; shown in the window title and the Lectures menu
  QStringList warnings;  // unknown fields, one line each ("display.colour: unknown field, ignored")
};

// Every field of `scene`, pretty-printed, ending in a newline.
QByteArray sceneToJson(const Scene& scene, const QString& title = {});
std::optional<SceneFile> sceneFromJson(const QByteArray& json, QString& error);

// A planner error as a scene file names it: the JSON path of the field at fault
// (plan.errorField) with the planner's "expected ..., got ..." ("sampled.guidance.label: expected
// a class of the target in [0, 7], got 9"), where the flags name the flag ("class: ...").
QString planErrorInFile(const ScenePlan& plan);

// Bounded read (text_file.hpp) and parse; errors start with the file name.
std::optional<SceneFile> readSceneFile(const QString& path, QString& error);
// Writes atomically (a temporary file renamed over `path`); empty on success, else one line.
QString writeSceneFile(const QString& path, const Scene& scene, const QString& title = {});

}  // namespace scorescope::io
