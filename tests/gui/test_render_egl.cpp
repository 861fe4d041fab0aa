// The renderers with no window system at all: a surfaceless EGL context (Mesa) and an FBO, the
// setup a headless exporter uses. Proves the render library needs only a current
// GL 3.3 context: no Qt GUI, no X server. Fails when EGL surfaceless is unavailable
// (skips with SCORESCOPE_SKIP_GL_TESTS=1, see gl_test_main.hpp).
#include <epoxy/egl.h>
#include <epoxy/gl.h>

#include <QTest>
#include <memory>
#include <vector>

#include "gl_test_main.hpp"
#include "render/scene_renderer.hpp"

using namespace scorescope::render;

class TestRenderEgl : public QObject {
  Q_OBJECT
 private:
  EGLDisplay display_ = EGL_NO_DISPLAY;
  EGLContext context_ = EGL_NO_CONTEXT;

 private slots:
  void initTestCase() {
    if (!epoxy_has_egl_extension(EGL_NO_DISPLAY, "EGL_MESA_platform_surfaceless")) {
      SCORESCOPE_GL_UNAVAILABLE("EGL_MESA_platform_surfaceless not available");
    }
    display_ = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    EGLint major = 0, minor = 0;
    if (display_ == EGL_NO_DISPLAY || !eglInitialize(display_, &major, &minor)) SCORESCOPE_GL_UNAVAILABLE("no surfaceless EGL display");
    eglBindAPI(EGL_OPENGL_API);
    const EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
                                 EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
    context_ = eglCreateContext(display_, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attributes);
    if (context_ == EGL_NO_CONTEXT || !eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, context_)) {
      SCORESCOPE_GL_UNAVAILABLE("no OpenGL 3.3 core context without a surface");
    }
  }

  void cleanupTestCase() {
    if (context_ != EGL_NO_CONTEXT) {
      eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
      eglDestroyContext(display_, context_);
    }
    if (display_ != EGL_NO_DISPLAY) eglTerminate(display_);
  }

  void particlesRenderIntoAnFbo() {
    constexpr int size = 64;
    GLuint fbo = 0, colour = 0;
    glGenFramebuffers(1, &fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glGenRenderbuffers(1, &colour);
    glBindRenderbuffer(GL_RENDERBUFFER, colour);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, size, size);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour);
    QCOMPARE(glCheckFramebufferStatus(GL_FRAMEBUFFER), GLenum(GL_FRAMEBUFFER_COMPLETE));

    std::vector<unsigned char> pixels(size * size * 4);
    {
      SceneRenderer renderer;
      View2D view(size, size);
      view.fit({-1, -1, 1, 1});
      const double xs[] = {0.5}, ys[] = {0.5};  // pixel (48, 16) from the top
      FrameData frame;
      frame.particles.push_back({xs, ys, 1, nullptr, {255, 255, 255, 255}, 6.0f, 1.0f});
      renderer.draw(frame, view, {0, 0, size, size, 1.0f});
      glReadPixels(0, 0, size, size, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    }
    auto at = [&](int x, int yFromTop) {
      const int row = size - 1 - yFromTop;  // glReadPixels rows come bottom-up
      return pixels[static_cast<std::size_t>((row * size + x) * 4)];
    };
    QVERIFY2(at(48, 16) > 200, qPrintable(QString("particle pixel red = %1").arg(at(48, 16))));
    QCOMPARE(int(at(16, 48)), int(FrameData{}.background.r));  // elsewhere: background
    glDeleteRenderbuffers(1, &colour);
    glDeleteFramebuffers(1, &fbo);
  }
};

QTEST_GUILESS_MAIN(TestRenderEgl)
#include "test_render_egl.moc"
