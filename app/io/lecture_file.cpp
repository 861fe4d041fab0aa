#include "io/lecture_file.hpp"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

#include "io/text_file.hpp"

namespace scorescope::io {
namespace {

// What a value is, for "expected X, got Y" (as scene files say it).
QString describeJson(const QJsonValue& v) {
  switch (v.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return v.toBool() ? "true" : "false";
    case QJsonValue::Double: return QString::number(v.toDouble(), 'g', 10);
    case QJsonValue::String: return "\"" + clip(v.toString(), 40) + "\"";
    case QJsonValue::Array: return "an array";
    case QJsonValue::Object: return "an object";
    case QJsonValue::Undefined: break;
  }
  return "nothing";
}

}  // namespace


bool looksLikeLecture(const QByteArray& json) {
  return QJsonDocument::fromJson(json).object().value("format") == QJsonValue("scorescope-lecture");
}

std::optional<Lecture> readLectureFile(const QString& path, QString& error) {
  const std::optional<QByteArray> bytes = readFileBounded(path, kMaxJsonBytes, "lecture file", error);
  if (!bytes) return std::nullopt;
  const QString name = clip(path, 200);
  auto fail = [&](const QString& message) {
    error = name + ": " + message;
    return std::nullopt;
  };
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
  if (parseError.error != QJsonParseError::NoError) {
    return fail(QStringLiteral("malformed JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
  }
  const QJsonObject root = doc.object();
  if (!doc.isObject() || root.value("format") != QJsonValue("scorescope-lecture")) {
    return fail("format: expected \"scorescope-lecture\" (a lecture file lists scene files)");
  }
  Lecture lecture;
  lecture.path = path;
  for (const QString& key : root.keys()) {
    if (!QStringList{"format", "version", "title", "scenes"}.contains(key)) lecture.warnings << clip(key) + ": unknown field, ignored";
  }
  // The lecture's own fields are checked as a scene file's are: the wrong type is an error.
  int version = kLectureFileVersion;
  if (root.contains("version")) {
    const QJsonValue v = root.value("version");
    const double d = v.toDouble(0.0);
    if (!v.isDouble() || d != std::floor(d) || d < 1.0 || d > 1e9) {
      return fail("version: expected an integer >= 1, got " + describeJson(v));
    }
    version = static_cast<int>(d);
  }
  if (version > kLectureFileVersion) {
    lecture.warnings << QStringLiteral("version: %1 is newer than this Scorescope reads (%2)").arg(version).arg(kLectureFileVersion);
  }
  if (root.contains("title") && !root.value("title").isString()) {
    return fail("title: expected a string, got " + describeJson(root.value("title")));
  }
  lecture.title = root.value("title").toString(QFileInfo(path).completeBaseName()).left(200);
  const QJsonValue scenes = root.value("scenes");
  if (!scenes.isArray() || scenes.toArray().isEmpty()) {
    return fail("scenes: expected a non-empty array of {\"title\", \"file\"}");
  }
  if (scenes.toArray().size() > kMaxLectureScenes) {
    return fail(QStringLiteral("scenes: expected at most %1 scenes, got %2").arg(kMaxLectureScenes).arg(scenes.toArray().size()));
  }
  const QDir folder = QFileInfo(path).dir();
  const QJsonArray list = scenes.toArray();
  for (qsizetype i = 0; i < list.size(); ++i) {
    const QString at = QStringLiteral("scenes[%1]").arg(i);
    const QJsonObject entry = list[i].toObject();
    if (!list[i].isObject() || !entry.value("file").isString() || entry.value("file").toString().isEmpty()) {
      return fail(at + ".file: expected the path of a scene file");
    }
    for (const QString& key : entry.keys()) {
      if (key != "title" && key != "file") lecture.warnings << at + "." + clip(key) + ": unknown field, ignored";
    }
    if (entry.contains("title") && !entry.value("title").isString()) {
      return fail(at + ".title: expected a string, got " + describeJson(entry.value("title")));
    }
    LectureSlide slide;
    slide.path = QDir::cleanPath(folder.filePath(entry.value("file").toString()));
    QString problem;
    const std::optional<SceneFile> file = readSceneFile(slide.path, problem);
    if (!file) return fail(at + ": " + problem);
    for (const QString& warning : file->warnings) lecture.warnings << at + ": " + warning;
    slide.scene = file->scene;
    slide.title = entry.value("title").toString(file->title).left(200);
    if (slide.title.isEmpty()) slide.title = QFileInfo(slide.path).completeBaseName();
    lecture.slides.push_back(std::move(slide));
  }
  return lecture;
}

}  // namespace scorescope::io
