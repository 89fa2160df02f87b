#include <QtTest>
#include <cmath>

#include "core/base/error.h"
#include "core/features/mfcc.h"
#include "reference_data.h"

using namespace ser;

class MfccTest : public QObject {
  Q_OBJECT

 private slots:
  // Agreement with create_dct(n_mfcc, n_mels, "ortho") applied to the torch log-mel.
  void matchesTorch_data() { test::addReferenceCaseRows(); }
  void matchesTorch() {
    const nlohmann::json ref = test::currentReferenceCase();
    const Mfcc mfcc(test::referenceLogMelParams(ref.at("params")),
                    ref.at("params").at("n_mfcc").get<int>());
    const FeatureMatrix ours =
        mfcc.compute(test::referenceSignal(ref.at("signal").get<std::string>()));
    const FeatureMatrix expected = test::referenceMatrix(ref.at("mfcc"));
    // End to end: the log-mel differences (see LogMelTest) pass through the unit-norm DCT rows.
    const double tolerance = 1e-2;
    const double diff = test::maxAbsDiff(ours, expected);
    QVERIFY2(diff >= 0.0 && diff <= tolerance,
             qPrintable(QString("max |diff| %1 > tolerance %2").arg(diff).arg(tolerance)));
  }

  // The DCT alone, applied to the torch log-mel.
  void dctMatchesTorch_data() { matchesTorch_data(); }
  void dctMatchesTorch() {
    const nlohmann::json ref = test::currentReferenceCase();
    const Mfcc mfcc(test::referenceLogMelParams(ref.at("params")),
                    ref.at("params").at("n_mfcc").get<int>());
    const FeatureMatrix ours = mfcc.fromLogMel(test::referenceMatrix(ref.at("log_mel")));
    const double diff = test::maxAbsDiff(ours, test::referenceMatrix(ref.at("mfcc")));
    QVERIFY2(diff >= 0.0 && diff <= 2e-4, qPrintable(QString("max |diff| %1").arg(diff)));
  }

  // compute_deltas(win_length=5, mode="replicate") on the reference MFCC, isolating deltas().
  void deltasMatchTorch_data() { matchesTorch_data(); }
  void deltasMatchTorch() {
    const nlohmann::json ref = test::currentReferenceCase();
    const FeatureMatrix ours = deltas(test::referenceMatrix(ref.at("mfcc")));
    const FeatureMatrix expected = test::referenceMatrix(ref.at("deltas"));
    const double diff = test::maxAbsDiff(ours, expected);
    QVERIFY2(diff >= 0.0 && diff <= 1e-4, qPrintable(QString("max |diff| %1").arg(diff)));
  }

  void dctIsOrthonormal() {
    const FeatureMatrix d = dctMatrix(40, 40);
    for (int i = 0; i < 40; ++i) {
      for (int j = 0; j < 40; ++j) {
        double dot = 0.0;
        for (int n = 0; n < 40; ++n) dot += double(d.at(i, n)) * d.at(j, n);
        QVERIFY2(std::abs(dot - (i == j ? 1.0 : 0.0)) < 1e-5,
                 qPrintable(QString("rows %1,%2: %3").arg(i).arg(j).arg(dot)));
      }
    }
  }

  // Regression slope of a ramp is 1 in the interior; replicated edges give 0.5 and 0.8.
  void deltasOfRamp() {
    FeatureMatrix ramp(1, 8);
    for (int t = 0; t < 8; ++t) ramp.at(0, t) = float(t);
    const FeatureMatrix d = deltas(ramp);
    const float expected[8] = {0.5f, 0.8f, 1.0f, 1.0f, 1.0f, 1.0f, 0.8f, 0.5f};
    for (int t = 0; t < 8; ++t) QVERIFY(std::abs(d.at(0, t) - expected[t]) < 1e-6f);
    QVERIFY_THROWS_EXCEPTION(ParameterError, deltas(ramp, 1));
  }

  // Fewer frames than the window and wider windows: every frame agrees with the formula taken
  // directly (neighbour indices clamped to the clip), so edge and interior frames meet right.
  void deltasOfShortClipsAndWideWindows() {
    for (int width : {3, 5, 9}) {
      for (int frames : {1, 2, 3, 4, 5, 8, 40}) {
        FeatureMatrix m(2, frames);
        for (int t = 0; t < frames; ++t) {
          m.at(0, t) = std::sin(0.7f * float(t));
          m.at(1, t) = float(t * t) - 3.0f;
        }
        const FeatureMatrix d = deltas(m, width);
        const int n = (width - 1) / 2;
        const double denom = n * (n + 1) * (2.0 * n + 1) / 3.0;
        for (int r = 0; r < 2; ++r) {
          for (int t = 0; t < frames; ++t) {
            double sum = 0.0;
            for (int k = 1; k <= n; ++k)
              sum += k * (double(m.at(r, std::min(t + k, frames - 1))) - m.at(r, std::max(t - k, 0)));
            QVERIFY2(std::abs(d.at(r, t) - sum / denom) <= 1e-6 * (1.0 + std::abs(sum / denom)),
                     qPrintable(QString("width %1, %2 frames, row %3, frame %4")
                                    .arg(width).arg(frames).arg(r).arg(t)));
          }
        }
      }
    }
  }

  // Silence: log-mel is constant log(1e-6), so c0 = log(1e-6) * sqrt(nMels) and the rest ~0.
  void zeroInput() {
    const Mfcc mfcc{LogMelParams{}};
    const FeatureMatrix m = mfcc.compute(std::vector<float>(16000, 0.0f));
    QCOMPARE(m.rows, 13);
    const double c0 = std::log(1e-6) * std::sqrt(64.0);
    for (int t = 0; t < m.cols; ++t) {
      QVERIFY(std::abs(m.at(0, t) - c0) < 1e-3);
      for (int k = 1; k < m.rows; ++k) QVERIFY(std::abs(m.at(k, t)) < 1e-3);
    }
    const FeatureMatrix d = deltas(m);
    QVERIFY(test::allFinite(d.data));
    QVERIFY(test::maxAbs(d) < 1e-4f);
  }

  void invalidCoefficientCount_data() {
    QTest::addColumn<int>("nMfcc");
    QTest::newRow("zero") << 0;
    QTest::newRow("more than bands") << 65;
  }
  void invalidCoefficientCount() {
    QFETCH(int, nMfcc);
    try {
      Mfcc mfcc(LogMelParams{}, nMfcc);
      QFAIL("no ParameterError");
    } catch (const ParameterError& e) {
      QCOMPARE(e.parameter(), std::string("n_mfcc"));
    }
  }

  void applyDctRejectsMismatch() {
    QVERIFY_THROWS_EXCEPTION(ser::Error, applyDct(dctMatrix(13, 64), FeatureMatrix(40, 5)));
  }
};

QTEST_GUILESS_MAIN(MfccTest)
#include "test_mfcc.moc"
