// PCA of point clouds with known principal axes.
#include <QtTest>

#include <cmath>
#include <random>

#include "core/base/error.h"
#include "core/projection/pca.h"

using namespace ser;

namespace {
// n points in 3-D with standard deviations 3, 2 and 0.5 along the axes u, v, w (orthonormal).
std::vector<std::vector<float>> ellipsoid(std::size_t n, const double u[3], const double v[3],
                                          const double w[3], unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<std::vector<float>> out;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = 3.0 * g(rng), b = 2.0 * g(rng), c = 0.5 * g(rng);
    std::vector<float> p(3);
    for (int k = 0; k < 3; ++k) p[k] = float(5.0 + a * u[k] + b * v[k] + c * w[k]);
    out.push_back(p);
  }
  return out;
}
}  // namespace

class TestPca : public QObject {
  Q_OBJECT
 private slots:
  void findsTheKnownAxes() {
    const double s = 1.0 / std::sqrt(2.0);
    const double u[3] = {s, s, 0.0}, v[3] = {0.0, 0.0, 1.0}, w[3] = {s, -s, 0.0};
    const auto pts = ellipsoid(4000, u, v, w, 7);
    const PcaResult r = pca2d(pts);
    QCOMPARE(r.points.size(), pts.size());
    // Axis 1 = +-u, axis 2 = +-v (the sign rule makes the largest component positive).
    double d1 = 0, d2 = 0;
    for (int k = 0; k < 3; ++k) {
      d1 += r.axes[0][k] * u[k];
      d2 += r.axes[1][k] * v[k];
    }
    QVERIFY2(std::abs(d1) > 0.999, qPrintable(QString::number(d1)));
    QVERIFY2(std::abs(d2) > 0.999, qPrintable(QString::number(d2)));
    QVERIFY(std::abs(r.variance[0] - 9.0) < 0.6);
    QVERIFY(std::abs(r.variance[1] - 4.0) < 0.4);
    QVERIFY(std::abs(r.totalVariance - 13.25) < 1.0);
    // Coordinates are the centred data's projections: mean 0, variance = the axis variance.
    double mx = 0, vx = 0;
    for (double x : r.points.x) mx += x;
    mx /= double(pts.size());
    for (double x : r.points.x) vx += (x - mx) * (x - mx);
    vx /= double(pts.size() - 1);
    QVERIFY(std::abs(mx) < 1e-9);
    QVERIFY(std::abs(vx - r.variance[0]) < 1e-6 * r.variance[0]);
    // Axes are orthonormal.
    double n0 = 0, n1 = 0, d01 = 0;
    for (int k = 0; k < 3; ++k) {
      n0 += r.axes[0][k] * r.axes[0][k];
      n1 += r.axes[1][k] * r.axes[1][k];
      d01 += r.axes[0][k] * r.axes[1][k];
    }
    QVERIFY(std::abs(n0 - 1) < 1e-9 && std::abs(n1 - 1) < 1e-9 && std::abs(d01) < 1e-9);
  }

  void deterministicAndSignStable() {
    const double u[3] = {1, 0, 0}, v[3] = {0, 1, 0}, w[3] = {0, 0, 1};
    const auto pts = ellipsoid(300, u, v, w, 3);
    const PcaResult a = pca2d(pts), b = pca2d(pts);
    QCOMPARE(a.points.x, b.points.x);
    QCOMPARE(a.points.y, b.points.y);
    QVERIFY(a.axes[0][0] > 0.99);  // largest component positive
    // Negating the data keeps the axes (the sign rule) and negates the coordinates.
    auto neg = pts;
    for (auto& p : neg)
      for (float& x : p) x = -x;
    const PcaResult c = pca2d(neg);
    for (std::size_t i = 0; i < pts.size(); ++i) QVERIFY(std::abs(c.points.x[i] + a.points.x[i]) < 1e-4);
  }

  void edgeCases() {
    QCOMPARE(pca2d({}).points.size(), std::size_t(0));
    const PcaResult one = pca2d({{1.0f, 2.0f}});
    QCOMPARE(one.points.x, std::vector<double>{0.0});
    const PcaResult line = pca2d({{1.0f}, {2.0f}, {4.0f}});  // one dimension: y is zero
    QCOMPARE(line.points.y, (std::vector<double>{0, 0, 0}));
    QVERIFY(std::abs(line.points.x[2] - line.points.x[0] - 3.0) < 1e-9);
    QVERIFY_THROWS_EXCEPTION(Error, pca2d({{1.0f, 2.0f}, {1.0f}}));
    QVERIFY_THROWS_EXCEPTION(Error, pca2d({{1.0f, NAN}, {1.0f, 2.0f}}));
  }
};

QTEST_GUILESS_MAIN(TestPca)
#include "tst_pca.moc"
