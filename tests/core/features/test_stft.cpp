#include <QtTest>
#include <cmath>
#include <thread>

#include "core/base/error.h"
#include "core/features/stft.h"
#include "reference_data.h"

using namespace ser;

namespace {

std::vector<float> sine(double hz, double amplitude, int sampleRate, std::size_t n) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = static_cast<float>(amplitude *
                              std::sin(2.0 * M_PI * hz * static_cast<double>(i) / sampleRate));
  return x;
}

}  // namespace

class StftTest : public QObject {
  Q_OBJECT

 private slots:
  void derivedSizes() {
    StftParams p;  // 25 ms / 10 ms at 16 kHz
    QCOMPARE(p.windowLength(), 400);
    QCOMPARE(p.hopLength(), 160);
    QCOMPARE(p.fftSize(), 512);
    QCOMPARE(p.bins(), 257);
    p.nFft = 1024;
    QCOMPARE(p.fftSize(), 1024);
    p.nFft = 0;
    p.windowMs = 16.0;  // 256 samples: already a power of two
    QCOMPARE(p.fftSize(), 256);
  }

  void frameCount_data() {
    QTest::addColumn<bool>("center");
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("frames");
    QTest::newRow("center 3 s") << true << 48000 << 301;
    QTest::newRow("center 0.3 s") << true << 4800 << 31;
    QTest::newRow("center 257 samples") << true << 257 << 2;
    QTest::newRow("no center exact fft") << false << 512 << 1;
    QTest::newRow("no center 3 s") << false << 48000 << 297;
  }
  void frameCount() {
    QFETCH(bool, center);
    QFETCH(int, samples);
    QFETCH(int, frames);
    StftParams p;
    p.center = center;
    Stft stft(p);
    QCOMPARE(stft.frameCount(static_cast<std::size_t>(samples)), frames);
    const FeatureMatrix m = stft.power(std::vector<float>(static_cast<std::size_t>(samples), 0.1f));
    QCOMPARE(m.cols, frames);
    QCOMPARE(m.rows, 257);
  }

  // Agreement with torch.stft(center=True, pad_mode="reflect") |X|^2 at the stored frames.
  void matchesTorch_data() { test::addReferenceCaseRows(); }
  void matchesTorch() {
    const nlohmann::json ref = test::currentReferenceCase();
    Stft stft(test::referenceLogMelParams(ref.at("params")).stft);
    const FeatureMatrix ours =
        stft.power(test::referenceSignal(ref.at("signal").get<std::string>()));
    QCOMPARE(ours.cols, ref.at("power_total_frames").get<int>());

    const FeatureMatrix expected = test::referenceMatrix(ref.at("power"));
    const auto frames = ref.at("power_frames").get<std::vector<int>>();
    QCOMPARE(expected.rows, ours.rows);
    FeatureMatrix selected(ours.rows, static_cast<int>(frames.size()));
    for (int r = 0; r < ours.rows; ++r)
      for (int c = 0; c < selected.cols; ++c)
        selected.at(r, c) = ours.at(r, frames[static_cast<std::size_t>(c)]);
    // float32 FFTs on both sides: errors are relative to the largest bin.
    const double tolerance = 1e-5 * test::maxAbs(expected);
    const double diff = test::maxAbsDiff(selected, expected);
    QVERIFY2(diff >= 0.0 && diff <= tolerance,
             qPrintable(QString("max |diff| %1 > tolerance %2").arg(diff).arg(tolerance)));
  }

  // Short inputs whose frames overhang both ends, against a direct double-precision DFT of the
  // explicitly reflect-padded signal with the zero-padded, centred periodic window.
  void naiveDft_data() {
    QTest::addColumn<bool>("center");
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("window");
    QTest::newRow("center, 300 samples, hann") << true << 300 << int(WindowType::Hann);
    QTest::newRow("center, 700 samples, hamming") << true << 700 << int(WindowType::Hamming);
    QTest::newRow("no center, 1000 samples, hann") << false << 1000 << int(WindowType::Hann);
  }
  void naiveDft() {
    QFETCH(bool, center);
    QFETCH(int, samples);
    QFETCH(int, window);
    StftParams p;
    p.center = center;
    p.window = static_cast<WindowType>(window);
    Stft stft(p);
    const std::vector<float> noise = test::referenceSignal("noise");
    const std::vector<float> x(noise.begin(), noise.begin() + samples);
    const FeatureMatrix ours = stft.power(x);

    const int nFft = 512, win = 400, hop = 160, pad = center ? 256 : 0;
    std::vector<double> padded;
    for (int j = -pad; j < samples + pad; ++j) {
      const int r = j < 0 ? -j : (j >= samples ? 2 * (samples - 1) - j : j);
      padded.push_back(x[static_cast<std::size_t>(r)]);
    }
    const double a0 = p.window == WindowType::Hann ? 0.5 : 0.54;
    std::vector<double> w(nFft, 0.0);
    for (int i = 0; i < win; ++i)
      w[static_cast<std::size_t>((nFft - win) / 2 + i)] =
          a0 - (1 - a0) * std::cos(2 * M_PI * i / win);
    const int frames = 1 + (int(padded.size()) - nFft) / hop;
    QCOMPARE(ours.cols, frames);
    double worst = 0.0, peak = 0.0;
    for (int t = 0; t < frames; ++t) {
      for (int k = 0; k <= nFft / 2; ++k) {
        double re = 0.0, im = 0.0;
        for (int i = 0; i < nFft; ++i) {
          const double v =
              padded[static_cast<std::size_t>(t * hop + i)] * w[static_cast<std::size_t>(i)];
          re += v * std::cos(2 * M_PI * k * i / nFft);
          im -= v * std::sin(2 * M_PI * k * i / nFft);
        }
        const double power = re * re + im * im;
        peak = std::max(peak, power);
        worst = std::max(worst, std::abs(power - ours.at(k, t)));
      }
    }
    QVERIFY2(worst <= 1e-5 * peak,
             qPrintable(QString("max |diff| %1, peak %2").arg(worst).arg(peak)));
  }

  void zeroInput() {
    Stft stft(StftParams{});
    const FeatureMatrix m = stft.power(std::vector<float>(16000, 0.0f));
    QCOMPARE(m.cols, 101);
    for (float v : m.data) QCOMPARE(v, 0.0f);
  }

  // A sine at an exact bin frequency peaks in that bin, with the expected power.
  void sinePeakBin_data() {
    QTest::addColumn<int>("bin");
    QTest::addColumn<int>("window");  // WindowType
    QTest::newRow("bin 14 (437.5 Hz) hann") << 14 << int(WindowType::Hann);
    QTest::newRow("bin 32 (1000 Hz) hann") << 32 << int(WindowType::Hann);
    QTest::newRow("bin 200 (6250 Hz) hamming") << 200 << int(WindowType::Hamming);
  }
  void sinePeakBin() {
    QFETCH(int, bin);
    QFETCH(int, window);
    StftParams p;
    p.window = static_cast<WindowType>(window);
    Stft stft(p);
    const double hz = bin * 16000.0 / 512;
    const FeatureMatrix m = stft.power(sine(hz, 0.5, 16000, 8000));
    const int t = m.cols / 2;
    int best = 0;
    for (int k = 1; k < m.rows; ++k)
      if (m.at(k, t) > m.at(best, t)) best = k;
    QCOMPARE(best, bin);
    // |X| at the peak ~ amplitude/2 * sum(window): 0.25 * 200 (Hann), 0.25 * 216 (Hamming).
    const double windowSum = p.window == WindowType::Hann ? 200.0 : 216.0;
    const double expected = std::pow(0.25 * windowSum, 2.0);
    QVERIFY2(
        std::abs(m.at(bin, t) - expected) < 0.02 * expected,
        qPrintable(QString("peak power %1, expected about %2").arg(m.at(bin, t)).arg(expected)));
  }

  void tooShortInput_data() {
    QTest::addColumn<bool>("center");
    QTest::addColumn<int>("samples");
    QTest::newRow("empty") << true << 0;
    QTest::newRow("center, not more than nFft/2") << true << 256;
    QTest::newRow("no center, shorter than nFft") << false << 511;
  }
  void tooShortInput() {
    QFETCH(bool, center);
    QFETCH(int, samples);
    StftParams p;
    p.center = center;
    Stft stft(p);
    QVERIFY_THROWS_EXCEPTION(
        ser::Error, stft.power(std::vector<float>(static_cast<std::size_t>(samples), 0.5f)));
  }

  // One Stft used from two threads at once gives the single-threaded results, bit for bit.
  void threadSafety() {
    Stft stft(StftParams{});
    const std::vector<float> a = sine(440.0, 0.5, 16000, 16000);
    const std::vector<float> b = test::referenceSignal("noise");
    const FeatureMatrix expectedA = stft.power(a);
    const FeatureMatrix expectedB = stft.power(b);
    bool okA = true, okB = true;
    auto run = [&stft](const std::vector<float>& x, const FeatureMatrix& expected, bool& ok) {
      for (int i = 0; i < 40; ++i) ok = ok && stft.power(x).data == expected.data;
    };
    std::thread ta(run, std::cref(a), std::cref(expectedA), std::ref(okA));
    std::thread tb(run, std::cref(b), std::cref(expectedB), std::ref(okB));
    ta.join();
    tb.join();
    QVERIFY(okA);
    QVERIFY(okB);
  }

  // Several Stft objects built concurrently (plan creation is serialised internally).
  void concurrentConstruction() {
    std::vector<std::thread> threads;
    std::vector<float> peaks(4, 0.0f);
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([i, &peaks] {
        StftParams p;
        p.nFft = 512 << (i % 2);
        Stft stft(p);
        const FeatureMatrix m = stft.power(std::vector<float>(4000, 1.0f));
        peaks[static_cast<std::size_t>(i)] = m.at(0, m.cols / 2);  // DC: sum(window)^2 = 200^2
      });
    }
    for (auto& t : threads) t.join();
    for (float v : peaks) QVERIFY(std::abs(v - 40000.0f) < 1.0f);
  }
};

QTEST_GUILESS_MAIN(StftTest)
#include "test_stft.moc"
