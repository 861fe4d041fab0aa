#pragma once
// The file behind the scene on show, for the window title, Save and the question on close:
// where the scene was read from or saved to (empty: never saved), its title, and the scene as
// it was then. Playing moves the play head every frame; that is not an edit, so "modified"
// ignores the play head (position and playing) but not the playback speed.
#include <QString>
#include <QStringList>

#include "scorescope/scene.hpp"

namespace scorescope::gui {

class Document {
 public:
  // After New, Open or Save: `scene` is what the file holds now.
  void reset(const Scene& scene, const QString& path, const QString& title);

  bool modified(const Scene& now) const;
  const QString& path() const { return path_; }
  // The scene's title, else the file's name, else "Untitled".
  QString name() const;
  const QString& title() const { return title_; }

 private:
  static Scene withoutPlayHead(Scene s);
  Scene saved_;
  QString path_, title_;
};

// Most recently opened files first, without duplicates, at most kMaxRecentFiles.
inline constexpr int kMaxRecentFiles = 8;
QStringList withRecentFile(QStringList recent, const QString& path);

}  // namespace scorescope::gui
