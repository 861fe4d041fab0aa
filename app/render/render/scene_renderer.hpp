#pragma once
// Draws a FrameData into the current framebuffer with plain OpenGL 3.3 core: density maps,
// grid/axes, particles (round point sprites for small counts, CPU-binned image for large ones),
// trails and paths, arrows. Needs only a current GL context (a QOpenGLWidget, an offscreen
// QOpenGLContext + FBO, or a surfaceless EGL context); create, use and destroy it with the same
// context current. Not copyable; one per context.
#include <memory>

#include "render/frame_data.hpp"

namespace scorescope::render {

// Where to draw in the framebuffer: a rectangle in device pixels, origin bottom-left, and the
// device-pixel ratio (point sizes and line widths are given in logical pixels).
struct TargetRect {
  int x = 0, y = 0, width = 1, height = 1;
  float devicePixelRatio = 1.0f;
};

struct RenderStats {
  std::size_t pointsDrawn = 0;   // as GL points
  std::size_t pointsBinned = 0;  // through the CPU binner
  std::size_t arrows = 0;
  std::size_t segments = 0;
};

class SceneRenderer {
 public:
  // Compiles the shaders (throws with the log on failure).
  SceneRenderer();
  ~SceneRenderer();
  SceneRenderer(const SceneRenderer&) = delete;
  SceneRenderer& operator=(const SceneRenderer&) = delete;

  // Particle layers with more points than this are binned on the CPU instead of drawn as points.
  void setBinningThreshold(std::size_t n) { binningThreshold_ = n; }

  // Clears `rect` to the background (when clear) and draws every layer of `frame` as seen by `view`.
  RenderStats draw(const FrameData& frame, const View2D& view, const TargetRect& rect, bool clear = true);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::size_t binningThreshold_ = 20000;
};

}  // namespace scorescope::render
