#pragma once
// Lecture files: an ordered list of scene files with a title each, stepped through with a
// presentation clicker (Page Down / Page Up).
//   {"format": "scorescope-lecture", "version": 1, "title": "Score-based models",
//    "scenes": [{"title": "Forward noising", "file": "forward-noising.json"}, ...]}
// A "file" is relative to the lecture file's folder (or absolute). Every scene is read when the
// lecture opens, so a broken slide is reported before the lecture starts, not in front of the
// class. The schema is in docs/scene-format.md.
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

#include "io/scene_file.hpp"

namespace scorescope::io {

inline constexpr int kLectureFileVersion = 1;
inline constexpr int kMaxLectureScenes = 500;

struct LectureSlide {
  QString title;  // the entry's title, else the scene file's, else its file name
  QString path;   // resolved
  Scene scene;
};

struct Lecture {
  QString title;
  QString path;
  std::vector<LectureSlide> slides;
  QStringList warnings;  // unknown fields, of the lecture and of its scenes
};

// What a JSON file holds, from its "format" field: a lecture, else a scene (older scene files
// may have no format field).
bool looksLikeLecture(const QByteArray& json);

std::optional<Lecture> readLectureFile(const QString& path, QString& error);

}  // namespace scorescope::io
