// Feature normalisation and training-time augmentation on known inputs.
#include <QtTest>

#include <cmath>

#include "core/base/error.h"
#include "core/train/augmentation.h"
#include "core/train/feature_normaliser.h"

using namespace ser;

namespace {
FeatureMatrix ramp(int rows, int cols, float offset) {
  FeatureMatrix m(rows, cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) m.at(r, c) = offset + float(r) * 10.0f + float(c);
  return m;
}
double rowMean(const FeatureMatrix& m, int r) {
  double s = 0;
  for (int c = 0; c < m.cols; ++c) s += m.at(r, c);
  return s / m.cols;
}
double rowStd(const FeatureMatrix& m, int r) {
  const double mean = rowMean(m, r);
  double s = 0;
  for (int c = 0; c < m.cols; ++c) s += (m.at(r, c) - mean) * (m.at(r, c) - mean);
  return std::sqrt(s / m.cols);
}
}  // namespace

class TestAugmentation : public QObject {
  Q_OBJECT

 private slots:
  void perUtteranceStandardisesEachBand() {
    std::vector<FeatureMatrix> set = {ramp(4, 9, 0.0f), ramp(4, 9, 100.0f)};
    FeatureNormaliser n(Normalisation::PerUtterance, set);
    const auto plan = n.plan(set, {});
    for (std::size_t i = 0; i < set.size(); ++i) {
      FeatureNormaliser::apply(set[i], plan[i]);
      for (int r = 0; r < 4; ++r) {
        QVERIFY(std::abs(rowMean(set[i], r)) < 1e-5);
        QVERIFY(std::abs(rowStd(set[i], r) - 1.0) < 1e-4);
      }
    }
  }

  void perSpeakerUsesSpeakerStatsAndFallback() {
    std::vector<FeatureMatrix> training = {ramp(3, 5, 0.0f), ramp(3, 5, 20.0f)};
    FeatureNormaliser n(Normalisation::PerSpeaker, training);
    // Fallback: all training cells of row 0 are 0..4 and 20..24, mean 12.
    QCOMPARE(n.fallback().mean[0], 12.0f);
    std::vector<FeatureMatrix> set = {ramp(3, 5, 0.0f), ramp(3, 5, 2.0f), ramp(3, 5, 50.0f)};
    const auto plan = n.plan(set, {"a", "a", ""});
    QCOMPARE(plan[0].mean[0], 3.0f);  // speaker a: 0..4 and 2..6
    QCOMPARE(plan[1].mean[0], 3.0f);
    QCOMPARE(plan[2].mean[0], 12.0f);  // unknown speaker -> training statistics
    const FeatureNormaliser back = FeatureNormaliser::fromJson(n.toJson());
    QVERIFY(back.mode() == Normalisation::PerSpeaker);
    QCOMPARE(back.fallback().stddev, n.fallback().stddev);
  }

  void noneIsIdentity() {
    std::vector<FeatureMatrix> set = {ramp(2, 3, 1.0f)};
    FeatureNormaliser n(Normalisation::None, set);
    FeatureMatrix copy = set[0];
    FeatureNormaliser::apply(copy, n.plan(set, {})[0]);
    QCOMPARE(copy.data, set[0].data);
  }

  void bandMismatchThrows() {
    std::vector<FeatureMatrix> set = {ramp(4, 3, 0.0f)};
    FeatureNormaliser n(Normalisation::PerSpeaker, set);
    FeatureMatrix other = ramp(5, 3, 0.0f);
    QVERIFY_THROWS_EXCEPTION(Error, FeatureNormaliser::apply(other, n.fallback()));
  }

  void gainAddsLogOffset() {
    FeatureMatrix m(2, 2, 1.0f);
    applyGain(m, 10.0);  // +10 dB = x10 power = +ln(10)
    for (float v : m.data) QVERIFY(std::abs(v - (1.0f + float(std::log(10.0)))) < 1e-5);
  }

  void specAugmentMasksWithMean() {
    FeatureMatrix m = ramp(8, 40, 0.0f);
    double mean = 0;
    for (float v : m.data) mean += v;
    mean /= double(m.data.size());
    SpecAugmentOptions o;
    o.time_masks = 1;
    o.time_mask_width = 40;
    o.freq_masks = 0;
    std::mt19937 rng(5);
    int maskedColumns = 0;
    for (int attempt = 0; attempt < 20 && maskedColumns == 0; ++attempt) {
      FeatureMatrix copy = m;
      applySpecAugment(copy, o, rng);
      for (int c = 0; c < copy.cols; ++c) {
        bool all = true;
        for (int r = 0; r < copy.rows; ++r) all = all && std::abs(copy.at(r, c) - mean) < 1e-4;
        maskedColumns += all ? 1 : 0;
        if (!all)  // an unmasked column is untouched
          for (int r = 0; r < copy.rows; ++r) QCOMPARE(copy.at(r, c), m.at(r, c));
      }
    }
    QVERIFY(maskedColumns > 0);
  }

  void specAugmentOffLeavesClip() {
    FeatureMatrix m = ramp(4, 4, 0.0f);
    FeatureMatrix copy = m;
    std::mt19937 rng(1);
    applySpecAugment(copy, SpecAugmentOptions{0, 10, 0, 10}, rng);
    QCOMPARE(copy.data, m.data);
  }

  void noiseHasRequestedSpread() {
    FeatureMatrix m(50, 200, 0.0f);
    std::mt19937 rng(3);
    addGaussianNoise(m, 0.5, rng);
    double s = 0, s2 = 0;
    for (float v : m.data) s += v, s2 += double(v) * v;
    const double n = double(m.data.size());
    QVERIFY(std::abs(s / n) < 0.02);
    QVERIFY(std::abs(std::sqrt(s2 / n) - 0.5) < 0.02);
  }

  void mixupLambdaInUnitInterval() {
    std::mt19937 rng(11);
    double sum = 0;
    for (int i = 0; i < 2000; ++i) {
      const double l = sampleMixupLambda(0.4, rng);
      QVERIFY(l >= 0.0 && l <= 1.0);
      sum += l;
    }
    QVERIFY(std::abs(sum / 2000 - 0.5) < 0.05);  // Beta(a, a) has mean 1/2
  }
};

QTEST_GUILESS_MAIN(TestAugmentation)
#include "tst_augmentation.moc"
