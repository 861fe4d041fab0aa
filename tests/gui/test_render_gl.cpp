// The renderers in an offscreen OpenGL context (QOffscreenSurface + QOpenGLContext + FBO, no
// widget): what must be where in the picture. Skips when no GL 3.3 context can be created
// (run under xvfb-run in CI).
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>
#include <QTest>

#include "gl_test_main.hpp"
#include <algorithm>
#include <cmath>
#include <memory>

#include "render/arrow_field.hpp"
#include "render/density_image.hpp"
#include "render/scene_renderer.hpp"
#include "render/shader_program.hpp"
#include "scorescope/gaussian_mixture.hpp"
#include "scorescope/score_model.hpp"

using namespace scorescope;
using namespace scorescope::render;

namespace {

constexpr int kSize = 200;

bool isBackground(QRgb p, const FrameData& f) {
  return std::abs(qRed(p) - f.background.r) <= 2 && std::abs(qGreen(p) - f.background.g) <= 2 &&
         std::abs(qBlue(p) - f.background.b) <= 2;
}

int brightness(QRgb p) { return qRed(p) + qGreen(p) + qBlue(p); }

}  // namespace

class TestRenderGl : public QObject {
  Q_OBJECT
 private:
  QOffscreenSurface surface_;
  QOpenGLContext context_;
  std::unique_ptr<QOpenGLFramebufferObject> fbo_;
  std::unique_ptr<SceneRenderer> renderer_;

  View2D view() const {
    View2D v(kSize, kSize);
    v.fit({-4, -4, 4, 4});  // 0.04 units per pixel
    return v;
  }

  QImage render(const FrameData& frame) {
    fbo_->bind();
    renderer_->draw(frame, view(), {0, 0, kSize, kSize, 1.0f});
    context_.functions()->glFinish();
    return fbo_->toImage();  // flipped to raster order: row 0 at the top
  }

  QPoint pixelOf(double x, double y) const {
    const glm::dvec2 p = view().worldToPixel({x, y});
    return {static_cast<int>(std::floor(p.x)), static_cast<int>(std::floor(p.y))};
  }

 private slots:
  void initTestCase() {
    QSurfaceFormat format;
    format.setVersion(3, 3);
    format.setProfile(QSurfaceFormat::CoreProfile);
    surface_.setFormat(format);
    surface_.create();
    context_.setFormat(format);
    if (!context_.create() || !context_.makeCurrent(&surface_)) SCORESCOPE_GL_UNAVAILABLE("no OpenGL context (run under xvfb-run)");
    const QSurfaceFormat got = context_.format();
    if (got.majorVersion() * 10 + got.minorVersion() < 33) SCORESCOPE_GL_UNAVAILABLE("OpenGL 3.3 not available");
    fbo_ = std::make_unique<QOpenGLFramebufferObject>(kSize, kSize);
    renderer_ = std::make_unique<SceneRenderer>();
  }

  void cleanupTestCase() {
    if (!renderer_) return;
    context_.makeCurrent(&surface_);
    renderer_.reset();
    fbo_.reset();
    context_.doneCurrent();
  }

  void particlesLightTheirPixels_data() {
    QTest::addColumn<bool>("binned");
    QTest::newRow("points") << false;
    QTest::newRow("binned") << true;
  }
  void particlesLightTheirPixels() {
    QFETCH(bool, binned);
    renderer_->setBinningThreshold(binned ? 0 : 1000000);
    const double xs[] = {0.0, 2.0, -3.0};
    const double ys[] = {0.0, -1.0, 3.0};
    const int labels[] = {0, 3, 5};
    FrameData f;
    f.particles.push_back({xs, ys, 3, labels, {}, 4.0f, 1.0f});
    const QImage img = render(f);
    for (int i = 0; i < 3; ++i) {
      const QPoint p = pixelOf(xs[i], ys[i]);
      const QRgb got = img.pixel(p);
      const Rgba8 want = classColour(labels[i]);
      QVERIFY2(std::abs(qRed(got) - want.r) < 40 && std::abs(qGreen(got) - want.g) < 40 &&
                   std::abs(qBlue(got) - want.b) < 40,
               qPrintable(QString("particle %1 at pixel (%2, %3): expected its class colour, got #%4")
                              .arg(i).arg(p.x()).arg(p.y()).arg(got, 6, 16)));
    }
    // Away from every particle the picture is background.
    QVERIFY(isBackground(img.pixel(pixelOf(1.0, 1.0)), f));
    QVERIFY(isBackground(img.pixel(pixelOf(-2.0, -2.0)), f));
    // Count lit pixels: a few per particle, not more.
    int lit = 0;
    for (int y = 0; y < kSize; ++y)
      for (int x = 0; x < kSize; ++x) lit += isBackground(img.pixel(x, y), f) ? 0 : 1;
    QVERIFY2(lit >= 3 && lit <= 3 * 25, qPrintable(QString("lit pixels: %1").arg(lit)));
    renderer_->setBinningThreshold(20000);
  }

  void densityIsBrightestAtAMode() {
    // Two modes; the heavier one at (2, 1) must be the brightest spot of p_t.
    GaussianMixture gmm({{0.7, {2.0, 1.0}, 0.3 * Eigen::Matrix2d::Identity(), 0},
                         {0.3, {-2.0, -2.0}, 0.3 * Eigen::Matrix2d::Identity(), 1}});
    const int columns = 64, rows = 64;
    const WorldRect rect{-4, -4, 4, 4};
    Points grid(columns * rows, 2);
    for (int j = 0; j < rows; ++j)
      for (int i = 0; i < columns; ++i) {
        grid(j * columns + i, 0) = rect.xMin + i * rect.width() / (columns - 1);
        grid(j * columns + i, 1) = rect.yMin + j * rect.height() / (rows - 1);
      }
    const double a = 0.9, s = 0.3;
    const FieldValues v = gmm.evaluate(grid, a, s, {.logDensity = true});
    const std::vector<float> values = scaleLogDensity(v.logDensity.data(), static_cast<std::size_t>(v.logDensity.size()),
                                                      DensityScale::Linear);
    FrameData f;
    DensityLayer d;
    d.values = values.data();
    d.columns = columns;
    d.rows = rows;
    d.rect = rect;
    f.densities.push_back(d);
    const QImage img = render(f);
    QPoint best;
    int bestValue = -1;
    for (int y = 0; y < kSize; ++y)
      for (int x = 0; x < kSize; ++x)
        if (brightness(img.pixel(x, y)) > bestValue) {
          bestValue = brightness(img.pixel(x, y));
          best = {x, y};
        }
    const glm::dvec2 w = view().pixelToWorld({best.x() + 0.5, best.y() + 0.5});
    QVERIFY2(std::hypot(w.x - a * 2.0, w.y - a * 1.0) < 0.2,
             qPrintable(QString("brightest pixel at (%1, %2), expected near the mode (1.8, 0.9)").arg(w.x).arg(w.y)));
    // And the lighter mode is brighter than the empty corner.
    QVERIFY(brightness(img.pixel(pixelOf(-2.0 * a, -2.0 * a))) > brightness(img.pixel(pixelOf(3.8, -3.8))) + 60);
  }

  void aNearlyFlatDensityIsSmooth_data() {
    QTest::addColumn<bool>("merged");
    QTest::addColumn<int>("contours");
    QTest::newRow("density alone") << false << 0;
    QTest::newRow("density alone, contours") << false << 8;
    QTest::newRow("under binned particles, contours") << true << 8;
  }
  void aNearlyFlatDensityIsSmooth() {
    // VE at t = 1 (a = 1, s = 50) seen through the default camera: p_t / max p_t only spans
    // ~0.985..1 over the view, a few steps of an 8-bit value. Drawn at the viewport's ~10 px per
    // grid node, no two neighbouring pixels may differ by more than a smooth gradient does
    // (8-bit values made blocks, and contours on the plateaus where the value hit exactly 1).
    QFETCH(bool, merged);
    QFETCH(int, contours);
    GaussianMixture gmm({{0.5, {2.0, 1.0}, 0.3 * Eigen::Matrix2d::Identity(), 0},
                         {0.5, {-2.0, -2.0}, 0.3 * Eigen::Matrix2d::Identity(), 1}});
    const int columns = 20, rows = 20;
    const WorldRect rect{-4, -4, 4, 4};
    Points grid(columns * rows, 2);
    for (int j = 0; j < rows; ++j)
      for (int i = 0; i < columns; ++i) {
        grid(j * columns + i, 0) = rect.xMin + i * rect.width() / (columns - 1);
        grid(j * columns + i, 1) = rect.yMin + j * rect.height() / (rows - 1);
      }
    const FieldValues v = gmm.evaluate(grid, 1.0, 50.0, {.logDensity = true});
    const std::vector<float> values = scaleLogDensity(v.logDensity.data(), static_cast<std::size_t>(v.logDensity.size()),
                                                      DensityScale::Linear);
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    QVERIFY2(*hi - *lo < 0.03f, "the test needs a nearly flat density");
    FrameData f;
    DensityLayer d;
    d.values = values.data();
    d.columns = columns;
    d.rows = rows;
    d.rect = rect;
    d.contourLevels = contours;
    f.densities.push_back(d);
    // Particles far outside the view, enough to take the binned one-pass path.
    std::vector<double> far(2 * 300000, 100.0);
    if (merged) {
      ParticleLayer p;
      p.xs = far.data();
      p.ys = far.data() + far.size() / 2;
      p.count = far.size() / 2;
      f.particles.push_back(p);
    }
    const QImage img = render(f);
    f.densities[0].contourLevels = 0;
    const QImage plain = render(f);
    auto jump = [](QRgb a, QRgb b) {
      return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) + std::abs(qBlue(a) - qBlue(b));
    };
    // Contour pixels: where the iso-lines lighten the map. A level crossing the view is a thin
    // line; 8-bit values lit whole plateaus (the value was exactly 1 wherever it rounded to 255).
    int lines = 0;
    for (int y = 0; y < kSize; ++y)
      for (int x = 0; x < kSize; ++x) lines += jump(img.pixel(x, y), plain.pixel(x, y)) > 10;
    QVERIFY2(lines < kSize * kSize / 100, qPrintable(QString("%1 contour pixels of %2").arg(lines).arg(kSize * kSize)));
    // The colour itself: no step between neighbouring pixels beyond a smooth gradient's.
    int worst = 0;
    QPoint at;
    for (int y = 10; y < kSize - 11; ++y)
      for (int x = 10; x < kSize - 11; ++x) {
        const int j = std::max(jump(plain.pixel(x, y), plain.pixel(x + 1, y)), jump(plain.pixel(x, y), plain.pixel(x, y + 1)));
        if (j > worst) worst = j, at = {x, y};
      }
    qInfo("%d contour pixels; largest neighbouring-pixel jump %d (|dR| + |dG| + |dB|) at (%d, %d)", lines, worst, at.x(), at.y());
    QVERIFY2(worst <= 6, qPrintable(QString("a jump of %1 at (%2, %3): the density is blocky").arg(worst).arg(at.x()).arg(at.y())));
  }

  void arrowsPointTowardTheMode_data() {
    QTest::addColumn<double>("nodeX");
    QTest::addColumn<double>("nodeY");
    QTest::newRow("right of the mode") << 2.5 << 0.0;
    QTest::newRow("left of the mode") << -2.5 << 0.0;
    QTest::newRow("above the mode") << 0.0 << 2.5;
  }
  void arrowsPointTowardTheMode() {
    QFETCH(double, nodeX);
    QFETCH(double, nodeY);
    // One Gaussian mode at the origin; the exact score at the node comes from the core.
    auto target = std::make_shared<GaussianMixture>(std::vector<MixtureComponent>{{1.0, {0.0, 0.0}, Eigen::Matrix2d::Identity(), 0}});
    const ExactScore model(target, Process(ProcessKind::Vp));
    GridNodes nodes;
    nodes.xs = {nodeX};
    nodes.ys = {nodeY};
    nodes.cellWidth = nodes.cellHeight = 3.0;
    Points x(1, 2);
    x << nodeX, nodeY;
    const Points score = model.score(x, 0.3);
    const auto arrows = makeArrows(nodes, score.col(0).data(), score.col(1).data(), {});
    QCOMPARE(arrows.size(), std::size_t(1));
    FrameData f;
    ArrowLayer layer;
    layer.arrows = arrows.data();
    layer.count = 1;
    layer.shaftWidth = 0.12f;
    layer.headLength = 0.8f;
    layer.opacity = 1.0f;
    f.arrows.push_back(layer);
    const QImage img = render(f);
    // The arrow is centred on its node; its head (the widest part, across the arrow) must be on
    // the side of the mode. Measure lit width across the arrow at +-0.7 along it.
    const double ux = -nodeX / std::hypot(nodeX, nodeY), uy = -nodeY / std::hypot(nodeX, nodeY);
    auto widthAt = [&](double along) {
      int count = 0;
      for (double across = -0.6; across <= 0.6; across += 0.02) {
        const double px = nodeX + along * ux - across * uy, py = nodeY + along * uy + across * ux;
        count += isBackground(img.pixel(pixelOf(px, py)), f) ? 0 : 1;
      }
      return count;
    };
    const int towardMode = widthAt(0.7), awayFromMode = widthAt(-0.7);
    QVERIFY2(towardMode > awayFromMode + 5,
             qPrintable(QString("arrow head should face the mode: width %1 toward, %2 away").arg(towardMode).arg(awayFromMode)));
    QVERIFY(isBackground(img.pixel(pixelOf(0.0, 0.0)), f));  // short of the mode itself
  }

  void densityUnderBinnedParticlesInOnePass() {
    // The merged pass (one density layer + one binned particle layer): particles keep their
    // colour on top, the density shows around them and is brightest at its mode.
    renderer_->setBinningThreshold(0);
    const int columns = 32, rows = 32;
    std::vector<float> values(columns * rows);
    for (int j = 0; j < rows; ++j)
      for (int i = 0; i < columns; ++i) {
        const double x = -4.0 + 8.0 * i / (columns - 1), y = -4.0 + 8.0 * j / (rows - 1);
        values[static_cast<std::size_t>(j * columns + i)] = static_cast<float>(std::exp(-((x + 2) * (x + 2) + (y - 2) * (y - 2))));
      }
    FrameData f;
    DensityLayer d;
    d.values = values.data();
    d.columns = columns;
    d.rows = rows;
    d.rect = {-4, -4, 4, 4};
    f.densities.push_back(d);
    const double xs[] = {2.0}, ys[] = {-2.0};
    const int labels[] = {4};
    f.particles.push_back({xs, ys, 1, labels, {}, 4.0f, 1.0f});
    const QImage img = render(f);
    renderer_->setBinningThreshold(20000);
    const QRgb particle = img.pixel(pixelOf(2.0, -2.0));
    const Rgba8 want = classColour(4);
    QVERIFY2(std::abs(qRed(particle) - want.r) < 10 && std::abs(qGreen(particle) - want.g) < 10 &&
                 std::abs(qBlue(particle) - want.b) < 10,
             qPrintable(QString("particle pixel #%1").arg(particle, 6, 16)));
    QVERIFY2(brightness(img.pixel(pixelOf(-2.0, 2.0))) > brightness(img.pixel(pixelOf(2.0, 2.0))) + 200,
             "the density mode at (-2, 2) should be much brighter than the empty (2, 2)");
  }

  void gridAndAxesDraw() {
    const std::vector<Segment> segments = {{-4, 0, 4, 0, {255, 255, 255, 255}, {255, 255, 255, 255}}};
    FrameData f;
    f.underlays.push_back({segments.data(), segments.size(), 3.0f});
    const QImage img = render(f);
    QVERIFY(!isBackground(img.pixel(pixelOf(1.0, 0.0)), f));
    QVERIFY(isBackground(img.pixel(pixelOf(1.0, 0.5)), f));
  }

  void missingShaderFailsLoudly() {
    bool threw = false;
    try {
      ShaderProgram p(":/shaders/does_not_exist.vert", ":/shaders/points.frag");
    } catch (const std::runtime_error& e) {
      threw = QString(e.what()).contains("does_not_exist.vert");
    }
    QVERIFY2(threw, "a missing shader must throw with its name");
  }
};

SCORESCOPE_GL_TEST_MAIN(TestRenderGl)
#include "test_render_gl.moc"
