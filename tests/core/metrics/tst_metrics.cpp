// Metrics against hand-computed examples.
#include <QtTest>

#include <cmath>

#include "core/base/error.h"
#include "core/metrics/bootstrap.h"
#include "core/metrics/metrics.h"

using ser::ClassStats;
using ser::ConfusionMatrix;

class TestMetrics : public QObject {
  Q_OBJECT

 private slots:
  void accuracyAndRecall_data();
  void accuracyAndRecall();
  void confusionLayoutRowsTrueColsPredicted();
  void perClassStatsAndMacroF1();
  void classAbsentFromPredictions();
  void classAbsentFromTruthIsLeftOutOfUar();
  void invalidInputThrows();
  void bootstrapContainsEstimateAndNarrows();
  void bootstrapIsDeterministicPerSeed();
  void bootstrapOptionsValidated();
  void percentileInterpolates();
};

void TestMetrics::accuracyAndRecall_data() {
  QTest::addColumn<std::vector<int>>("truth");
  QTest::addColumn<std::vector<int>>("pred");
  QTest::addColumn<int>("classes");
  QTest::addColumn<double>("wa");
  QTest::addColumn<double>("uar");

  QTest::newRow("all correct") << std::vector<int>{0, 1, 2} << std::vector<int>{0, 1, 2} << 3 << 1.0
                               << 1.0;
  QTest::newRow("all wrong") << std::vector<int>{0, 1} << std::vector<int>{1, 0} << 2 << 0.0 << 0.0;
  // 8 of class 0 (all right), 2 of class 1 (all wrong): WA 0.8, UAR (1 + 0) / 2 = 0.5.
  QTest::newRow("imbalanced majority guess")
      << std::vector<int>{0, 0, 0, 0, 0, 0, 0, 0, 1, 1}
      << std::vector<int>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0} << 2 << 0.8 << 0.5;
  // class 0: 3/4, class 1: 1/1, class 2: 0/1 -> WA 4/6, UAR (0.75 + 1 + 0) / 3.
  QTest::newRow("three classes") << std::vector<int>{0, 0, 0, 0, 1, 2}
                                 << std::vector<int>{0, 0, 0, 1, 1, 0} << 3 << 4.0 / 6.0
                                 << 1.75 / 3.0;
}

void TestMetrics::accuracyAndRecall() {
  QFETCH(std::vector<int>, truth);
  QFETCH(std::vector<int>, pred);
  QFETCH(int, classes);
  QFETCH(double, wa);
  QFETCH(double, uar);
  QCOMPARE(ser::weightedAccuracy(truth, pred), wa);
  QVERIFY(std::abs(ser::unweightedAverageRecall(truth, pred, classes) - uar) < 1e-12);
  const ConfusionMatrix m = ser::confusionMatrix(truth, pred, classes);
  QCOMPARE(ser::weightedAccuracy(m), wa);
  QVERIFY(std::abs(ser::unweightedAverageRecall(m) - uar) < 1e-12);
}

void TestMetrics::confusionLayoutRowsTrueColsPredicted() {
  // Two clips of class 0 predicted as 2, one clip of class 2 predicted as 1.
  const ConfusionMatrix m = ser::confusionMatrix({0, 0, 2, 1}, {2, 2, 1, 1}, 3);
  const ConfusionMatrix expected = {{0, 0, 2}, {0, 1, 0}, {0, 1, 0}};
  QVERIFY(m == expected);
}

void TestMetrics::perClassStatsAndMacroF1() {
  // truth: A A A B B C ; pred: A A B B C C
  // A: tp2 pred2 sup3 -> P 1, R 2/3, F1 0.8
  // B: tp1 pred2 sup2 -> P .5, R .5, F1 .5
  // C: tp1 pred2 sup1 -> P .5, R 1, F1 2/3
  const auto stats = ser::classStats(ser::confusionMatrix({0, 0, 0, 1, 1, 2}, {0, 0, 1, 1, 2, 2}, 3));
  QCOMPARE(stats.size(), std::size_t(3));
  QCOMPARE(stats[0].precision, 1.0);
  QVERIFY(std::abs(stats[0].recall - 2.0 / 3.0) < 1e-12);
  QVERIFY(std::abs(stats[0].f1 - 0.8) < 1e-12);
  QCOMPARE(stats[0].support, std::size_t(3));
  QCOMPARE(stats[1].precision, 0.5);
  QCOMPARE(stats[1].recall, 0.5);
  QCOMPARE(stats[1].f1, 0.5);
  QCOMPARE(stats[2].precision, 0.5);
  QCOMPARE(stats[2].recall, 1.0);
  QVERIFY(std::abs(stats[2].f1 - 2.0 / 3.0) < 1e-12);
  QVERIFY(std::abs(ser::macroF1(stats) - (0.8 + 0.5 + 2.0 / 3.0) / 3.0) < 1e-12);
}

void TestMetrics::classAbsentFromPredictions() {
  // Class 2 is in the truth but never predicted: precision 0 (0/0), recall 0, F1 0, and it
  // still counts in macro F1 and UAR. Class 3 occurs nowhere and counts in neither.
  const std::vector<int> truth = {0, 0, 1, 1, 2, 2};
  const std::vector<int> pred = {0, 0, 1, 1, 0, 1};
  const auto stats = ser::classStats(ser::confusionMatrix(truth, pred, 4));
  QCOMPARE(stats[2].precision, 0.0);
  QCOMPARE(stats[2].recall, 0.0);
  QCOMPARE(stats[2].f1, 0.0);
  QCOMPARE(stats[2].support, std::size_t(2));
  QCOMPARE(stats[3].support, std::size_t(0));
  // A: P 2/3 R 1 F1 .8; B: same; C: 0 -> macro (0.8 + 0.8 + 0) / 3.
  QVERIFY(std::abs(ser::macroF1(stats) - 1.6 / 3.0) < 1e-12);
  QVERIFY(std::abs(ser::unweightedAverageRecall(truth, pred, 4) - 2.0 / 3.0) < 1e-12);
}

void TestMetrics::classAbsentFromTruthIsLeftOutOfUar() {
  // Class 2 is only predicted: UAR averages classes 0 and 1 (recall 0.5 and 1).
  const std::vector<int> truth = {0, 0, 1};
  const std::vector<int> pred = {0, 2, 1};
  QCOMPARE(ser::unweightedAverageRecall(truth, pred, 3), 0.75);
  // Macro F1 includes the predicted-only class with F1 0 (scikit-learn's label set):
  // class 0: P 1 R .5 F1 2/3; class 1: 1; class 2: 0.
  const auto stats = ser::classStats(ser::confusionMatrix(truth, pred, 3));
  QVERIFY(std::abs(ser::macroF1(stats) - (2.0 / 3.0 + 1.0) / 3.0) < 1e-12);
}

void TestMetrics::invalidInputThrows() {
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::weightedAccuracy({}, {}));
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::weightedAccuracy({0, 1}, {0}));
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::unweightedAverageRecall({0, 3}, {0, 0}, 3));
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::confusionMatrix({0}, {-1}, 2));
}

namespace {
// n clips, two classes, a fixed 75 % of each class right.
void makeData(int n, std::vector<int>& truth, std::vector<int>& pred) {
  truth.clear();
  pred.clear();
  for (int i = 0; i < n; ++i) {
    const int t = i % 2;
    truth.push_back(t);
    pred.push_back((i / 2) % 4 == 3 ? 1 - t : t);
  }
}
}  // namespace

void TestMetrics::bootstrapContainsEstimateAndNarrows() {
  ser::BootstrapOptions o;
  std::vector<int> truth, pred;
  makeData(40, truth, pred);
  const auto small = ser::bootstrapWaUarIntervals(truth, pred, 2, o);
  const double wa = ser::weightedAccuracy(truth, pred);
  QCOMPARE(wa, 0.75);
  QVERIFY(small.wa.lo < wa && wa < small.wa.hi);
  QVERIFY(small.uar.lo < 0.75 && 0.75 < small.uar.hi);

  makeData(4000, truth, pred);
  const auto large = ser::bootstrapWaUarIntervals(truth, pred, 2, o);
  QVERIFY(large.wa.lo < 0.75 && 0.75 < large.wa.hi);
  const double smallWidth = small.wa.hi - small.wa.lo;
  const double largeWidth = large.wa.hi - large.wa.lo;
  // Width shrinks like 1/sqrt(n): 100x the data, about 10x narrower.
  QVERIFY2(largeWidth < smallWidth / 5.0, qPrintable(QString("%1 vs %2").arg(largeWidth).arg(smallWidth)));
  // Normal approximation for n = 4000: 2 * 1.96 * sqrt(.75 * .25 / 4000) ~ 0.0268.
  QVERIFY(std::abs(largeWidth - 0.0268) < 0.005);
}

void TestMetrics::bootstrapIsDeterministicPerSeed() {
  std::vector<int> truth, pred;
  makeData(100, truth, pred);
  ser::BootstrapOptions o;
  const auto a = ser::bootstrapWaUar(truth, pred, 2, o);
  const auto b = ser::bootstrapWaUar(truth, pred, 2, o);
  QVERIFY(a.wa == b.wa && a.uar == b.uar);
  QCOMPARE(a.wa.size(), std::size_t(1000));
  o.seed += 1;
  const auto c = ser::bootstrapWaUar(truth, pred, 2, o);
  QVERIFY(a.wa != c.wa);
}

void TestMetrics::bootstrapOptionsValidated() {
  ser::BootstrapOptions o;
  o.resamples = 0;
  QVERIFY_THROWS_EXCEPTION(ser::ParameterError, o.validate());
  o = {};
  o.confidence = 1.0;
  QVERIFY_THROWS_EXCEPTION(ser::ParameterError, o.validate());
}

void TestMetrics::percentileInterpolates() {
  // numpy.percentile([0..10], [25, 75]) = [2.5, 7.5]
  std::vector<double> v;
  for (int i = 10; i >= 0; --i) v.push_back(i);
  const ser::Interval i = ser::percentileInterval(v, 0.5);
  QCOMPARE(i.lo, 2.5);
  QCOMPARE(i.hi, 7.5);
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::percentileInterval({}, 0.95));
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
