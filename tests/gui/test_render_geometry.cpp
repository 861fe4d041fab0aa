// GL-free parts of the renderers and the GUI logic: view mapping, particle binning, arrows,
// ticks, density scaling, colour maps, timeline, frame statistics, forward particles.
#include <QTest>
#include <cmath>

#include "gui/frame_builder.hpp"
#include "gui/frame_stats.hpp"
#include "gui/number_text.hpp"
#include "gui/timeline.hpp"
#include "render/arrow_field.hpp"
#include "render/axes.hpp"
#include "render/colormap.hpp"
#include "render/density_image.hpp"
#include "render/particle_binner.hpp"
#include "render/view2d.hpp"

using namespace scorescope;
using namespace scorescope::render;

class TestRenderGeometry : public QObject {
  Q_OBJECT
 private slots:
  void viewMapsCornersAndCentre() {
    View2D v(800, 400);
    v.fit({-4, -4, 4, 4});
    // The square fits the height: 8 units over 400 px; x shows [-8, 8].
    QCOMPARE(v.unitsPerPixel(), 8.0 / 400.0);
    const glm::dvec2 c = v.worldToPixel({0, 0});
    QCOMPARE(c.x, 400.0);
    QCOMPARE(c.y, 200.0);
    const glm::dvec2 top = v.worldToPixel({0, 4});
    QCOMPARE(top.y, 0.0);  // y up in data, down in pixels
    const glm::dvec2 back = v.pixelToWorld(v.worldToPixel({1.25, -3.5}));
    QVERIFY(std::abs(back.x - 1.25) < 1e-12 && std::abs(back.y + 3.5) < 1e-12);
  }

  void zoomKeepsTheCursorPointFixed() {
    View2D v(640, 480);
    v.fit({-4, -4, 4, 4});
    const glm::dvec2 cursor{100, 350};
    const glm::dvec2 before = v.pixelToWorld(cursor);
    v.zoomAt(cursor, 2.5);
    const glm::dvec2 after = v.pixelToWorld(cursor);
    QVERIFY2(std::abs(before.x - after.x) < 1e-12 && std::abs(before.y - after.y) < 1e-12,
             "View2D::zoomAt moved the data point under the cursor");
  }

  void panMovesContentWithTheDrag() {
    View2D v(640, 480);
    v.fit({-4, -4, 4, 4});
    const glm::dvec2 p = v.worldToPixel({1, 1});
    v.panPixels(30, -20);
    const glm::dvec2 q = v.worldToPixel({1, 1});
    QCOMPARE(q.x - p.x, 30.0);
    QCOMPARE(q.y - p.y, -20.0);
  }

  void binnerPutsPointsInTheirBins() {
    View2D v(100, 100);
    v.fit({-1, -1, 1, 1});  // 0.02 units per pixel
    const double xs[] = {0.0, -0.99, 0.99, 5.0};
    const double ys[] = {0.0, 0.99, -0.99, 0.0};
    const int labels[] = {0, 1, 2, 3};
    ParticleLayer layer;
    layer.xs = xs;
    layer.ys = ys;
    layer.labels = labels;
    layer.count = 4;
    layer.alpha = 1.0f;
    ParticleBinner b;
    b.bin(layer, v, 2);
    QCOMPARE(b.columns(), 50);
    QCOMPARE(b.rows(), 50);
    QCOMPARE(b.visibleCount(), std::size_t(3));  // (5, 0) is outside
    auto at = [&](int col, int row) { return b.image()[static_cast<std::size_t>(row * b.columns() + col)]; };
    QCOMPARE(int(at(25, 25).a), 255);  // origin: pixel (50, 50) -> bin (25, 25)
    QCOMPARE(int(at(25, 25).r), int(classColour(0).r));
    QCOMPARE(int(at(0, 0).a), 255);    // top-left
    QCOMPARE(int(at(0, 0).g), int(classColour(1).g));
    QCOMPARE(int(at(49, 49).a), 255);  // bottom-right
    QCOMPARE(int(at(10, 40).a), 0);    // empty bin stays transparent
  }

  void binnerCoverageGrowsWithCount() {
    View2D v(10, 10);
    v.fit({-1, -1, 1, 1});
    std::vector<double> xs(3, 0.05), ys(3, 0.05);
    ParticleLayer layer;
    layer.xs = xs.data();
    layer.ys = ys.data();
    layer.alpha = 0.5f;
    ParticleBinner b;
    layer.count = 1;
    b.bin(layer, v, 1);
    // (0.05, 0.05) is pixel (5.25, 4.75): column 5, row 4.
    const int one = b.image()[4 * 10 + 5].a;
    layer.count = 3;
    b.bin(layer, v, 1);
    const int three = b.image()[4 * 10 + 5].a;
    QCOMPARE(one, 128);                               // 1 - 0.5
    QCOMPARE(three, int(std::lround(0.875 * 255)));   // 1 - 0.5^3
  }

  void largeBatchesBinOnTwoThreadsWithTheSameCounts() {
    // 250k points (above the two-thread threshold): 249 999 at the origin, the last one in the
    // top-left bin, which the second thread bins. Both halves must be counted.
    const std::size_t n = 250000;
    std::vector<double> xs(n, 0.0), ys(n, 0.0);
    xs.back() = -0.99;
    ys.back() = 0.99;
    View2D v(100, 100);
    v.fit({-1, -1, 1, 1});
    ParticleLayer layer;
    layer.xs = xs.data();
    layer.ys = ys.data();
    layer.count = n;
    layer.alpha = 0.5f;
    ParticleBinner b;
    b.bin(layer, v, 2);
    QCOMPARE(b.visibleCount(), n);
    QCOMPARE(int(b.image()[0].a), 128);                    // one point: coverage 0.5
    QCOMPARE(int(b.image()[25 * 50 + 25].a), 255);         // saturated
  }

  void arrowsFollowTheFieldDirection() {
    const GridNodes nodes = makeGridNodes({-1, -1, 1, 1}, 2);
    QCOMPARE(nodes.xs.size(), std::size_t(4));
    QCOMPARE(nodes.xs[0], -0.5);
    QCOMPARE(nodes.ys[3], 0.5);
    // A field pointing at the origin: v = -x.
    std::vector<double> vx, vy;
    for (std::size_t k = 0; k < 4; ++k) {
      vx.push_back(-nodes.xs[k] * (static_cast<double>(k) + 1.0));
      vy.push_back(-nodes.ys[k] * (static_cast<double>(k) + 1.0));
    }
    const auto arrows = makeArrows(nodes, vx.data(), vy.data(), {});
    QCOMPARE(arrows.size(), std::size_t(4));
    for (std::size_t k = 0; k < 4; ++k) {
      const auto& a = arrows[k];
      // Direction matches; normalised length = 0.7 cell; centred on the node.
      QVERIFY(a.dx * vx[k] > 0 && a.dy * vy[k] > 0);
      QVERIFY(std::abs(std::hypot(a.dx, a.dy) - 0.7) < 1e-6);
      QVERIFY(std::abs(a.x + 0.5f * a.dx - nodes.xs[k]) < 1e-6);
    }
    QCOMPARE(arrows[3].value, 1.0f);  // the largest magnitude
    QVERIFY(std::abs(arrows[0].value - 0.25f) < 1e-6);

    ArrowStyle trueLength{ArrowLength::TrueLength, 0.1, 1.5};
    const auto scaled = makeArrows(nodes, vx.data(), vy.data(), trueLength);
    QVERIFY(std::abs(std::hypot(scaled[0].dx, scaled[0].dy) - 0.1 * std::hypot(vx[0], vy[0])) < 1e-6);
  }

  void niceStepsAndTicks() {
    QCOMPARE(niceStep(0.73), 1.0);
    QCOMPARE(niceStep(0.3), 0.5);
    QCOMPARE(niceStep(0.13), 0.2);
    QCOMPARE(niceStep(7.0), 10.0);
    View2D v(900, 900);
    v.fit({-4, -4, 4, 4});
    const Ticks t = makeTicks(v, 100.0);
    QCOMPARE(t.step, 1.0);
    QCOMPARE(t.xs.front(), -4.0);
    QCOMPARE(t.xs.back(), 4.0);
  }

  void densityScaling() {
    const double logp[] = {0.0, std::log(0.5), -1e9, -std::numeric_limits<double>::infinity()};
    const auto lin = scaleLogDensity(logp, 4, DensityScale::Linear);
    QCOMPARE(lin[0], 1.0f);
    QVERIFY(std::abs(lin[1] - 0.5f) < 1e-6);
    QCOMPARE(lin[3], 0.0f);
    const auto lg = scaleLogDensity(logp, 4, DensityScale::Log, 4.0);
    QVERIFY(std::abs(lg[1] - (1.0f - static_cast<float>(std::log(2.0) / (4.0 * std::log(10.0))))) < 1e-6);
    QCOMPARE(lg[2], 0.0f);
  }

  void colormapsAreOrdered() {
    for (ColormapKind k : {ColormapKind::Ice, ColormapKind::Ember, ColormapKind::Magma}) {
      const auto table = makeColormap(k);
      QCOMPARE(table.size(), std::size_t(256));
      auto lum = [](Rgba8 c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; };
      QVERIFY2(lum(table.back()) > lum(table.front()) + 100, "colour map should run dark to light");
    }
  }

  void timelinePlaysStepsAndScrubs() {
    gui::Timeline t;
    t.setSteps(100);
    t.scrubTo(0.0);
    t.setPlaying(true);
    t.advance(gui::Timeline::kBaseSeconds / 2);
    QCOMPARE(t.currentStep(), 50);
    t.step(+1);
    QVERIFY(!t.playing());
    QCOMPARE(t.currentStep(), 51);
    t.scrubTo(2.0);
    QCOMPARE(t.position(), 1.0);
    gui::Timeline c;  // continuous: back and forth
    c.scrubTo(0.9);
    c.advance(gui::Timeline::kBaseSeconds * 0.2);
    QVERIFY(std::abs(c.position() - 0.9) < 1e-9);  // 0.9 -> 1.0 -> 0.9
  }

  void timelineNamesTheInitialNoiseAndTheDenoise() {
    // A 100-step sampler records 102 states: the initial noise, 100 steps and the denoise.
    gui::Timeline t;
    t.setSteps(101, true);
    QCOMPARE(t.samplerSteps(), 100);
    QCOMPARE(t.stepLabel(0), std::string("initial noise  (step 0 / 100)"));
    QCOMPARE(t.stepLabel(37), std::string("step 37 / 100"));
    QCOMPARE(t.stepLabel(100), std::string("step 100 / 100"));
    QCOMPARE(t.stepLabel(101), std::string("step 100 / 100 + denoise"));
    t.setSteps(100, false);  // no denoise: the last step is the sampler's
    QCOMPARE(t.stepLabel(100), std::string("step 100 / 100"));
    for (int k = 0; k <= 101; ++k) QVERIFY(t.stepLabel(k).find('%') == std::string::npos);
  }

  void numbersNeverShowANegativeZero() {
    QCOMPARE(gui::fixedText(-1e-17, 3), std::string("0.000"));
    QCOMPARE(gui::fixedText(-0.0004, 3), std::string("0.000"));
    QCOMPARE(gui::fixedText(-0.0, 0), std::string("0"));
    QCOMPARE(gui::fixedText(-0.0006, 3), std::string("-0.001"));
    QCOMPARE(gui::fixedText(-2.0, 0), std::string("-2"));
    QCOMPARE(gui::fixedText(49.99951, 3), std::string("50.000"));
  }

  void squareArrowCellsCoverAWidePane() {
    // A 16:9 visible rect: 32 cells along x, 18 along y, square, centred, covering it.
    const WorldRect visible{-7.8, -4.4, 7.8, 4.4};
    const SquareCells c = squareCells(visible, 32);
    QCOMPARE(c.columns, 32);
    QCOMPARE(c.rows, 18);
    QVERIFY(std::abs(c.rect.width() / c.columns - c.rect.height() / c.rows) < 1e-12);
    QVERIFY(std::abs(c.rect.xMin - visible.xMin) < 1e-12 && std::abs(c.rect.xMax - visible.xMax) < 1e-12);
    QVERIFY(std::abs(c.rect.yMin - visible.yMin) <= 0.5 * c.cell && std::abs(c.rect.yMax - visible.yMax) <= 0.5 * c.cell);
    const SquareCells tall = squareCells({0, 0, 1, 3}, 30);  // a tall rect: the count runs along y
    QCOMPARE(tall.rows, 30);
    QCOMPARE(tall.columns, 10);
    const GridNodes nodes = makeGridNodes(c.rect, c.columns, c.rows);
    QCOMPARE(nodes.xs.size(), std::size_t(32 * 18));
    QCOMPARE(nodes.cellWidth, nodes.cellHeight);
    QCOMPARE(nodes.xs.front(), c.rect.xMin + 0.5 * c.cell);
    QCOMPARE(nodes.ys.back(), c.rect.yMax - 0.5 * c.cell);
  }

  void autoFitFollowsTheSpreadOfXt() {
    // VP keeps a^2 + s^2 = 1: its spread never exceeds the data's, so the camera stays.
    for (double t : {0.0, 0.3, 1.0}) {
      const double a = std::exp(-t), s = std::sqrt(1.0 - a * a);
      QCOMPARE(gui::autoFitHalfExtent(4.4, a, s), 4.4);
    }
    // VE at t = 1 (a = 1, s = 50): half extent ~ sqrt(h^2 + (2.5 s)^2) ~ 125, framing x_t.
    QVERIFY(std::abs(gui::autoFitHalfExtent(4.4, 1.0, 50.0) - std::hypot(4.4, 125.0)) < 1e-9);
    QVERIFY(std::abs(gui::autoFitHalfExtent(4.4, 1.0, 0.01) - 4.4) < 1e-3);  // t = 0: the camera's
  }

  void longJumpsFadeThenBreak() {
    QCOMPARE(gui::jumpFade(0.1, 10.0), 1.0);
    QCOMPARE(gui::jumpFade(gui::kJumpFadeStart * 10.0, 10.0), 1.0);
    QVERIFY(std::abs(gui::jumpFade(0.5 * (gui::kJumpFadeStart + gui::kJumpBreak) * 10.0, 10.0) - 0.5) < 1e-12);
    QCOMPARE(gui::jumpFade(gui::kJumpBreak * 10.0, 10.0), 0.0);
    QCOMPARE(gui::jumpFade(1e3, 10.0), 0.0);
  }

  void frameStatistics() {
    const gui::FrameStats s = gui::frameStats({5, 1, 3, 2, 4, 100, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
    QCOMPARE(s.median, 10.5);
    QCOMPARE(s.p95, 19.0);
  }
};

QTEST_GUILESS_MAIN(TestRenderGeometry)
#include "test_render_geometry.moc"
