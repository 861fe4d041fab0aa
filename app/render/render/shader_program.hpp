#pragma once
// A GLSL program built from a vertex and a fragment shader in the Qt resources (":/shaders/...").
// Compile and link failures print the driver's log with the file name to stderr and throw:
// a broken shader must never draw silently wrong pictures. Needs a current GL 3.3 context.
#include <string>

namespace scorescope::render {

class ShaderProgram {
 public:
  ShaderProgram(const std::string& vertexResource, const std::string& fragmentResource);
  ~ShaderProgram();
  ShaderProgram(const ShaderProgram&) = delete;
  ShaderProgram& operator=(const ShaderProgram&) = delete;

  void use() const;
  unsigned int id() const { return program_; }
  // Location of a uniform; -1 (ignored by glUniform*) when the compiler removed it.
  int uniform(const char* name) const;

 private:
  unsigned int program_ = 0;
};

// Reads a text file from the Qt resource system; throws with the name when missing.
std::string readResourceText(const std::string& resource);

}  // namespace scorescope::render
