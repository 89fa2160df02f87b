#include <QtTest>
#include <cmath>
#include <random>
#include <set>
#include <thread>

#include "core/base/error.h"
#include "core/features/utterance_features.h"
#include "reference_data.h"

using namespace ser;

namespace {

std::vector<float> sine(double hz, double amplitude, std::size_t n) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = static_cast<float>(amplitude *
                              std::sin(2.0 * M_PI * hz * static_cast<double>(i) / 16000.0));
  return x;
}

float value(const UtteranceFeatures& f, const std::vector<float>& v, const std::string& name) {
  const auto& names = f.names();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw std::runtime_error("no feature " + name);
  return v[static_cast<std::size_t>(it - names.begin())];
}

}  // namespace

class UtteranceFeaturesTest : public QObject {
  Q_OBJECT

 private slots:
  void names() {
    const UtteranceFeatures f{UtteranceFeatureParams{}};
    const auto& n = f.names();
    QCOMPARE(n.size(), std::size_t(4 * 13 + 10));
    QCOMPARE(n.front(), std::string("mfcc01_mean"));
    QCOMPARE(n[1], std::string("mfcc01_std"));
    QCOMPARE(n[26], std::string("dmfcc01_mean"));
    QCOMPARE(n.back(), std::string("flatness_std"));
    QCOMPARE(std::set<std::string>(n.begin(), n.end()).size(), n.size());
    QCOMPARE(f.compute(sine(440.0, 0.5, 8000)).size(), n.size());
  }

  // Known sines: centroid near f, ZCR ~ 2f/sr, RMS = A/sqrt(2), tonal (low flatness).
  void knownSine_data() {
    QTest::addColumn<double>("hz");
    QTest::newRow("300 Hz") << 300.0;
    QTest::newRow("1000 Hz") << 1000.0;
    QTest::newRow("3000 Hz") << 3000.0;
  }
  void knownSine() {
    QFETCH(double, hz);
    const UtteranceFeatures f{UtteranceFeatureParams{}};
    const std::vector<float> v = f.compute(sine(hz, 0.5, 16000));
    QVERIFY(test::allFinite(v));
    const float centroid = value(f, v, "centroid_mean");
    QVERIFY2(std::abs(centroid - hz) < 0.05 * hz, qPrintable(QString("centroid %1").arg(centroid)));
    const float zcr = value(f, v, "zcr_mean");
    QVERIFY2(std::abs(zcr - 2.0 * hz / 16000.0) < 0.005, qPrintable(QString("zcr %1").arg(zcr)));
    const float rms = value(f, v, "rms_mean");
    QVERIFY2(std::abs(rms - 0.5 / std::sqrt(2.0)) < 0.01, qPrintable(QString("rms %1").arg(rms)));
    QVERIFY(value(f, v, "rms_std") < 0.01f);
    const float rolloff = value(f, v, "rolloff_mean");  // 85% of the power lies in the main lobe
    QVERIFY2(std::abs(rolloff - hz) < 100.0, qPrintable(QString("rolloff %1").arg(rolloff)));
    QVERIFY(value(f, v, "flatness_mean") < 0.01f);
  }

  void noiseIsFlat() {
    std::mt19937 rng(7);
    std::normal_distribution<float> dist(0.0f, 0.1f);
    std::vector<float> x(16000);
    for (float& s : x) s = dist(rng);
    const UtteranceFeatures f{UtteranceFeatureParams{}};
    const std::vector<float> v = f.compute(x);
    QVERIFY(value(f, v, "flatness_mean") > 0.3f);
    QVERIFY(std::abs(value(f, v, "zcr_mean") - 0.5f) < 0.05f);  // white noise: half the pairs
    QVERIFY(std::abs(value(f, v, "centroid_mean") - 4000.0f) < 400.0f);
  }

  void silentInput() {
    const UtteranceFeatures f{UtteranceFeatureParams{}};
    const std::vector<float> v = f.compute(std::vector<float>(16000, 0.0f));
    QVERIFY(test::allFinite(v));
    QCOMPARE(value(f, v, "rms_mean"), 0.0f);
    QCOMPARE(value(f, v, "zcr_mean"), 0.0f);
    QCOMPARE(value(f, v, "centroid_mean"), 0.0f);
    QCOMPARE(value(f, v, "rolloff_mean"), 0.0f);
    QVERIFY(std::abs(value(f, v, "flatness_mean") - 1.0f) < 1e-5f);
  }

  void tooShortInput() {
    const UtteranceFeatures f{UtteranceFeatureParams{}};
    QVERIFY_THROWS_EXCEPTION(ser::Error, f.compute(std::vector<float>(10, 0.1f)));
  }

  void threadSafety() {
    const UtteranceFeatures f{UtteranceFeatureParams{}};
    const std::vector<float> a = test::referenceSignal("chirp");
    const std::vector<float> b = test::referenceSignal("noise");
    const std::vector<float> ea = f.compute(a), eb = f.compute(b);
    bool okA = true, okB = true;
    auto run = [&f](const std::vector<float>& x, const std::vector<float>& e, bool& ok) {
      for (int i = 0; i < 20; ++i) ok = ok && f.compute(x) == e;
    };
    std::thread ta(run, std::cref(a), std::cref(ea), std::ref(okA));
    std::thread tb(run, std::cref(b), std::cref(eb), std::ref(okB));
    ta.join();
    tb.join();
    QVERIFY(okA && okB);
  }
};

QTEST_GUILESS_MAIN(UtteranceFeaturesTest)
#include "test_utterance_features.moc"
