#include <QtTest>
#include <cmath>

#include "core/base/error.h"
#include "core/features/mel_filterbank.h"
#include "reference_data.h"

using namespace ser;

class MelFilterbankTest : public QObject {
  Q_OBJECT

 private slots:
  // Agreement with torchaudio.functional.melscale_fbanks (transposed to mels x bins).
  void matchesTorchaudio_data() {
    QTest::addColumn<int>("index");
    const nlohmann::json ref = test::loadReference("filterbanks.json");
    int i = 0;
    for (const auto& fb : ref.at("filterbanks"))
      QTest::newRow(fb.at("name").get<std::string>().c_str()) << i++;
  }
  void matchesTorchaudio() {
    QFETCH(int, index);
    const nlohmann::json ref = test::loadReference("filterbanks.json").at("filterbanks").at(index);
    MelParams p;
    p.nMels = ref.at("n_mels").get<int>();
    p.fMin = ref.at("f_min").get<double>();
    p.fMax = ref.at("f_max").get<double>();
    p.scale = ref.at("mel_scale").get<std::string>() == "htk" ? MelScale::Htk : MelScale::Slaney;
    p.norm = ref.at("mel_norm").get<std::string>() == "none" ? MelNorm::None : MelNorm::Slaney;
    const FeatureMatrix ours =
        melFilterbank(p, ref.at("sample_rate").get<int>(), ref.at("n_fft").get<int>());
    QCOMPARE(ours.rows, p.nMels);
    QCOMPARE(ours.cols, ref.at("bins").get<int>());

    FeatureMatrix expected(ours.rows, ours.cols);
    for (int m = 0; m < ours.rows; ++m) {
      const auto& band = ref.at("bands").at(m);
      int k = band.at("first").get<int>();
      for (const auto& v : band.at("values")) expected.at(m, k++) = v.get<float>();
    }
    // torchaudio places the band edges in float32 (mel values in the thousands); we use double.
    const double tolerance = 5e-5 * test::maxAbs(expected);
    const double diff = test::maxAbsDiff(ours, expected);
    QVERIFY2(diff >= 0.0 && diff <= tolerance,
             qPrintable(QString("max |diff| %1 > tolerance %2").arg(diff).arg(tolerance)));
  }

  void scaleKnownValues() {
    QVERIFY(std::abs(hzToMel(1000.0, MelScale::Htk) - 999.9855) < 1e-3);
    QVERIFY(std::abs(hzToMel(700.0, MelScale::Htk) - 2595.0 * std::log10(2.0)) < 1e-9);
    QCOMPARE(hzToMel(1000.0, MelScale::Slaney), 15.0);
    QCOMPARE(hzToMel(500.0, MelScale::Slaney), 7.5);
    QVERIFY(std::abs(hzToMel(6400.0, MelScale::Slaney) - 42.0) < 1e-9);  // 15 + 27 log steps
  }

  void roundTrip_data() {
    QTest::addColumn<int>("scale");
    QTest::addColumn<double>("hz");
    for (double hz : {0.0, 55.0, 999.0, 1000.0, 1001.0, 4321.0, 8000.0, 22050.0}) {
      QTest::addRow("htk %g Hz", hz) << int(MelScale::Htk) << hz;
      QTest::addRow("slaney %g Hz", hz) << int(MelScale::Slaney) << hz;
    }
  }
  void roundTrip() {
    QFETCH(int, scale);
    QFETCH(double, hz);
    const auto s = static_cast<MelScale>(scale);
    QVERIFY(std::abs(melToHz(hzToMel(hz, s), s) - hz) < 1e-9 * (1.0 + hz));
  }

  // Without normalisation the triangles peak at <= 1 and every band is non-empty at the defaults.
  void defaultShape() {
    const FeatureMatrix fb = melFilterbank(MelParams{}, 16000, 512);
    QCOMPARE(fb.rows, 64);
    QCOMPARE(fb.cols, 257);
    for (int m = 0; m < fb.rows; ++m) {
      float peak = 0.0f;
      for (int k = 0; k < fb.cols; ++k) {
        QVERIFY(fb.at(m, k) >= 0.0f);
        peak = std::max(peak, fb.at(m, k));
      }
      QVERIFY2(peak > 0.0f && peak <= 1.0f,
               qPrintable(QString("band %1 peak %2").arg(m).arg(peak)));
    }
  }

  void invalidParameters_data() {
    QTest::addColumn<int>("nMels");
    QTest::addColumn<double>("fMin");
    QTest::addColumn<double>("fMax");
    QTest::addColumn<QString>("parameter");
    QTest::newRow("no bands") << 0 << 0.0 << 8000.0 << "n_mels";
    QTest::newRow("too many bands") << 513 << 0.0 << 8000.0 << "n_mels";
    QTest::newRow("negative f_min") << 64 << -1.0 << 8000.0 << "f_min";
    QTest::newRow("f_min = f_max") << 64 << 4000.0 << 4000.0 << "f_min";
    QTest::newRow("f_max above Nyquist") << 64 << 0.0 << 8001.0 << "f_max";
    QTest::newRow("f_max NaN") << 64 << 0.0 << std::nan("") << "f_min";
  }
  void invalidParameters() {
    QFETCH(int, nMels);
    QFETCH(double, fMin);
    QFETCH(double, fMax);
    QFETCH(QString, parameter);
    MelParams p;
    p.nMels = nMels;
    p.fMin = fMin;
    p.fMax = fMax;
    try {
      melFilterbank(p, 16000, 512);
      QFAIL("no ParameterError");
    } catch (const ParameterError& e) {
      QCOMPARE(QString::fromStdString(e.parameter()), parameter);
      QVERIFY2(QString(e.what()).contains(parameter), e.what());
    }
  }
};

QTEST_GUILESS_MAIN(MelFilterbankTest)
#include "test_mel_filterbank.moc"
