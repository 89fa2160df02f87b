// Exact t-SNE against its definition: perplexity calibration, the gradient against finite
// differences of KL(P || Q), cluster separation and neighbour preservation, determinism.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "core/base/error.h"
#include "core/projection/tsne.h"

using namespace ser;

namespace {
// `clusters` Gaussian clusters (sd 1) in `dim` dimensions, centres 20 apart on the axes.
std::vector<std::vector<float>> gaussianClusters(int clusters, int perCluster, int dim, unsigned seed,
                                                 std::vector<int>* labels) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<std::vector<float>> out;
  for (int c = 0; c < clusters; ++c)
    for (int i = 0; i < perCluster; ++i) {
      std::vector<float> p(dim);
      for (int k = 0; k < dim; ++k) p[k] = float(g(rng) + (k == c ? 20.0 : 0.0));
      out.push_back(p);
      if (labels) labels->push_back(c);
    }
  return out;
}

std::vector<std::size_t> nearest(const std::vector<double>& d2, std::size_t n, std::size_t i, int k) {
  std::vector<std::size_t> idx;
  for (std::size_t j = 0; j < n; ++j)
    if (j != i) idx.push_back(j);
  std::partial_sort(idx.begin(), idx.begin() + k, idx.end(),
                    [&](std::size_t a, std::size_t b) { return d2[i * n + a] < d2[i * n + b]; });
  idx.resize(std::size_t(k));
  return idx;
}

std::vector<std::vector<float>> asPoints(const Projection2d& p) {
  std::vector<std::vector<float>> out;
  for (std::size_t i = 0; i < p.size(); ++i) out.push_back({float(p.x[i]), float(p.y[i])});
  return out;
}

class CountingProgress : public ProgressReporter {
 public:
  void progress(std::size_t done, std::size_t total, const std::string&) override {
    last = done;
    this->total = total;
    ++calls;
  }
  std::size_t last = 0, total = 0;
  int calls = 0;
};
}  // namespace

class TestTsne : public QObject {
  Q_OBJECT
 private slots:
  void perplexityCalibrationHitsTheTargetEntropy_data() {
    QTest::addColumn<double>("perplexity");
    QTest::newRow("5") << 5.0;
    QTest::newRow("30") << 30.0;
    QTest::newRow("50") << 50.0;
  }
  void perplexityCalibrationHitsTheTargetEntropy() {
    QFETCH(double, perplexity);
    const auto pts = gaussianClusters(3, 60, 8, 11, nullptr);
    const std::size_t n = pts.size();
    std::vector<double> betas;
    const auto p = conditionalAffinities(squaredDistances(pts), n, perplexity, 1e-5, &betas);
    for (std::size_t i = 0; i < n; ++i) {
      double sum = 0, h = 0;
      for (std::size_t j = 0; j < n; ++j) {
        const double v = p[i * n + j];
        sum += v;
        if (v > 0) h -= v * std::log(v);
      }
      QCOMPARE(p[i * n + i], 0.0);
      QVERIFY(std::abs(sum - 1.0) < 1e-9);
      QVERIFY2(std::abs(h - std::log(perplexity)) < 1e-5,
               qPrintable(QString("row %1: entropy %2, target %3").arg(i).arg(h).arg(std::log(perplexity))));
      QVERIFY(betas[i] > 0);
    }
  }

  // Three points on a line at 0, 1, 3 have a closed-form check: p_{j|i} proportional to exp(-beta d2).
  void conditionalAffinitiesFollowTheGaussianKernel() {
    const std::vector<std::vector<float>> pts = {{0.f}, {1.f}, {3.f}};
    std::vector<double> betas;
    const auto p = conditionalAffinities(squaredDistances(pts), 3, 1.5, 1e-10, &betas);
    const double b = betas[0];
    const double e1 = std::exp(-b * 1.0), e9 = std::exp(-b * 9.0);
    QVERIFY(std::abs(p[1] - e1 / (e1 + e9)) < 1e-9);
    QVERIFY(std::abs(p[2] - e9 / (e1 + e9)) < 1e-9);
  }

  void jointAffinitiesAreSymmetricAndSumToOne() {
    const auto pts = gaussianClusters(2, 20, 4, 5, nullptr);
    const std::size_t n = pts.size();
    const auto P = jointAffinities(conditionalAffinities(squaredDistances(pts), n, 10.0), n);
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        sum += P[i * n + j];
        QCOMPARE(P[i * n + j], P[j * n + i]);
      }
    QVERIFY(std::abs(sum - 1.0) < 1e-6);
  }

  void gradientMatchesFiniteDifferences() {
    const auto pts = gaussianClusters(2, 8, 5, 9, nullptr);
    const std::size_t n = pts.size();
    const auto P = jointAffinities(conditionalAffinities(squaredDistances(pts), n, 4.0), n);
    std::mt19937 rng(1);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<double> y(2 * n);
    for (double& v : y) v = g(rng);
    std::vector<double> grad;
    tsneObjective(P, y, n, &grad);
    const double h = 1e-6;
    for (std::size_t k = 0; k < 2 * n; ++k) {
      auto yp = y, ym = y;
      yp[k] += h;
      ym[k] -= h;
      const double numeric = (tsneObjective(P, yp, n, nullptr) - tsneObjective(P, ym, n, nullptr)) / (2 * h);
      QVERIFY2(std::abs(numeric - grad[k]) < 1e-6 + 1e-4 * std::abs(numeric),
               qPrintable(QString("coordinate %1: analytic %2, numeric %3").arg(k).arg(grad[k]).arg(numeric)));
    }
  }

  void separatedClustersStaySeparated() {
    std::vector<int> labels;
    const auto pts = gaussianClusters(4, 40, 10, 21, &labels);
    const std::size_t n = pts.size();
    TsneOptions o;
    o.perplexity = 15;
    CountingProgress progress;
    const TsneResult r = tsne2d(pts, o, &progress);
    QCOMPARE(progress.last, std::size_t(o.iterations));
    QCOMPARE(progress.calls, o.iterations / 50);
    const auto out = squaredDistances(asPoints(r.points));
    const auto in = squaredDistances(pts);
    // Every point's 5 nearest neighbours in the map are from its own cluster.
    int sameCluster = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j : nearest(out, n, i, 5)) sameCluster += labels[j] == labels[i];
    QCOMPARE(sameCluster, int(5 * n));
    // Clusters are apart: the closest pair of points from different clusters is farther than
    // the median distance within a cluster.
    double minBetween = 1e300;
    std::vector<double> within;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j)
        (labels[i] == labels[j] ? within.push_back(std::sqrt(out[i * n + j]))
                                : void(minBetween = std::min(minBetween, std::sqrt(out[i * n + j]))));
    std::nth_element(within.begin(), within.begin() + within.size() / 2, within.end());
    QVERIFY2(minBetween > within[within.size() / 2],
             qPrintable(QString("closest between %1, median within %2").arg(minBetween).arg(within[within.size() / 2])));
    // Neighbour preservation: the share of each point's 10 nearest input neighbours that are
    // among its 10 nearest in the map, far above what a layout that keeps only the clusters
    // would give (10/39 = 0.26 in expectation).
    std::size_t kept = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto a = nearest(in, n, i, 10), b = nearest(out, n, i, 10);
      const std::set<std::size_t> sb(b.begin(), b.end());
      for (std::size_t j : a) kept += sb.count(j);
    }
    const double preserved = double(kept) / double(10 * n);
    qInfo("10-NN preservation %.3f, KL %.3f", preserved, r.klDivergence);
    QVERIFY2(preserved > 0.4, qPrintable(QString::number(preserved)));
    QVERIFY(r.klDivergence > 0 && r.klDivergence < 2.0);
  }

  void deterministicWithASeed() {
    const auto pts = gaussianClusters(2, 30, 5, 2, nullptr);
    TsneOptions o;
    o.perplexity = 10;
    o.iterations = 300;
    const TsneResult a = tsne2d(pts, o), b = tsne2d(pts, o);
    QCOMPARE(a.points.x, b.points.x);
    QCOMPARE(a.points.y, b.points.y);
    o.seed = 43;
    const TsneResult c = tsne2d(pts, o);
    QVERIFY(c.points.x != a.points.x);
  }

  void smallInputsAndBadOptions() {
    QCOMPARE(tsne2d({}).points.size(), std::size_t(0));
    QCOMPARE(tsne2d({{1.f, 2.f}}).points.x, std::vector<double>{0.0});
    // 10 points: perplexity 30 is lowered to 3.
    const auto pts = gaussianClusters(2, 5, 3, 4, nullptr);
    const TsneResult r = tsne2d(pts);
    QCOMPARE(r.perplexity, 3.0);
    for (double v : r.points.x) QVERIFY(std::isfinite(v));
    TsneOptions bad;
    bad.perplexity = 1.0;
    QVERIFY_THROWS_EXCEPTION(ParameterError, tsne2d(pts, bad));
    bad = {};
    bad.iterations = 10;
    QVERIFY_THROWS_EXCEPTION(ParameterError, tsne2d(pts, bad));
    QVERIFY_THROWS_EXCEPTION(Error, tsne2d({{1.f}, {1.f, 2.f}}));
  }

  void cancels() {
    const auto pts = gaussianClusters(2, 20, 3, 4, nullptr);
    CancelFlag flag;
    flag.cancel();
    QVERIFY_THROWS_EXCEPTION(Cancelled, tsne2d(pts, {}, nullptr, &flag));
  }
};

QTEST_GUILESS_MAIN(TestTsne)
#include "tst_tsne.moc"
