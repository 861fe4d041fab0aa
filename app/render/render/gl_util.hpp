#pragma once
// Small shared pieces of the GL renderers: a colour-map texture cache and the view uniforms.
// Include only from renderer .cpp files (pulls in epoxy).
#include <epoxy/gl.h>

#include <map>

#include "render/colormap.hpp"
#include "render/shader_program.hpp"
#include "render/view2d.hpp"

namespace scorescope::render {

// 256x1 RGBA8 textures, one per colour map, made on first use.
class ColormapTextures {
 public:
  ColormapTextures() = default;
  ~ColormapTextures();
  ColormapTextures(const ColormapTextures&) = delete;
  ColormapTextures& operator=(const ColormapTextures&) = delete;
  GLuint get(ColormapKind kind);

 private:
  std::map<ColormapKind, GLuint> textures_;
};

// Sets uCentre and uNdcScale of the bound program from the view.
void setViewUniforms(const ShaderProgram& program, const View2D& view);

}  // namespace scorescope::render
