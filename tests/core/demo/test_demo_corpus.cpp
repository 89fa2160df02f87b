#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/audio/audio_file.h"
#include "core/base/error.h"
#include "core/demo/demo_corpus.h"

namespace {

// Small corpora: 2 acted actors x 15 emotion/intensity cells x 2 statements = 60 clips;
// 2 crowd actors x 1 sentence x 6 emotions = 12 clips.
ser::DemoCorpusOptions smallOptions(unsigned seed) {
  ser::DemoCorpusOptions o;
  o.seed = seed;
  o.actedActors = 2;
  o.actedRepetitions = 1;
  o.crowdActors = 2;
  o.crowdSentences = 1;
  return o;
}

QByteArray fileBytes(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return f.readAll();
}

// Relative paths of all files below `root`, sorted.
QStringList filesBelow(const QString& root) {
  QStringList out;
  QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) out << QDir(root).relativeFilePath(it.next());
  out.sort();
  return out;
}

double rmsDb(const std::vector<float>& x) {
  double e = 0;
  for (float v : x) e += double(v) * v;
  return 10 * std::log10(e / std::max<std::size_t>(1, x.size()) + 1e-20);
}

// Median F0 (Hz) of the voiced frames, by normalised autocorrelation on a ~16 kHz copy.
double medianF0(const ser::MonoAudio& audio) {
  const int factor = std::max(1, audio.sampleRate / 16000);
  const double fs = double(audio.sampleRate) / factor;
  std::vector<double> x(audio.samples.size() / factor);
  for (std::size_t i = 0; i < x.size(); ++i) {
    double s = 0;
    for (int k = 0; k < factor; ++k) s += audio.samples[i * factor + k];
    x[i] = s / factor;
  }
  const int frame = int(0.04 * fs), hop = int(0.01 * fs);
  const int minLag = int(fs / 500), maxLag = int(fs / 60);
  std::vector<double> energy;
  for (std::size_t start = 0; start + frame + maxLag < x.size(); start += hop) {
    double e = 0;
    for (int i = 0; i < frame; ++i) e += x[start + i] * x[start + i];
    energy.push_back(e);
  }
  const double loudest = *std::max_element(energy.begin(), energy.end());
  std::vector<double> f0s;
  for (std::size_t f = 0; f < energy.size(); ++f) {
    if (energy[f] < 0.2 * loudest) continue;
    const double* a = x.data() + f * hop;
    std::vector<double> r(maxLag + 1, 0.0);
    double best = 0;
    for (int lag = minLag; lag <= maxLag; ++lag) {
      double c = 0, e1 = 0;
      for (int i = 0; i < frame; ++i) {
        c += a[i] * a[i + lag];
        e1 += a[i + lag] * a[i + lag];
      }
      r[lag] = c / std::sqrt(energy[f] * e1 + 1e-30);
      best = std::max(best, r[lag]);
    }
    if (best < 0.5) continue;  // unvoiced
    // The first local maximum close to the best avoids picking a multiple of the period.
    for (int lag = minLag + 1; lag < maxLag; ++lag) {
      if (r[lag] >= 0.97 * best && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
        f0s.push_back(fs / lag);
        break;
      }
    }
  }
  if (f0s.empty()) return 0;
  std::nth_element(f0s.begin(), f0s.begin() + f0s.size() / 2, f0s.end());
  return f0s[f0s.size() / 2];
}

// Share of the energy above 2 kHz (a spectral-tilt proxy), from first differences' energy ratio.
double brightness(const std::vector<float>& x) {
  double e = 0, d = 0;
  for (std::size_t i = 1; i < x.size(); ++i) {
    e += double(x[i]) * x[i];
    d += double(x[i] - x[i - 1]) * (x[i] - x[i - 1]);
  }
  return d / (e + 1e-30);
}

class CountingReporter : public ser::ProgressReporter {
 public:
  void progress(std::size_t done, std::size_t total, const std::string&) override {
    ++calls;
    lastDone = done;
    lastTotal = total;
  }
  int calls = 0;
  std::size_t lastDone = 0, lastTotal = 0;
};

}  // namespace

class TestDemoCorpus : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString out_;
  ser::DemoCorpusSummary summary_;
  CountingReporter reporter_;

  QString acted(const QString& rel) const { return out_ + "/demo-acted/" + rel; }
  QString crowd(const QString& rel) const { return out_ + "/demo-crowd/" + rel; }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    out_ = dir_.path() + "/a";
    ser::DemoCorpusOptions o = smallOptions(7);
    o.threads = 2;
    summary_ = ser::makeDemoCorpus(out_.toStdString(), o, &reporter_);
    qInfo("small demo corpus (%d + %d clips) written in %.2f s", summary_.actedClips,
          summary_.crowdClips, summary_.seconds);
  }

  void summaryAndProgress() {
    QCOMPARE(summary_.actedClips, 60);
    QCOMPARE(summary_.crowdClips, 12);
    QVERIFY(!summary_.cancelled);
    QCOMPARE(QString::fromStdString(summary_.actedDir), QDir(out_).absoluteFilePath("demo-acted"));
    QCOMPARE(QString::fromStdString(summary_.crowdDir), QDir(out_).absoluteFilePath("demo-crowd"));
    QCOMPARE(reporter_.calls, 72);
    QCOMPARE(reporter_.lastDone, std::size_t(72));
    QCOMPARE(reporter_.lastTotal, std::size_t(72));
  }

  void sameSeedGivesIdenticalBytes() {
    const QString again = dir_.path() + "/b";
    ser::DemoCorpusOptions o = smallOptions(7);
    o.threads = 1;  // a different schedule must not matter
    ser::makeDemoCorpus(again.toStdString(), o);
    const QStringList files = filesBelow(out_);
    QCOMPARE(filesBelow(again), files);
    QCOMPARE(files.size(), 72 + 5);  // + 2 READMEs, 2 markers, demographics
    for (const QString& f : files)
      QVERIFY2(fileBytes(out_ + "/" + f) == fileBytes(again + "/" + f), qPrintable(f));
  }

  void otherSeedGivesOtherAudio() {
    const QString other = dir_.path() + "/c";
    ser::makeDemoCorpus(other.toStdString(), smallOptions(8));
    const QStringList wavs = filesBelow(out_).filter(".wav");
    int same = 0, compared = 0;
    for (const QString& f : wavs) {
      if (!QFile::exists(other + "/" + f)) continue;  // crowd levels are drawn from the seed too
      ++compared;
      if (fileBytes(out_ + "/" + f) == fileBytes(other + "/" + f)) ++same;
    }
    QVERIFY(compared >= 60);
    QCOMPARE(same, 0);
    QVERIFY(fileBytes(out_ + "/demo-acted/SERWB_SYNTHETIC.json") !=
            fileBytes(other + "/demo-acted/SERWB_SYNTHETIC.json"));
  }

  void actedLayout() {
    const QStringList files = filesBelow(out_ + "/demo-acted");
    const QRegularExpression re(
        "^Actor_(\\d\\d)/03-01-(0[1-8])-(0[12])-(0[12])-(0[12])-(\\d\\d)\\.wav$");
    int wavs = 0;
    for (const QString& f : files) {
      if (!f.endsWith(".wav")) continue;
      ++wavs;
      const auto m = re.match(f);
      QVERIFY2(m.hasMatch(), qPrintable(f));
      QCOMPARE(m.captured(6), m.captured(1));  // actor in the name = actor folder
      if (m.captured(2) == "01") QCOMPARE(m.captured(3), QString("01"));  // neutral: normal only
      QCOMPARE(m.captured(5), QString("01"));                            // one repetition
    }
    QCOMPARE(wavs, 60);
    QVERIFY(QFile::exists(acted("Actor_01/03-01-05-02-01-01-01.wav")));
    QVERIFY(QFile::exists(acted("Actor_02/03-01-08-01-02-01-02.wav")));
    QVERIFY(!QFile::exists(acted("Actor_01/03-01-01-02-01-01-01.wav")));
  }

  void crowdLayoutAndDemographics() {
    const QStringList files = filesBelow(out_ + "/demo-crowd/AudioWAV");
    QCOMPARE(files.size(), 12);
    const QRegularExpression re(
        "^(100[12])_(IEO|TIE|IOM|IWW|TAI|MTI|IWL|ITH|DFA|ITS|TSI|WSI)_(ANG|DIS|FEA|HAP|NEU|SAD)_"
        "(LO|MD|HI|XX)\\.wav$");
    QSet<QString> emotions;
    for (const QString& f : files) {
      const auto m = re.match(f);
      QVERIFY2(m.hasMatch(), qPrintable(f));
      if (m.captured(3) == "NEU") QCOMPARE(m.captured(4), QString("XX"));
      emotions.insert(m.captured(1) + m.captured(3));
    }
    QCOMPARE(emotions.size(), 12);  // every actor has every emotion

    const QStringList lines =
        QString::fromUtf8(fileBytes(crowd("VideoDemographics.csv"))).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0], QString("\"ActorID\",\"Age\",\"Sex\",\"Race\",\"Ethnicity\""));
    const QRegularExpression row("^(\\d{4}),(\\d+),\"(Male|Female)\",\"[A-Za-z ]+\",\"(Not )?Hispanic\"$");
    for (int i = 1; i <= 2; ++i) {
      const auto m = row.match(lines[i]);
      QVERIFY2(m.hasMatch(), qPrintable(lines[i]));
      QCOMPARE(m.captured(1).toInt(), 1000 + i);
      QVERIFY(m.captured(2).toInt() >= 18 && m.captured(2).toInt() <= 80);
    }
    QVERIFY(lines[1].contains("\"Male\""));
    QVERIFY(lines[2].contains("\"Female\""));
  }

  void readmeAndMarkerSaySynthetic_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("layout");
    QTest::addColumn<int>("sampleRate");
    QTest::newRow("acted") << "demo-acted" << "ravdess" << ser::kDemoActedSampleRate;
    QTest::newRow("crowd") << "demo-crowd" << "crema-d" << ser::kDemoCrowdSampleRate;
  }
  void readmeAndMarkerSaySynthetic() {
    QFETCH(QString, name);
    QFETCH(QString, layout);
    QFETCH(int, sampleRate);
    const QString readme = QString::fromUtf8(fileBytes(out_ + "/" + name + "/README.md"));
    QVERIFY(readme.contains("SYNTHETIC"));
    QVERIFY(readme.contains("NOT real speech"));
    QVERIFY(readme.contains("serwb make-demo"));
    QVERIFY(readme.contains("seed 7"));
    QJsonParseError err;
    const QJsonDocument doc =
        QJsonDocument::fromJson(fileBytes(out_ + "/" + name + "/SERWB_SYNTHETIC.json"), &err);
    QCOMPARE(err.error, QJsonParseError::NoError);
    const QJsonObject o = doc.object();
    QCOMPARE(o["name"].toString(), name);
    QCOMPARE(o["synthetic"].toBool(), true);
    QCOMPARE(o["generator"].toString(), QString("serwb make-demo"));
    QCOMPARE(o["seed"].toInt(), 7);
    QCOMPARE(o["layout"].toString(), layout);
    QCOMPARE(o["sample_rate"].toInt(), sampleRate);
  }

  void audioProperties_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("rate");
    for (const QString& f : filesBelow(out_).filter(".wav"))
      QTest::newRow(qPrintable(f)) << out_ + "/" + f
                                   << (f.startsWith("demo-acted") ? ser::kDemoActedSampleRate
                                                                  : ser::kDemoCrowdSampleRate);
  }
  void audioProperties() {
    QFETCH(QString, path);
    QFETCH(int, rate);
    const ser::AudioInfo info = ser::readAudioInfo(path.toStdString());
    QCOMPARE(info.sampleRate, rate);
    QCOMPARE(info.channels, 1);
    const ser::MonoAudio audio = ser::loadMono(path.toStdString());
    QVERIFY2(audio.seconds() >= 2.0 && audio.seconds() <= 3.0, qPrintable(QString::number(audio.seconds())));
    float peak = 0;
    for (float v : audio.samples) peak = std::max(peak, std::abs(v));
    QVERIFY2(peak <= 0.9, qPrintable(QString::number(peak)));   // at most about -1 dBFS
    QVERIFY2(peak >= 0.05, qPrintable(QString::number(peak)));  // not silent
    QVERIFY(rmsDb(audio.samples) > -50);
    // Leading silence: only the noise floor, faint in the studio, audible in the crowd corpus,
    // and well below the loudest 50 ms of speech.
    const int frame = rate / 20;
    const double head = rmsDb(std::vector<float>(audio.samples.begin(), audio.samples.begin() + frame));
    double loudest = -200;
    for (std::size_t i = 0; i + frame <= audio.samples.size(); i += frame)
      loudest = std::max(loudest, rmsDb(std::vector<float>(audio.samples.begin() + i,
                                                           audio.samples.begin() + i + frame)));
    const bool studio = rate == ser::kDemoActedSampleRate;
    QVERIFY2(studio ? head < -65 : head > -60 && head < -40, qPrintable(QString::number(head)));
    QVERIFY2(loudest - head > (studio ? 40 : 15), qPrintable(QString("%1 vs %2").arg(loudest).arg(head)));
  }

  // Same speaker and sentence: angry is louder, higher and brighter than sad.
  void angryVersusSad_data() {
    QTest::addColumn<QString>("angry");
    QTest::addColumn<QString>("sad");
    QTest::addColumn<double>("minLoudnessDb");
    QTest::addColumn<double>("minPitchSt");
    QTest::addColumn<bool>("studio");
    QTest::newRow("acted male strong") << acted("Actor_01/03-01-05-02-01-01-01.wav")
                                       << acted("Actor_01/03-01-04-02-01-01-01.wav") << 8.0 << 3.0 << true;
    QTest::newRow("acted female strong") << acted("Actor_02/03-01-05-02-02-01-02.wav")
                                         << acted("Actor_02/03-01-04-02-02-01-02.wav") << 8.0 << 3.0 << true;
    QTest::newRow("acted male normal") << acted("Actor_01/03-01-05-01-02-01-01.wav")
                                       << acted("Actor_01/03-01-04-01-02-01-01.wav") << 5.0 << 2.0 << true;
    const QStringList crowdFiles = filesBelow(out_ + "/demo-crowd/AudioWAV");
    for (const QString actor : {"1001", "1002"}) {
      const QString a = crowdFiles.filter(QRegularExpression("^" + actor + "_..._ANG")).value(0);
      const QString s = crowdFiles.filter(QRegularExpression("^" + actor + "_..._SAD")).value(0);
      QTest::newRow(qPrintable("crowd " + actor)) << crowd("AudioWAV/" + a)
                                                   << crowd("AudioWAV/" + s) << 2.0 << 0.5 << false;
    }
  }
  void angryVersusSad() {
    QFETCH(QString, angry);
    QFETCH(QString, sad);
    QFETCH(double, minLoudnessDb);
    QFETCH(double, minPitchSt);
    QFETCH(bool, studio);
    const ser::MonoAudio a = ser::loadMono(angry.toStdString());
    const ser::MonoAudio s = ser::loadMono(sad.toStdString());
    const double f0a = medianF0(a), f0s = medianF0(s);
    QVERIFY(f0a > 0 && f0s > 0);
    QVERIFY2(f0a > f0s * std::pow(2.0, minPitchSt / 12), qPrintable(QString("F0 %1 vs %2").arg(f0a).arg(f0s)));
    const double la = rmsDb(a.samples), ls = rmsDb(s.samples);
    QVERIFY2(la > ls + minLoudnessDb, qPrintable(QString("RMS %1 vs %2 dB").arg(la).arg(ls)));
    // Spectral tilt; in the crowd corpus the channel and the noise floor mask it.
    if (studio)
      QVERIFY2(brightness(a.samples) > 1.5 * brightness(s.samples),
             qPrintable(QString("%1 vs %2").arg(brightness(a.samples)).arg(brightness(s.samples))));
  }

  void maleVoicesAreLower() {
    const double male = medianF0(ser::loadMono(acted("Actor_01/03-01-01-01-01-01-01.wav").toStdString()));
    const double female = medianF0(ser::loadMono(acted("Actor_02/03-01-01-01-01-01-02.wav").toStdString()));
    QVERIFY2(male > 85 && male < 150, qPrintable(QString::number(male)));
    QVERIFY2(female > 165 && female < 270, qPrintable(QString::number(female)));
    const double crowdMale = medianF0(ser::loadMono(
        crowd("AudioWAV/" + filesBelow(out_ + "/demo-crowd/AudioWAV").filter("1001_").filter("_NEU_").value(0))
            .toStdString()));
    const double crowdFemale = medianF0(ser::loadMono(
        crowd("AudioWAV/" + filesBelow(out_ + "/demo-crowd/AudioWAV").filter("1002_").filter("_NEU_").value(0))
            .toStdString()));
    QVERIFY2(crowdMale * 1.3 < crowdFemale, qPrintable(QString("%1 vs %2").arg(crowdMale).arg(crowdFemale)));
  }

  void invalidOptionsThrow_data() {
    QTest::addColumn<QString>("parameter");
    QTest::addColumn<int>("value");
    for (int v : {1, 25}) QTest::newRow(qPrintable(QString("acted_actors %1").arg(v))) << "acted_actors" << v;
    for (int v : {0, 3}) QTest::newRow(qPrintable(QString("acted_repetitions %1").arg(v))) << "acted_repetitions" << v;
    for (int v : {1, 92}) QTest::newRow(qPrintable(QString("crowd_actors %1").arg(v))) << "crowd_actors" << v;
    for (int v : {0, 13}) QTest::newRow(qPrintable(QString("crowd_sentences %1").arg(v))) << "crowd_sentences" << v;
    QTest::newRow("threads 257") << "threads" << 257;
  }
  void invalidOptionsThrow() {
    QFETCH(QString, parameter);
    QFETCH(int, value);
    ser::DemoCorpusOptions o;
    o.validate();  // the defaults are valid
    if (parameter == "acted_actors") o.actedActors = value;
    if (parameter == "acted_repetitions") o.actedRepetitions = value;
    if (parameter == "crowd_actors") o.crowdActors = value;
    if (parameter == "crowd_sentences") o.crowdSentences = value;
    if (parameter == "threads") o.threads = unsigned(value);
    try {
      o.validate();
      QFAIL("no exception");
    } catch (const ser::ParameterError& e) {
      QCOMPARE(QString::fromStdString(e.parameter()), parameter);
      QVERIFY(QString(e.what()).contains(QString::number(value)));
    }
    const QString target = dir_.path() + "/invalid";
    QVERIFY_THROWS_EXCEPTION(ser::ParameterError, ser::makeDemoCorpus(target.toStdString(), o));
    QVERIFY(!QDir(target).exists());  // nothing written
  }

  void refusesToOverwriteOtherData() {
    const QString target = dir_.path() + "/foreign";
    QVERIFY(QDir().mkpath(target + "/demo-acted"));
    QFile keep(target + "/demo-acted/mine.txt");
    QVERIFY(keep.open(QIODevice::WriteOnly));
    keep.write("precious");
    keep.close();
    QVERIFY_THROWS_EXCEPTION(ser::Error, ser::makeDemoCorpus(target.toStdString(), smallOptions(1)));
    QCOMPARE(fileBytes(target + "/demo-acted/mine.txt"), QByteArray("precious"));
    QVERIFY(!QDir(target + "/demo-crowd").exists());  // checked before anything is written
  }

  void cancelStopsBetweenClips() {
    const QString target = dir_.path() + "/cancelled";
    ser::CancelFlag flag;
    flag.cancel();
    const ser::DemoCorpusSummary s = ser::makeDemoCorpus(target.toStdString(), smallOptions(1), nullptr, &flag);
    QVERIFY(s.cancelled);
    QCOMPARE(s.actedClips + s.crowdClips, 0);
    QVERIFY(filesBelow(target).filter(".wav").isEmpty());
    // The folder is marked, so a later run replaces it.
    QVERIFY(QFile::exists(target + "/demo-acted/SERWB_SYNTHETIC.json"));
    const ser::DemoCorpusSummary again = ser::makeDemoCorpus(target.toStdString(), smallOptions(1));
    QVERIFY(!again.cancelled);
    QCOMPARE(again.actedClips, 60);
  }
};

QTEST_GUILESS_MAIN(TestDemoCorpus)
#include "test_demo_corpus.moc"
