#pragma once
// A framebuffer object to render into without a window (export, headless render) and the
// clears the canvas needs, in plain OpenGL through libepoxy: any current context will do (a
// QOpenGLWindow's, or the surfaceless EGL one of headless_context.hpp).
#include <cstdint>
#include <string>
#include <vector>

namespace scorescope::render {

class OffscreenTarget {
 public:
  // An RGBA8 colour buffer of width x height pixels. Requires a current context; throws
  // std::runtime_error naming the size and GL's limit when the framebuffer cannot be made.
  OffscreenTarget(int width, int height);
  ~OffscreenTarget();
  OffscreenTarget(const OffscreenTarget&) = delete;
  OffscreenTarget& operator=(const OffscreenTarget&) = delete;

  int width() const { return width_; }
  int height() const { return height_; }
  // Renders go here until release(), which rebinds the framebuffer bound before bind().
  void bind();
  void release();
  // The pixels as RGBA bytes, rows top to bottom (GL reads bottom-up; the rows are flipped).
  void read(std::vector<std::uint8_t>& rgba) const;

 private:
  int width_ = 0, height_ = 0;
  unsigned framebuffer_ = 0, colour_ = 0;
  int previous_ = 0;
};

// The largest width and height a colour renderbuffer may have in the current context.
int maxRenderbufferSize();

// Hands the commands issued so far to the driver, which (llvmpipe: on its own threads) can
// rasterise them while the caller goes on.
void flush();

// Clears the whole bound framebuffer, or only the rectangle (GL window coordinates: origin at the
// bottom left), to an opaque colour.
void clearAll(float r, float g, float b);
void clearRect(float r, float g, float b, int x, int y, int width, int height);

}  // namespace scorescope::render
