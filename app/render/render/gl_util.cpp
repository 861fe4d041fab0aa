#include "render/gl_util.hpp"

namespace scorescope::render {

ColormapTextures::~ColormapTextures() {
  for (auto& [kind, id] : textures_) glDeleteTextures(1, &id);
}

GLuint ColormapTextures::get(ColormapKind kind) {
  auto it = textures_.find(kind);
  if (it != textures_.end()) return it->second;
  const std::vector<Rgba8> table = makeColormap(kind);
  GLuint id = 0;
  glGenTextures(1, &id);
  glBindTexture(GL_TEXTURE_2D, id);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, static_cast<GLsizei>(table.size()), 1, 0, GL_RGBA,
               GL_UNSIGNED_BYTE, table.data());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  textures_[kind] = id;
  return id;
}

void setViewUniforms(const ShaderProgram& program, const View2D& view) {
  glUniform2f(program.uniform("uCentre"), static_cast<float>(view.centre().x),
              static_cast<float>(view.centre().y));
  const glm::vec2 s = view.ndcScale();
  glUniform2f(program.uniform("uNdcScale"), s.x, s.y);
}

}  // namespace scorescope::render
