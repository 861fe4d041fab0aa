#include "render/shader_program.hpp"

#include <epoxy/gl.h>

#include <QFile>
#include <cstdio>
#include <stdexcept>

namespace scorescope::render {
namespace {

std::string infoLog(GLuint object, bool isProgram) {
  GLint length = 0;
  if (isProgram) glGetProgramiv(object, GL_INFO_LOG_LENGTH, &length);
  else glGetShaderiv(object, GL_INFO_LOG_LENGTH, &length);
  std::string log(static_cast<std::size_t>(std::max(length, 1)), '\0');
  if (isProgram) glGetProgramInfoLog(object, length, nullptr, log.data());
  else glGetShaderInfoLog(object, length, nullptr, log.data());
  return log;
}

GLuint compile(GLenum type, const std::string& resource) {
  const std::string source = readResourceText(resource);
  const GLuint shader = glCreateShader(type);
  const char* text = source.c_str();
  glShaderSource(shader, 1, &text, nullptr);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE) {
    const std::string message = "ShaderProgram: compiling " + resource + " failed:\n" + infoLog(shader, false);
    std::fprintf(stderr, "%s\n", message.c_str());
    glDeleteShader(shader);
    throw std::runtime_error(message);
  }
  return shader;
}

}  // namespace

std::string readResourceText(const std::string& resource) {
  QFile file(QString::fromStdString(resource));
  if (!file.open(QIODevice::ReadOnly)) {
    throw std::runtime_error("readResourceText(): cannot open resource " + resource);
  }
  return file.readAll().toStdString();
}

ShaderProgram::ShaderProgram(const std::string& vertexResource, const std::string& fragmentResource) {
  const GLuint vs = compile(GL_VERTEX_SHADER, vertexResource);
  GLuint fs = 0;
  try {
    fs = compile(GL_FRAGMENT_SHADER, fragmentResource);
  } catch (...) {
    glDeleteShader(vs);
    throw;
  }
  program_ = glCreateProgram();
  glAttachShader(program_, vs);
  glAttachShader(program_, fs);
  glLinkProgram(program_);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = GL_FALSE;
  glGetProgramiv(program_, GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE) {
    const std::string message = "ShaderProgram: linking " + vertexResource + " + " + fragmentResource +
                                " failed:\n" + infoLog(program_, true);
    std::fprintf(stderr, "%s\n", message.c_str());
    glDeleteProgram(program_);
    program_ = 0;
    throw std::runtime_error(message);
  }
}

ShaderProgram::~ShaderProgram() {
  if (program_ != 0) glDeleteProgram(program_);
}

void ShaderProgram::use() const { glUseProgram(program_); }

int ShaderProgram::uniform(const char* name) const { return glGetUniformLocation(program_, name); }

}  // namespace scorescope::render
