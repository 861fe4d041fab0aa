#pragma once
// An OpenGL 3.3 core context with no window system at all: Mesa's surfaceless EGL platform,
// current on the calling thread for the object's lifetime. `scorescope render` draws into an
// OffscreenTarget with it, so exporting needs no display and no X server.
#include <string>

namespace scorescope::render {

class HeadlessContext {
 public:
  // Makes the context current; on failure ok() is false and error() says which step failed.
  HeadlessContext();
  ~HeadlessContext();
  HeadlessContext(const HeadlessContext&) = delete;
  HeadlessContext& operator=(const HeadlessContext&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  void* display_ = nullptr;
  void* context_ = nullptr;
  std::string error_;
};

}  // namespace scorescope::render
