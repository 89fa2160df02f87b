#include <QtTest>
#include <cmath>
#include <random>
#include <set>
#include <thread>

#include "core/base/error.h"
#include "core/features/mfcc.h"
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

void appendMeanStd(const std::vector<double>& v, std::vector<double>& out) {
  double sum = 0.0;
  for (double x : v) sum += x;
  const double mean = sum / static_cast<double>(v.size());
  double var = 0.0;
  for (double x : v) var += (x - mean) * (x - mean);
  out.push_back(mean);
  out.push_back(std::sqrt(var / static_cast<double>(v.size())));
}

// The features straight from their definitions, frame by frame in double precision (a log per
// bin for the flatness, the roll-off's cumulative power in one sum), from the same power
// spectrum and MFCC: what UtteranceFeatures computes in blocked float/double passes.
std::vector<double> directFeatures(const UtteranceFeatureParams& params,
                                   const std::vector<float>& samples, const FeatureMatrix& power,
                                   const FeatureMatrix& logMel) {
  const FeatureMatrix mfcc = applyDct(dctMatrix(params.nMfcc, params.logMel.mel.nMels), logMel);
  const FeatureMatrix dmfcc = deltas(mfcc);
  std::vector<double> out;
  for (const FeatureMatrix* m : {&mfcc, &dmfcc}) {
    for (int r = 0; r < m->rows; ++r) {
      std::vector<double> row;
      for (int t = 0; t < m->cols; ++t) row.push_back(m->at(r, t));
      appendMeanStd(row, out);
    }
  }
  const StftParams& sp = params.logMel.stft;
  const int nFft = sp.fftSize(), win = sp.windowLength(), hop = sp.hopLength();
  const long long n = static_cast<long long>(samples.size());
  std::vector<double> rms, zcr, centroid, rolloff, flatness;
  for (int t = 0; t < power.cols; ++t) {
    const long long start = static_cast<long long>(t) * hop - (sp.center ? nFft / 2 : 0) +
                            (nFft - win) / 2;
    std::vector<double> x;
    for (long long j = start; j < start + win; ++j) {
      const long long r = j < 0 ? -j : (j >= n ? 2 * (n - 1) - j : j);  // reflect padding
      x.push_back(samples[static_cast<std::size_t>(r)]);
    }
    double energy = 0.0;
    int crossings = 0;
    for (int i = 0; i < win; ++i) {
      energy += x[i] * x[i];
      if (i > 0) crossings += (x[i] >= 0.0) != (x[i - 1] >= 0.0);
    }
    rms.push_back(std::sqrt(energy / win));
    zcr.push_back(static_cast<double>(crossings) / (win - 1));
    const double binHz = static_cast<double>(sp.sampleRate) / nFft;
    double magSum = 0.0, weighted = 0.0, total = 0.0, logSum = 0.0, flooredSum = 0.0;
    for (int k = 0; k < power.rows; ++k) {
      const double p = power.at(k, t);
      magSum += std::sqrt(p);
      weighted += std::sqrt(p) * k * binHz;
      total += p;
      logSum += std::log(std::max(p, 1e-10));
      flooredSum += std::max(p, 1e-10);
    }
    double cumulative = 0.0;
    int k = 0;
    while (k < power.rows - 1 && (cumulative += power.at(k, t)) < params.rolloff * total) ++k;
    centroid.push_back(magSum > 0.0 ? weighted / magSum : 0.0);
    rolloff.push_back(k * binHz);
    flatness.push_back(std::exp(logSum / power.rows) / (flooredSum / power.rows));
  }
  for (const auto* v : {&rms, &zcr, &centroid, &rolloff, &flatness}) appendMeanStd(*v, out);
  return out;
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

  // The optimised passes agree with the direct definitions: within float rounding (relative
  // 2e-5), the roll-off within a bin on a couple of frames (a cumulative sum that meets the
  // threshold within rounding may land on either side of it). Parameters where the bins are not
  // a multiple of the 16-bin blocks and the hop does not divide the window, without centring;
  // signals with digital silence (floored flatness, silent frames) and full-scale peaks.
  void matchesDirectComputation_data() {
    QTest::addColumn<QString>("signal");
    QTest::addColumn<bool>("altParams");
    QTest::newRow("chirp, default") << "chirp" << false;
    QTest::newRow("noise, default") << "noise" << false;
    QTest::newRow("gated, default") << "gated" << false;
    QTest::newRow("chirp, 1024-point, 7 ms hop, not centred") << "chirp" << true;
    QTest::newRow("gated, 1024-point, 7 ms hop, not centred") << "gated" << true;
  }
  void matchesDirectComputation() {
    QFETCH(QString, signal);
    QFETCH(bool, altParams);
    std::vector<float> x;
    if (signal == "gated") {
      // Bursts of loud noise and a quiet tone with digital silence between them.
      std::mt19937 rng(3);
      std::normal_distribution<float> dist(0.0f, 0.3f);
      x.assign(24000, 0.0f);
      for (std::size_t i = 0; i < x.size(); ++i) {
        const std::size_t phase = (i / 2000) % 3;
        if (phase == 0) x[i] = std::clamp(dist(rng), -0.99f, 0.99f);
        if (phase == 1) x[i] = 1e-4f * static_cast<float>(std::sin(0.3 * static_cast<double>(i)));
      }
    } else {
      x = test::referenceSignal(signal.toStdString());
    }
    UtteranceFeatureParams params;
    if (altParams) {
      params.logMel.stft.windowMs = 30.0;
      params.logMel.stft.hopMs = 7.0;
      params.logMel.stft.nFft = 1024;
      params.logMel.stft.center = false;
      params.rolloff = 0.6;
    }
    const UtteranceFeatures f(params);
    const LogMel logMel(params.logMel);
    const FeatureMatrix power = logMel.stft().power(x);
    const FeatureMatrix lm = logMel.fromPower(power);
    const std::vector<float> got = f.compute(x, power, lm);
    const std::vector<double> want = directFeatures(params, x, power, lm);
    QCOMPARE(got.size(), want.size());
    const double binHz = static_cast<double>(params.logMel.stft.sampleRate) /
                         params.logMel.stft.fftSize();
    const double frames = power.cols;
    for (std::size_t i = 0; i < got.size(); ++i) {
      const std::string& name = f.names()[i];
      double tolerance = 2e-5 * std::abs(want[i]) + 1e-9;
      if (name == "rolloff_mean") tolerance = 2.0 * binHz / frames;
      if (name == "rolloff_std") tolerance = 2.0 * binHz / std::sqrt(frames);
      QVERIFY2(std::abs(got[i] - want[i]) <= tolerance,
               qPrintable(QString("%1: %2, directly %3").arg(QString::fromStdString(name))
                              .arg(got[i], 0, 'g', 9).arg(want[i], 0, 'g', 9)));
    }
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
