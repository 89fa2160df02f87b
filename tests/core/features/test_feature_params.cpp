#include <QtTest>
#include <cmath>
#include <functional>
#include <limits>

#include "core/base/error.h"
#include "core/features/front_end_params.h"
#include "core/features/mfcc.h"

using namespace ser;

namespace {

// One bad value, set on otherwise default parameters of the whole front end.
struct BadValue {
  const char* row;
  const char* parameter;
  std::function<void(UtteranceFeatureParams&)> mutate;
};

const std::vector<BadValue>& badValues() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  static const std::vector<BadValue> table{
      {"sample_rate too low", "sample_rate", [](auto& p) { p.logMel.stft.sampleRate = 999; }},
      {"sample_rate too high", "sample_rate", [](auto& p) { p.logMel.stft.sampleRate = 192001; }},
      {"window_ms zero", "window_ms", [](auto& p) { p.logMel.stft.windowMs = 0.0; }},
      {"window_ms too long", "window_ms", [](auto& p) { p.logMel.stft.windowMs = 501.0; }},
      {"window_ms NaN", "window_ms", [nan](auto& p) { p.logMel.stft.windowMs = nan; }},
      {"hop_ms too small", "hop_ms", [](auto& p) { p.logMel.stft.hopMs = 0.1; }},
      {"hop_ms above window", "hop_ms", [](auto& p) { p.logMel.stft.hopMs = 30.0; }},
      {"n_fft below window", "n_fft", [](auto& p) { p.logMel.stft.nFft = 256; }},
      {"n_fft too large", "n_fft", [](auto& p) { p.logMel.stft.nFft = 131072; }},
      {"n_fft negative", "n_fft", [](auto& p) { p.logMel.stft.nFft = -512; }},
      {"n_mels zero", "n_mels", [](auto& p) { p.logMel.mel.nMels = 0; }},
      {"n_mels too many", "n_mels", [](auto& p) { p.logMel.mel.nMels = 1000; }},
      {"f_min negative", "f_min", [](auto& p) { p.logMel.mel.fMin = -10.0; }},
      {"f_min above f_max", "f_min", [](auto& p) { p.logMel.mel.fMin = 9000.0; }},
      {"f_max above Nyquist", "f_max", [](auto& p) { p.logMel.mel.fMax = 12000.0; }},
      {"log_offset zero", "log_offset", [](auto& p) { p.logMel.logOffset = 0.0; }},
      {"log_offset above 1", "log_offset", [](auto& p) { p.logMel.logOffset = 2.0; }},
      {"n_mfcc zero", "n_mfcc", [](auto& p) { p.nMfcc = 0; }},
      {"n_mfcc above n_mels", "n_mfcc", [](auto& p) { p.nMfcc = 65; }},
      {"rolloff zero", "rolloff", [](auto& p) { p.rolloff = 0.0; }},
      {"rolloff one", "rolloff", [](auto& p) { p.rolloff = 1.0; }},
  };
  return table;
}

// Runs `f`, expecting a ParameterError naming `parameter`; returns a failure text or "".
QString expectParameterError(const std::function<void()>& f, const QString& parameter) {
  try {
    f();
  } catch (const ParameterError& e) {
    if (QString::fromStdString(e.parameter()) != parameter)
      return QString("named '%1' instead of '%2': %3")
          .arg(e.parameter().c_str(), parameter, e.what());
    if (!QString(e.what()).contains(parameter))
      return QString("message lacks the name: ") + e.what();
    return {};
  } catch (const std::exception& e) {
    return QString("not a ParameterError: ") + e.what();
  }
  return "nothing thrown";
}

}  // namespace

class FeatureParamsTest : public QObject {
  Q_OBJECT

 private slots:
  void defaultsAreValid() {
    UtteranceFeatureParams{}.validate();
    FrontEndParams{}.validate();
    LogMelParams{}.validate();
    QVERIFY(true);
  }

  // Each bad value is refused by validate() and by the constructors of every class that takes it.
  void invalidParameters_data() {
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < badValues().size(); ++i)
      QTest::newRow(badValues()[i].row) << int(i);
  }
  void invalidParameters() {
    QFETCH(int, index);
    const BadValue& bad = badValues()[static_cast<std::size_t>(index)];
    UtteranceFeatureParams p;
    bad.mutate(p);
    const QString name = bad.parameter;
    QString failure = expectParameterError([&] { p.validate(); }, name);
    QVERIFY2(failure.isEmpty(), qPrintable("UtteranceFeatureParams::validate " + failure));
    failure = expectParameterError([&] { UtteranceFeatures f(p); }, name);
    QVERIFY2(failure.isEmpty(), qPrintable("UtteranceFeatures " + failure));

    FrontEndParams fe;
    fe.logMel = p.logMel;
    fe.audio.sampleRate = std::clamp(p.logMel.stft.sampleRate, 8000, 96000);
    fe.nMfcc = p.nMfcc;
    if (name != "rolloff") {
      failure = expectParameterError([&] { fe.validate(); }, name);
      QVERIFY2(failure.isEmpty(), qPrintable("FrontEndParams::validate " + failure));
    }
    if (name != "rolloff" && name != "n_mfcc") {
      failure = expectParameterError([&] { LogMel m(p.logMel); }, name);
      QVERIFY2(failure.isEmpty(), qPrintable("LogMel " + failure));
    }
  }

  void messageNamesValueAndRange() {
    StftParams p;
    p.hopMs = 30.0;
    try {
      p.validate();
      QFAIL("no ParameterError");
    } catch (const ParameterError& e) {
      QCOMPARE(QString(e.what()), QString("Parameter 'hop_ms' = 30 is not within [0.5, 25]"));
    }
  }

  void sampleRateMismatch() {
    FrontEndParams p;
    p.logMel.stft.sampleRate = 22050;
    p.logMel.mel.fMax = 8000.0;
    try {
      p.validate();
      QFAIL("no ParameterError");
    } catch (const ParameterError& e) {
      QCOMPARE(e.parameter(), std::string("sample_rate"));
      QVERIFY2(QString(e.what()).contains("22050") && QString(e.what()).contains("16000") &&
                   QString(e.what()).contains("must equal"),
               e.what());
    }
  }

  void fingerprintStable() {
    const std::string a = FrontEndParams{}.fingerprint();
    QCOMPARE(FrontEndParams{}.fingerprint(), a);
    QCOMPARE(a,
             std::string("serwb-features-v2;audio.sample_rate=16000;audio.fixed_seconds=3;"
                         "stft.sample_rate=16000;stft.window_ms=25;stft.hop_ms=10;stft.n_fft=0;"
                         "stft.window=hann;stft.center=1;mel.n_mels=64;mel.f_min=0;mel.f_max=8000;"
                         "mel.scale=htk;mel.norm=none;log_offset=1e-06;n_mfcc=13"));
  }

  // Changing any one field changes the fingerprint.
  void fingerprintCoversEveryField_data() {
    QTest::addColumn<int>("field");
    const char* rows[] = {
        "audio.sample_rate", "audio.fixed_seconds", "stft.sample_rate", "stft.window_ms",
        "stft.hop_ms",       "stft.n_fft",          "stft.window",      "stft.center",
        "mel.n_mels",        "mel.f_min",           "mel.f_max",        "mel.scale",
        "mel.norm",          "log_offset",          "n_mfcc",           "tiny double change"};
    for (int i = 0; i < int(std::size(rows)); ++i) QTest::newRow(rows[i]) << i;
  }
  void fingerprintCoversEveryField() {
    QFETCH(int, field);
    FrontEndParams p;
    switch (field) {
      case 0:
        p.audio.sampleRate = 22050;
        break;
      case 1:
        p.audio.fixedSeconds = 4.0;
        break;
      case 2:
        p.logMel.stft.sampleRate = 22050;
        break;
      case 3:
        p.logMel.stft.windowMs = 20.0;
        break;
      case 4:
        p.logMel.stft.hopMs = 12.5;
        break;
      case 5:
        p.logMel.stft.nFft = 1024;
        break;
      case 6:
        p.logMel.stft.window = WindowType::Hamming;
        break;
      case 7:
        p.logMel.stft.center = false;
        break;
      case 8:
        p.logMel.mel.nMels = 80;
        break;
      case 9:
        p.logMel.mel.fMin = 20.0;
        break;
      case 10:
        p.logMel.mel.fMax = 7600.0;
        break;
      case 11:
        p.logMel.mel.scale = MelScale::Slaney;
        break;
      case 12:
        p.logMel.mel.norm = MelNorm::Slaney;
        break;
      case 13:
        p.logMel.logOffset = 1e-5;
        break;
      case 14:
        p.nMfcc = 20;
        break;
      case 15:
        p.logMel.stft.hopMs = std::nextafter(10.0, 11.0);
        break;
    }
    QVERIFY(p.fingerprint() != FrontEndParams{}.fingerprint());
  }
};

QTEST_GUILESS_MAIN(FeatureParamsTest)
#include "test_feature_params.moc"
