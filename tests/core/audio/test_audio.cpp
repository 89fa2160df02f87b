#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <functional>

#include "core/audio/audio_file.h"
#include "core/audio/front_end.h"
#include "core/audio/resampler.h"
#include "core/base/error.h"
#include "tests/fixtures/corpus_fixtures.h"

namespace {
std::vector<float> sine(double freq, int rate, double seconds, float amp = 0.5f) {
  std::vector<float> s(static_cast<std::size_t>(seconds * rate));
  for (std::size_t i = 0; i < s.size(); ++i)
    s[i] = amp * static_cast<float>(std::sin(2.0 * M_PI * freq * double(i) / rate));
  return s;
}

// Frequency estimate from zero crossings (robust for a clean sine).
double zeroCrossingFrequency(const std::vector<float>& s, int rate) {
  int crossings = 0;
  for (std::size_t i = 1; i < s.size(); ++i)
    if ((s[i - 1] < 0) != (s[i] < 0)) ++crossings;
  return crossings / 2.0 / (double(s.size()) / rate);
}

void writeText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}
}  // namespace

class TestAudio : public QObject {
  Q_OBJECT
 private slots:
  // Lengths around the decoder's 8192-frame blocks, and files longer than the 16 KB that the
  // header check reads in one go.
  void wavAndFlacRoundTrip_data() {
    QTest::addColumn<QString>("ext");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("frames");
    QTest::newRow("wav mono") << "wav" << 1 << 8000;
    QTest::newRow("wav stereo") << "wav" << 2 << 8000;
    QTest::newRow("flac mono") << "flac" << 1 << 8000;
    QTest::newRow("wav mono, one block") << "wav" << 1 << 8192;
    QTest::newRow("wav mono, one block and a frame") << "wav" << 1 << 8193;
    QTest::newRow("flac mono, one block and a frame") << "flac" << 1 << 8193;
    QTest::newRow("wav stereo, 3 s") << "wav" << 2 << 48000;
    QTest::newRow("flac mono, 3 s") << "flac" << 1 << 48000;
  }
  void wavAndFlacRoundTrip() {
    QFETCH(QString, ext);
    QFETCH(int, channels);
    QFETCH(int, frames);
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/a." + ext.toStdString();
    auto s = sine(440.0, 16000, 3.0);
    s.resize(static_cast<std::size_t>(frames));
    ser::writeAudio(path, s, 16000, channels);
    const ser::AudioInfo info = ser::readAudioInfo(path);
    QCOMPARE(info.sampleRate, 16000);
    QCOMPARE(info.channels, channels);
    QCOMPARE(info.frames, static_cast<long long>(s.size()));
    const ser::MonoAudio m = ser::loadMono(path);
    QCOMPARE(m.samples.size(), s.size());
    double maxErr = 0;
    for (std::size_t i = 0; i < s.size(); ++i) maxErr = std::max(maxErr, double(std::abs(m.samples[i] - s[i])));
    QVERIFY2(maxErr < 1.0 / 16000.0 + 1e-4, qPrintable(QString::number(maxErr)));  // 16-bit quantisation
  }

  void downmixAveragesChannels() {
    // A stereo file whose channels are identical downmixes to the same signal (not doubled).
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/s.wav";
    ser::writeAudio(path, std::vector<float>(100, 0.25f), 8000, 2);
    const auto m = ser::loadMono(path);
    QVERIFY(std::abs(m.samples[50] - 0.25f) < 1e-3f);
  }

  void badFilesGiveErrorsNamingTheFile_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("reasonPart");
    QTest::addColumn<bool>("headerRefused");  // readAudioInfo refuses it too (not only decoding)
    QTest::newRow("missing") << "missing" << "does not exist" << true;
    QTest::newRow("empty") << "empty" << "empty file" << true;
    QTest::newRow("text named .wav") << "text" << "cannot read audio" << true;
    QTest::newRow("header only, no frames") << "noframes" << "no audio frames" << true;
    QTest::newRow("float NaN sample") << "nan" << "sample 800 is not a finite number (NaN)" << false;
    QTest::newRow("float infinite sample") << "inf" << "sample 800 is not a finite number (infinity)"
                                           << false;
    QTest::newRow("rate of billions") << "absurdrate" << "implausible sample rate 2000000000 Hz"
                                      << true;
    QTest::newRow("rate of 10 Hz") << "tinyrate" << "implausible sample rate 10 Hz" << true;
    QTest::newRow("300 channels") << "channels" << "implausible channel count 300" << true;
    QTest::newRow("FIFO named .wav (must not block)") << "fifo" << "is a FIFO" << true;
    QTest::newRow("folder named .wav") << "folder" << "is a folder" << true;
    QTest::newRow("dangling link") << "dangling" << "dangling or looping symbolic link" << true;
    QTest::newRow("link loop") << "loop" << "dangling or looping symbolic link" << true;
  }
  void badFilesGiveErrorsNamingTheFile() {
    QFETCH(QString, kind);
    QFETCH(QString, reasonPart);
    QFETCH(bool, headerRefused);
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/bad.wav";
    using B = ser::fixtures::BadAudio;
    if (kind == "empty") writeText(path, "");
    if (kind == "text") writeText(path, "this is not audio, just text pretending to be a wav file\n");
    if (kind == "noframes") ser::writeAudio(path, {}, 16000, 1);
    if (kind == "nan") ser::fixtures::writeBadAudio(path, B::NanSamples);
    if (kind == "inf") ser::fixtures::writeBadAudio(path, B::InfSamples);
    if (kind == "absurdrate") ser::fixtures::writeBadAudio(path, B::AbsurdRate);
    if (kind == "tinyrate") ser::fixtures::writeBadAudio(path, B::TinyRate);
    if (kind == "channels") ser::fixtures::writeBadAudio(path, B::ManyChannels);
    if (kind == "fifo") QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
    if (kind == "folder") QVERIFY(std::filesystem::create_directory(path));
    if (kind == "dangling") std::filesystem::create_symlink(dir.path().toStdString() + "/gone", path);
    if (kind == "loop") std::filesystem::create_symlink(path, path);
    const auto expectError = [&](const std::function<void()>& call) {
      try {
        call();
        QFAIL("no exception");
      } catch (const ser::Error& e) {
        QVERIFY2(QString(e.what()).contains("bad.wav"), e.what());
        QVERIFY2(QString(e.what()).contains(reasonPart), e.what());
      }
    };
    expectError([&] { ser::loadMono(path); });
    if (headerRefused)
      expectError([&] { ser::readAudioInfo(path); });
    else
      QCOMPARE(ser::readAudioInfo(path).sampleRate, 16000);  // only decoding finds the damage
  }

  void headerBoundsAcceptTheirLimits() {
    QTemporaryDir dir;
    for (int rate : {ser::kMinSampleRate, ser::kMaxSampleRate}) {
      const std::string path = dir.path().toStdString() + "/r" + std::to_string(rate) + ".wav";
      ser::writeAudio(path, std::vector<float>(100, 0.1f), rate);
      QCOMPARE(ser::readAudioInfo(path).sampleRate, rate);
    }
  }

  void resamplerKeepsFrequencyAndLength_data() {
    QTest::addColumn<int>("inRate");
    QTest::addColumn<int>("outRate");
    QTest::newRow("48k->16k") << 48000 << 16000;
    QTest::newRow("44.1k->16k") << 44100 << 16000;
    QTest::newRow("8k->16k") << 8000 << 16000;
  }
  void resamplerKeepsFrequencyAndLength() {
    QFETCH(int, inRate);
    QFETCH(int, outRate);
    ser::Resampler r(outRate);
    const auto in = sine(500.0, inRate, 1.0);
    for (int pass = 0; pass < 2; ++pass) {  // the reused engine gives the same result
      const auto out = r.process(in, inRate);
      QCOMPARE(out.size(), std::size_t(outRate));
      // Skip filter edges; the tone stays at 500 Hz.
      std::vector<float> mid(out.begin() + 1000, out.end() - 1000);
      QVERIFY(std::abs(zeroCrossingFrequency(mid, outRate) - 500.0) < 3.0);
      double peak = 0;
      for (float v : mid) peak = std::max(peak, double(std::abs(v)));
      QVERIFY2(std::abs(peak - 0.5) < 0.02, qPrintable(QString::number(peak)));
    }
  }

  void resamplerRemovesContentAboveNyquist() {
    ser::Resampler r(16000);
    const auto in = sine(12000.0, 48000, 0.5);  // above the new Nyquist (8 kHz)
    const auto out = r.process(in, 48000);
    double energy = 0;
    for (std::size_t i = 500; i + 500 < out.size(); ++i) energy += double(out[i]) * out[i];
    QVERIFY(energy / double(out.size()) < 1e-5);
  }

  void fixLengthCropsCentreAndPadsEnd() {
    std::vector<float> s{1, 2, 3, 4, 5, 6};
    QCOMPARE(ser::fixLength(s, 2), (std::vector<float>{3, 4}));
    QCOMPARE(ser::fixLength(s, 8), (std::vector<float>{1, 2, 3, 4, 5, 6, 0, 0}));
    QCOMPARE(ser::fixLength(s, 6), s);
  }

  void frontEndGivesFixedLengthAtTargetRate() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/a.wav";
    ser::writeAudio(path, sine(300.0, 48000, 4.0), 48000, 2);
    ser::AudioFrontEnd fe(ser::AudioFrontEndParams{});
    QCOMPARE(fe.load(path).size(), std::size_t(48000));  // 3.0 s at 16 kHz
    ser::AudioFrontEndParams keep;
    keep.fixedSeconds = 0;
    ser::AudioFrontEnd fe2(keep);
    QCOMPARE(fe2.load(path).size(), std::size_t(64000));  // 4.0 s kept
  }

  // The front end resamples only the part of a clip its centre crop keeps (plus a margin): the
  // kept samples must be those of the whole clip resampled, then cropped, up to float rounding.
  void croppingBeforeResamplingMatchesCroppingAfter_data() {
    QTest::addColumn<int>("inRate");
    QTest::addColumn<int>("frames");
    QTest::newRow("48k, 3.7 s") << 48000 << 177600;
    QTest::newRow("48k, odd length") << 48000 << 190001;
    QTest::newRow("48k, just long enough to crop first") << 48000 << 3 * (48000 + 2 * 256 + 2);
    QTest::newRow("48k, too short to crop first") << 48000 << 3 * (48000 + 2 * 256 - 2);
    QTest::newRow("48k, 30 s") << 48000 << 30 * 48000;
    QTest::newRow("44.1k, 4.2 s") << 44100 << 185221;
    QTest::newRow("22.05k, 5 s") << 22050 << 110251;
    QTest::newRow("8k up, 3.9 s") << 8000 << 31201;
    QTest::newRow("12k up, 3.5 s") << 12000 << 42000;
    QTest::newRow("96k, 3.5 s") << 96000 << 336000;
    QTest::newRow("11.025k up, odd") << 11025 << 40001;
  }
  void croppingBeforeResamplingMatchesCroppingAfter() {
    QFETCH(int, inRate);
    QFETCH(int, frames);
    // Speech-like: tones up to the new Nyquist and white noise, full scale at the peaks.
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 0.1f);
    std::vector<float> x(static_cast<std::size_t>(frames));
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double t = double(i) / inRate;
      x[i] = static_cast<float>(0.4 * std::sin(2 * M_PI * 220 * t) + 0.3 * std::sin(2 * M_PI * 3100 * t) +
                                0.1 * std::sin(2 * M_PI * 7900 * t)) + noise(rng);
    }
    ser::Resampler resampler(16000);
    const std::vector<float> expected = ser::fixLength(resampler.process(x, inRate), 48000);
    ser::AudioFrontEnd fe(ser::AudioFrontEndParams{});
    std::vector<float> out;
    for (int pass = 0; pass < 2; ++pass) {  // the reused resampler and buffers give the same
      fe.process(x.data(), x.size(), inRate, out);
      QCOMPARE(out.size(), expected.size());
      double maxDiff = 0.0;
      for (std::size_t i = 0; i < out.size(); ++i)
        maxDiff = std::max(maxDiff, std::abs(double(out[i]) - expected[i]));
      QVERIFY2(maxDiff < 1e-6, qPrintable(QString::number(maxDiff)));
    }
  }

  void frontEndRefusesBadParameters() {
    ser::AudioFrontEndParams p;
    p.sampleRate = 100;
    QVERIFY_THROWS_EXCEPTION(ser::ParameterError, ser::AudioFrontEnd{p});
    p = {};
    p.fixedSeconds = -1;
    QVERIFY_THROWS_EXCEPTION(ser::ParameterError, p.validate());
  }
};

QTEST_GUILESS_MAIN(TestAudio)
#include "test_audio.moc"
