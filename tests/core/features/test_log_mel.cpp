#include <QtTest>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>

#include "core/base/error.h"
#include "core/features/log_mel.h"
#include "reference_data.h"

using namespace ser;

class LogMelTest : public QObject {
  Q_OBJECT

 private slots:
  // Agreement with log(melscale_fbanks^T @ |torch.stft|^2 + offset).
  void matchesTorch_data() { test::addReferenceCaseRows(); }
  void matchesTorch() {
    const nlohmann::json ref = test::currentReferenceCase();
    const LogMel logMel(test::referenceLogMelParams(ref.at("params")));
    const FeatureMatrix ours =
        logMel.compute(test::referenceSignal(ref.at("signal").get<std::string>()));
    const FeatureMatrix expected = test::referenceMatrix(ref.at("log_mel"));
    QCOMPARE(ours.rows, expected.rows);
    QCOMPARE(ours.cols, expected.cols);
    // Compared as amplitudes sqrt(mel power + offset): float32 FFT round-off is absolute, about
    // 1e-7 of the frame's largest amplitude, so bands that hold only leakage from a strong tone
    // differ by more, relatively, than the tone's own band. Tolerance: 3e-5 relative plus 3e-6
    // of the frame's largest band amplitude.
    auto amplitude = [](float logValue) { return std::exp(0.5 * double(logValue)); };
    double worst = 0.0;
    for (int t = 0; t < ours.cols; ++t) {
      double frameMax = 0.0;
      for (int m = 0; m < ours.rows; ++m)
        frameMax = std::max(frameMax, amplitude(expected.at(m, t)));
      for (int m = 0; m < ours.rows; ++m) {
        const double a = amplitude(ours.at(m, t)), b = amplitude(expected.at(m, t));
        worst = std::max(worst, std::abs(a - b) / (3e-5 * b + 3e-6 * frameMax));
      }
    }
    QVERIFY2(worst <= 1.0, qPrintable(QString("error %1 x tolerance").arg(worst)));
  }

  void defaultsShape() {
    const LogMel logMel{LogMelParams{}};
    const FeatureMatrix m = logMel.compute(std::vector<float>(48000, 0.01f));
    QCOMPARE(m.rows, 64);
    QCOMPARE(m.cols, 301);
  }

  void zeroInput() {
    const LogMel logMel{LogMelParams{}};
    const FeatureMatrix m = logMel.compute(std::vector<float>(16000, 0.0f));
    const float expected = std::log(1e-6f);
    for (float v : m.data) QCOMPARE(v, expected);
  }

  void logOfMelPower() {
    LogMelParams p;
    p.logOffset = 1e-3;
    const LogMel logMel(p);
    const std::vector<float> x = test::referenceSignal("chirp");
    const FeatureMatrix mel = logMel.melPower(x);
    const FeatureMatrix log = logMel.compute(x);
    QCOMPARE(mel.rows, log.rows);
    QCOMPARE(mel.cols, log.cols);
    for (std::size_t i = 0; i < mel.data.size(); ++i)
      QCOMPARE(log.data[i], std::log(mel.data[i] + 1e-3f));
  }

  // The vectorised logarithm is within one float ulp of std::log over mel powers spanning 24
  // orders of magnitude, and overflowed (infinite) or NaN powers stay non-finite (the
  // preprocessor's finiteness check relies on it).
  void logWithinOneUlpOfStdLog() {
    LogMelParams p;
    p.logOffset = 1e-10;  // the smallest powers then reach the log unchanged
    const LogMel logMel(p);
    FeatureMatrix power(p.stft.bins(), 600);
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> exponent(-14.0, 10.0);
    for (float& v : power.data) v = static_cast<float>(std::pow(10.0, exponent(rng)));
    for (int k = 0; k < power.rows; ++k) {
      power.at(k, 7) = std::numeric_limits<float>::infinity();
      power.at(k, 9) = std::numeric_limits<float>::quiet_NaN();
    }
    // Mel power as LogMel sums it: over each band's non-zero weights, in bin order, in float.
    const FeatureMatrix& filters = logMel.filters();
    FeatureMatrix mel(filters.rows, power.cols);
    for (int m = 0; m < filters.rows; ++m)
      for (int k = 0; k < filters.cols; ++k)
        if (filters.at(m, k) != 0.0f)
          for (int t = 0; t < power.cols; ++t) mel.at(m, t) += filters.at(m, k) * power.at(k, t);
    const FeatureMatrix log = logMel.fromPower(power);
    auto ordered = [](float f) {
      std::int32_t i;
      std::memcpy(&i, &f, sizeof i);
      return i < 0 ? -static_cast<std::int64_t>(i & 0x7fffffff) : static_cast<std::int64_t>(i);
    };
    std::int64_t worst = 0;
    for (std::size_t i = 0; i < mel.data.size(); ++i) {
      const float want = std::log(mel.data[i] + 1e-10f);
      const float got = log.data[i];
      if (!std::isfinite(want)) {
        QVERIFY2(std::isnan(want) ? std::isnan(got) : got == want, qPrintable(QString::number(i)));
        continue;
      }
      worst = std::max(worst, std::abs(ordered(got) - ordered(want)));
    }
    QVERIFY2(worst <= 1, qPrintable(QString("%1 ulp").arg(worst)));
    QVERIFY(std::isinf(log.at(10, 7)) && std::isnan(log.at(10, 9)));
  }

  void fromPowerRejectsWrongBins() {
    const LogMel logMel{LogMelParams{}};
    QVERIFY_THROWS_EXCEPTION(ser::Error, logMel.fromPower(FeatureMatrix(129, 10)));
  }

  void tooShortInput() {
    const LogMel logMel{LogMelParams{}};
    QVERIFY_THROWS_EXCEPTION(ser::Error, logMel.compute(std::vector<float>(100, 0.1f)));
  }
};

QTEST_GUILESS_MAIN(LogMelTest)
#include "test_log_mel.moc"
