#include "render/scene_renderer.hpp"

#include <epoxy/gl.h>

#include <algorithm>
#include <cstddef>
#include <map>
#include <vector>

#include "render/gl_util.hpp"
#include "render/particle_binner.hpp"

namespace scorescope::render {
namespace {

// NDC rectangle of a data rectangle under a view.
void setNdcRect(const ShaderProgram& p, const View2D& view, const WorldRect& r) {
  const glm::vec2 s = view.ndcScale();
  const auto cx = static_cast<float>(view.centre().x), cy = static_cast<float>(view.centre().y);
  glUniform4f(p.uniform("uNdcRect"), (static_cast<float>(r.xMin) - cx) * s.x,
              (static_cast<float>(r.yMin) - cy) * s.y, (static_cast<float>(r.xMax) - cx) * s.x,
              (static_cast<float>(r.yMax) - cy) * s.y);
}

// The arrow mesh: shaft quad (two triangles) then the head triangle; see arrows.vert.
constexpr float kArrowMesh[] = {
    // along, head, shaftSide, headSide
    0, 0, -1, 0, 1, -1, -1, 0, 1, -1, 1, 0,  //
    0, 0, -1, 0, 1, -1, 1, 0,  0, 0, 1, 0,   //
    1, -1, 0, -1, 1, 0, 0, 0, 1, -1, 0, 1,   //
};
constexpr float kSegmentCorners[] = {0, -1, 1, -1, 0, 1, 1, 1};

// Enables vertex attribute `index` of the bound VAO from the bound buffer; divisor 1 makes it
// per instance.
void attribute(GLuint index, GLint size, GLenum type, GLboolean normalised, GLsizei stride,
               std::size_t offset, GLuint divisor) {
  glEnableVertexAttribArray(index);
  glVertexAttribPointer(index, size, type, normalised, stride, reinterpret_cast<const void*>(offset));
  glVertexAttribDivisor(index, divisor);
}

}  // namespace

struct SceneRenderer::Impl {
  ShaderProgram points{":/shaders/points.vert", ":/shaders/points.frag"};
  ShaderProgram binned{":/shaders/screen_quad.vert", ":/shaders/binned_particles.frag"};
  ShaderProgram density{":/shaders/screen_quad.vert", ":/shaders/density.frag"};
  ShaderProgram arrows{":/shaders/arrows.vert", ":/shaders/arrows.frag"};
  ShaderProgram segments{":/shaders/segments.vert", ":/shaders/segments.frag"};
  ShaderProgram combined{":/shaders/screen_quad.vert", ":/shaders/density_particles.frag"};
  ColormapTextures colormaps;
  ParticleBinner binner;
  std::vector<float> pointScratch;
  std::vector<Rgba8> colourScratch;

  GLuint emptyVao = 0;
  GLuint pointVao = 0, pointPositions = 0, pointColours = 0;
  GLuint arrowVao = 0, arrowMesh = 0, arrowInstances = 0;
  GLuint segmentVao = 0, segmentCorners = 0, segmentInstances = 0;
  GLuint densityTexture = 0, binnedTexture = 0;

  Impl() {
    glGenVertexArrays(1, &emptyVao);

    glGenVertexArrays(1, &pointVao);
    glGenBuffers(1, &pointPositions);
    glGenBuffers(1, &pointColours);
    glBindVertexArray(pointVao);
    glBindBuffer(GL_ARRAY_BUFFER, pointPositions);
    attribute(0, 2, GL_FLOAT, GL_FALSE, 0, 0, 0);
    glBindBuffer(GL_ARRAY_BUFFER, pointColours);
    attribute(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, 0, 0, 0);

    // Arrows: a static mesh (attribute 0) drawn once per instance (attributes 1-3).
    glGenVertexArrays(1, &arrowVao);
    glGenBuffers(1, &arrowMesh);
    glGenBuffers(1, &arrowInstances);
    glBindVertexArray(arrowVao);
    glBindBuffer(GL_ARRAY_BUFFER, arrowMesh);
    glBufferData(GL_ARRAY_BUFFER, sizeof(kArrowMesh), kArrowMesh, GL_STATIC_DRAW);
    attribute(0, 4, GL_FLOAT, GL_FALSE, 0, 0, 0);
    glBindBuffer(GL_ARRAY_BUFFER, arrowInstances);
    constexpr auto arrowStride = static_cast<GLsizei>(sizeof(ArrowInstance));
    attribute(1, 2, GL_FLOAT, GL_FALSE, arrowStride, offsetof(ArrowInstance, x), 1);
    attribute(2, 2, GL_FLOAT, GL_FALSE, arrowStride, offsetof(ArrowInstance, dx), 1);
    attribute(3, 1, GL_FLOAT, GL_FALSE, arrowStride, offsetof(ArrowInstance, value), 1);

    // Segments: a unit quad (attribute 0) expanded per instance (attributes 1-3).
    glGenVertexArrays(1, &segmentVao);
    glGenBuffers(1, &segmentCorners);
    glGenBuffers(1, &segmentInstances);
    glBindVertexArray(segmentVao);
    glBindBuffer(GL_ARRAY_BUFFER, segmentCorners);
    glBufferData(GL_ARRAY_BUFFER, sizeof(kSegmentCorners), kSegmentCorners, GL_STATIC_DRAW);
    attribute(0, 2, GL_FLOAT, GL_FALSE, 0, 0, 0);
    glBindBuffer(GL_ARRAY_BUFFER, segmentInstances);
    constexpr auto segmentStride = static_cast<GLsizei>(sizeof(Segment));
    attribute(1, 4, GL_FLOAT, GL_FALSE, segmentStride, offsetof(Segment, x0), 1);
    attribute(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, segmentStride, offsetof(Segment, c0), 1);
    attribute(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, segmentStride, offsetof(Segment, c1), 1);
    glBindVertexArray(0);

    densityTexture = makeTexture(GL_LINEAR);
    binnedTexture = makeTexture(GL_NEAREST);
  }

  ~Impl() {
    GLuint vaos[] = {emptyVao, pointVao, arrowVao, segmentVao};
    glDeleteVertexArrays(4, vaos);
    GLuint buffers[] = {pointPositions, pointColours, arrowMesh, arrowInstances, segmentCorners, segmentInstances};
    glDeleteBuffers(6, buffers);
    GLuint textures[] = {densityTexture, binnedTexture};
    glDeleteTextures(2, textures);
  }

  static GLuint makeTexture(GLint filter) {
    GLuint id = 0;
    glGenTextures(1, &id);
    glBindTexture(GL_TEXTURE_2D, id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return id;
  }

  // Uploads the density values as floats to densityTexture (unit 0) and binds the layer's colour
  // map to `colormapUnit`; returns the data rectangle the texture spans (texel centres sit at the
  // grid nodes: half a cell beyond the node rect). The values stay floats until the shader's
  // colour lookup: 8-bit values made a nearly flat density (VE at t = 1) blocky.
  WorldRect uploadDensity(const DensityLayer& d, GLenum colormapUnit) {
    glActiveTexture(colormapUnit);
    glBindTexture(GL_TEXTURE_2D, colormaps.get(d.colormap));
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, densityTexture);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, d.columns, d.rows, 0, GL_RED, GL_FLOAT, d.values);
    const WorldRect r = d.rect;
    const double hx = 0.5 * r.width() / std::max(1, d.columns - 1), hy = 0.5 * r.height() / std::max(1, d.rows - 1);
    return {r.xMin - hx, r.yMin - hy, r.xMax + hx, r.yMax + hy};
  }

  void drawDensity(const DensityLayer& d, const View2D& view) {
    if (!d.values || d.columns <= 0 || d.rows <= 0) return;
    const WorldRect r = uploadDensity(d, GL_TEXTURE1);
    glActiveTexture(GL_TEXTURE0);
    density.use();
    setNdcRect(density, view, r);
    glUniform1i(density.uniform("uValues"), 0);
    glUniform1i(density.uniform("uColormap"), 1);
    glUniform1i(density.uniform("uContourLevels"), d.contourLevels);
    glUniform1f(density.uniform("uOpacity"), d.opacity);
    glBindVertexArray(emptyVao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  }

  void drawSegments(const SegmentLayer& s, const View2D& view, const TargetRect& rect) {
    if (!s.segments || s.count == 0) return;
    glBindBuffer(GL_ARRAY_BUFFER, segmentInstances);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(s.count * sizeof(Segment)), s.segments, GL_STREAM_DRAW);
    segments.use();
    setViewUniforms(segments, view);
    glUniform2f(segments.uniform("uViewportPx"), static_cast<float>(rect.width), static_cast<float>(rect.height));
    glUniform1f(segments.uniform("uWidthPx"), s.widthPx * rect.devicePixelRatio);
    glBindVertexArray(segmentVao);
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, static_cast<GLsizei>(s.count));
  }

  void drawArrows(const ArrowLayer& a, const View2D& view) {
    if (!a.arrows || a.count == 0) return;
    glBindBuffer(GL_ARRAY_BUFFER, arrowInstances);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(a.count * sizeof(ArrowInstance)), a.arrows, GL_STREAM_DRAW);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, colormaps.get(a.colormap));
    arrows.use();
    setViewUniforms(arrows, view);
    glUniform1f(arrows.uniform("uShaftHalfWidth"), 0.5f * a.shaftWidth);
    glUniform1f(arrows.uniform("uHeadLength"), a.headLength);
    glUniform1f(arrows.uniform("uOpacity"), a.opacity);
    glUniform1i(arrows.uniform("uColormap"), 0);
    glBindVertexArray(arrowVao);
    glDrawArraysInstanced(GL_TRIANGLES, 0, 9, static_cast<GLsizei>(a.count));
  }

  void drawPoints(const ParticleLayer& p, const View2D& view, const TargetRect& rect) {
    pointScratch.resize(2 * p.count);
    colourScratch.resize(p.count);
    for (std::size_t i = 0; i < p.count; ++i) {
      pointScratch[2 * i] = static_cast<float>(p.xs[i]);
      pointScratch[2 * i + 1] = static_cast<float>(p.ys[i]);
      colourScratch[i] = p.labels ? classColour(p.labels[i]) : p.colour;
    }
    glBindBuffer(GL_ARRAY_BUFFER, pointPositions);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(pointScratch.size() * sizeof(float)),
                 pointScratch.data(), GL_STREAM_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, pointColours);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(colourScratch.size() * sizeof(Rgba8)),
                 colourScratch.data(), GL_STREAM_DRAW);
    points.use();
    setViewUniforms(points, view);
    glUniform1f(points.uniform("uPointSize"), p.pointSizePx * rect.devicePixelRatio);
    glUniform1f(points.uniform("uAlpha"), p.alpha);
    glEnable(GL_PROGRAM_POINT_SIZE);
    glBindVertexArray(pointVao);
    glDrawArrays(GL_POINTS, 0, static_cast<GLsizei>(p.count));
  }

  // Bins the layer and uploads the image to binnedTexture on `unit`; returns the fraction of the
  // viewport the bin grid covers (it may overhang by part of a bin on the right and bottom).
  glm::vec2 uploadBinned(const ParticleLayer& p, const View2D& view, GLenum unit) {
    binner.bin(p, view, std::max(1, static_cast<int>(p.pointSizePx + 0.5f)));
    glActiveTexture(unit);
    glBindTexture(GL_TEXTURE_2D, binnedTexture);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, binner.columns(), binner.rows(), 0, GL_RGBA,
                 GL_UNSIGNED_BYTE, binner.image().data());
    glActiveTexture(GL_TEXTURE0);
    return {static_cast<float>(binner.columns() * binner.binPx()) / static_cast<float>(view.widthPx()),
            static_cast<float>(binner.rows() * binner.binPx()) / static_cast<float>(view.heightPx())};
  }

  // Density under binned particles in one pass (see density_particles.frag).
  void drawDensityAndBinned(const DensityLayer& d, const ParticleLayer& p, const View2D& view, Rgba8 background) {
    const WorldRect r = uploadDensity(d, GL_TEXTURE2);
    const glm::vec2 scale = uploadBinned(p, view, GL_TEXTURE1);
    const WorldRect v = view.visibleRect();
    combined.use();
    glUniform4f(combined.uniform("uNdcRect"), -1.0f, -1.0f, 1.0f, 1.0f);
    glUniform4f(combined.uniform("uDensityUv"), static_cast<float>(v.width() / r.width()),
                static_cast<float>(v.height() / r.height()), static_cast<float>((v.xMin - r.xMin) / r.width()),
                static_cast<float>((v.yMin - r.yMin) / r.height()));
    glUniform2f(combined.uniform("uParticleScale"), scale.x, scale.y);
    glUniform1i(combined.uniform("uDensity"), 0);
    glUniform1i(combined.uniform("uParticles"), 1);
    glUniform1i(combined.uniform("uColormap"), 2);
    glUniform1i(combined.uniform("uContourLevels"), d.contourLevels);
    glUniform1f(combined.uniform("uDensityOpacity"), d.opacity);
    glUniform3f(combined.uniform("uBackground"), background.r / 255.0f, background.g / 255.0f, background.b / 255.0f);
    glDisable(GL_BLEND);
    glBindVertexArray(emptyVao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glEnable(GL_BLEND);
  }

  void drawBinned(const ParticleLayer& p, const View2D& view) {
    const glm::vec2 scale = uploadBinned(p, view, GL_TEXTURE0);
    binned.use();
    const float sx = scale.x, sy = scale.y;
    glUniform4f(binned.uniform("uNdcRect"), -1.0f, 1.0f - 2.0f * sy, -1.0f + 2.0f * sx, 1.0f);
    glUniform1i(binned.uniform("uImage"), 0);
    glBindVertexArray(emptyVao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  }
};

SceneRenderer::SceneRenderer() : impl_(std::make_unique<Impl>()) {}
SceneRenderer::~SceneRenderer() = default;

RenderStats SceneRenderer::draw(const FrameData& frame, const View2D& view, const TargetRect& rect, bool clear) {
  RenderStats stats;
  glViewport(rect.x, rect.y, rect.width, rect.height);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  if (clear) {
    glEnable(GL_SCISSOR_TEST);
    glScissor(rect.x, rect.y, rect.width, rect.height);
    glClearColor(frame.background.r / 255.0f, frame.background.g / 255.0f, frame.background.b / 255.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glDisable(GL_SCISSOR_TEST);
  }
  glEnable(GL_BLEND);
  glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);  // every shader outputs premultiplied colour

  // The common big case, one density map under one binned particle layer, is a single opaque
  // pass; the grid then goes on top (it is faint) instead of between them.
  const bool merged = frame.densities.size() == 1 && frame.particles.size() == 1 &&
                      frame.particles[0].count > binningThreshold_ && frame.densities[0].values;
  if (merged) {
    impl_->drawDensityAndBinned(frame.densities[0], frame.particles[0], view, frame.background);
    stats.pointsBinned += frame.particles[0].count;
  } else {
    for (const DensityLayer& d : frame.densities) impl_->drawDensity(d, view);
  }
  for (const SegmentLayer& s : frame.underlays) {
    impl_->drawSegments(s, view, rect);
    stats.segments += s.count;
  }
  for (const ParticleLayer& p : frame.particles) {
    if (p.count == 0 || merged) continue;
    if (p.count > binningThreshold_) {
      impl_->drawBinned(p, view);
      stats.pointsBinned += p.count;
    } else {
      impl_->drawPoints(p, view, rect);
      stats.pointsDrawn += p.count;
    }
  }
  for (const SegmentLayer& s : frame.lines) {
    impl_->drawSegments(s, view, rect);
    stats.segments += s.count;
  }
  for (const ArrowLayer& a : frame.arrows) {
    impl_->drawArrows(a, view);
    stats.arrows += a.count;
  }
  glBindVertexArray(0);
  glUseProgram(0);
  return stats;
}

}  // namespace scorescope::render
