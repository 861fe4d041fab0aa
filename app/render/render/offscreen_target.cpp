#include "render/offscreen_target.hpp"

#include <epoxy/gl.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace scorescope::render {

int maxRenderbufferSize() {
  GLint size = 0;
  glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &size);
  return size;
}

OffscreenTarget::OffscreenTarget(int width, int height) : width_(width), height_(height) {
  const int limit = maxRenderbufferSize();
  if (width < 1 || height < 1 || width > limit || height > limit) {
    throw std::runtime_error("OffscreenTarget: expected a size in 1.." + std::to_string(limit) + " on each side, got " +
                             std::to_string(width) + "x" + std::to_string(height));
  }
  glGenRenderbuffers(1, &colour_);
  glBindRenderbuffer(GL_RENDERBUFFER, colour_);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
  glGenFramebuffers(1, &framebuffer_);
  bind();
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour_);
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  release();
  if (status != GL_FRAMEBUFFER_COMPLETE) {
    glDeleteFramebuffers(1, &framebuffer_);
    glDeleteRenderbuffers(1, &colour_);
    throw std::runtime_error("OffscreenTarget: framebuffer of " + std::to_string(width) + "x" + std::to_string(height) +
                             " incomplete (status " + std::to_string(status) + ")");
  }
}

OffscreenTarget::~OffscreenTarget() {
  glDeleteFramebuffers(1, &framebuffer_);
  glDeleteRenderbuffers(1, &colour_);
}

void OffscreenTarget::bind() {
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &previous_);
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
  glViewport(0, 0, width_, height_);
}

void OffscreenTarget::release() { glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(previous_)); }

void OffscreenTarget::read(std::vector<std::uint8_t>& rgba) const {
  const std::size_t row = static_cast<std::size_t>(width_) * 4;
  rgba.resize(row * static_cast<std::size_t>(height_));
  GLint bound = 0;
  glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &bound);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer_);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(bound));
  std::vector<std::uint8_t> swap(row);
  for (int y = 0; y < height_ / 2; ++y) {
    std::uint8_t* top = rgba.data() + static_cast<std::size_t>(y) * row;
    std::uint8_t* bottom = rgba.data() + static_cast<std::size_t>(height_ - 1 - y) * row;
    std::memcpy(swap.data(), top, row);
    std::memcpy(top, bottom, row);
    std::memcpy(bottom, swap.data(), row);
  }
}

void flush() { glFlush(); }

void clearAll(float r, float g, float b) {
  glDisable(GL_SCISSOR_TEST);
  glClearColor(r, g, b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
}

void clearRect(float r, float g, float b, int x, int y, int width, int height) {
  if (width <= 0 || height <= 0) return;
  glEnable(GL_SCISSOR_TEST);
  glScissor(x, y, width, height);
  glClearColor(r, g, b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  glDisable(GL_SCISSOR_TEST);
}

}  // namespace scorescope::render
