#include "gui/document.hpp"

#include <QFileInfo>

namespace scorescope::gui {

void Document::reset(const Scene& scene, const QString& path, const QString& title) {
  saved_ = withoutPlayHead(scene);
  path_ = path;
  title_ = title;
}

Scene Document::withoutPlayHead(Scene s) {
  s.display.playback.position = 0.0;
  s.display.playback.playing = false;
  return s;
}

bool Document::modified(const Scene& now) const { return !(withoutPlayHead(now) == saved_); }

QString Document::name() const {
  if (!title_.isEmpty()) return title_;
  if (!path_.isEmpty()) return QFileInfo(path_).fileName();
  return "Untitled";
}

QStringList withRecentFile(QStringList recent, const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  recent.removeAll(absolute);
  recent.prepend(absolute);
  while (recent.size() > kMaxRecentFiles) recent.removeLast();
  return recent;
}

}  // namespace scorescope::gui
