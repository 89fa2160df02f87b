#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <map>
#include <set>

#include "core/base/error.h"
#include "tests/core/corpus/qtest_string.h"
#include "core/corpus/corpus_reader.h"
#include "tests/fixtures/corpus_fixtures.h"

namespace fx = ser::fixtures;

namespace {
const std::string kDemographics =
    "\"ActorID\",\"Age\",\"Sex\",\"Race\",\"Ethnicity\"\r\n"
    "1001,51,\"Male\",\"Caucasian\",\"Not Hispanic\"\r\n"
    "1002,21,\"Female\",\"Caucasian\",\"Not Hispanic\"\r\n";
}  // namespace

class TestCremaDReader : public QObject {
  Q_OBJECT

 private slots:
  void fullScaleFixture() {
    const QString meta = QStringLiteral(SERWB_SHARED_DATA) + "/crema-d";
    if (!QFile::exists(meta + "/SentenceFilenames.csv") ||
        !QFile::exists(meta + "/VideoDemographics.csv"))
      QSKIP("CREMA-D metadata not available");
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QElapsedTimer timer;
    timer.start();
    const std::size_t written = fx::makeCremaDFixture(
        tmp.path().toStdString(), (meta + "/SentenceFilenames.csv").toStdString(),
        (meta + "/VideoDemographics.csv").toStdString());
    QCOMPARE(written, std::size_t(7442));
    const qint64 writeMs = timer.restart();
    const ser::Corpus c = ser::scanCremaD(tmp.path().toStdString());
    qInfo("fixture %lld ms, scan %lld ms", writeMs, timer.elapsed());
    QCOMPARE(c.clips.size(), std::size_t(7442));
    QVERIFY(c.skipped.empty());
    QVERIFY(c.warnings.empty());
    std::set<std::string> speakers;
    std::map<std::string, int> byEmotion;
    for (const auto& clip : c.clips) {
      speakers.insert(clip.speaker);
      ++byEmotion[clip.emotion];
      QVERIFY2(clip.sex != ser::Sex::Unknown, clip.path.c_str());
      QCOMPARE(clip.common, clip.emotion);
    }
    QCOMPARE(speakers.size(), std::size_t(91));
    QVERIFY(speakers.count("crema-d:1001") && speakers.count("crema-d:1091"));
    QCOMPARE(byEmotion.size(), std::size_t(6));
    QCOMPARE(byEmotion.at("neutral"), 1087);
    QCOMPARE(byEmotion.at("angry"), 1271);
  }

  void clipFieldsAndSex() {
    QTemporaryDir tmp;
    fx::makeCremaDClips(
        tmp.path().toStdString(),
        {"1001_DFA_ANG_XX", "1001_IEO_HAP_LO", "1002_TSI_FEA_HI", "1002_WSI_NEU_XX"},
        kDemographics);
    const ser::Corpus c = ser::scanCremaD(tmp.path().toStdString());
    QCOMPARE(c.clips.size(), std::size_t(4));
    QVERIFY(c.warnings.empty());
    const ser::Clip& a = c.clips[0];
    QCOMPARE(a.corpus, std::string("crema-d"));
    QCOMPARE(a.speaker, std::string("crema-d:1001"));
    QCOMPARE(ser::toString(a.sex), ser::toString(ser::Sex::Male));
    QCOMPARE(a.emotion, std::string("angry"));
    QCOMPARE(a.fields.at("sentence"), std::string("DFA"));
    QCOMPARE(a.fields.at("level"), std::string("unspecified"));
    QCOMPARE(a.fields.at("code"), std::string("ANG"));
    QCOMPARE(a.frames, 160LL);
    QCOMPARE(c.clips[1].fields.at("level"), std::string("low"));
    QCOMPARE(ser::toString(c.clips[2].sex), ser::toString(ser::Sex::Female));
    QCOMPARE(c.clips[2].emotion, std::string("fearful"));
    QCOMPARE(c.clips[2].fields.at("level"), std::string("high"));
  }

  void demographicsOption() {
    QTemporaryDir tmp;
    fx::makeCremaDClips(tmp.path().toStdString(), {"1002_DFA_SAD_MD"});
    const std::string demo = tmp.filePath("elsewhere/demo.csv").toStdString();
    fx::writeTextFile(demo, kDemographics);
    ser::CremaDOptions o;
    o.demographics = demo;
    const ser::Corpus c = ser::scanCremaD(tmp.path().toStdString(), o);
    QCOMPARE(ser::toString(c.clips.at(0).sex), ser::toString(ser::Sex::Female));
    QCOMPARE(c.clips.at(0).fields.at("level"), std::string("medium"));
    QVERIFY(c.warnings.empty());

    o.demographics = tmp.filePath("missing.csv").toStdString();
    try {
      ser::scanCremaD(tmp.path().toStdString(), o);
      QFAIL("no exception for a missing demographics file");
    } catch (const ser::Error& e) {
      QVERIFY2(std::string(e.what()).find("missing.csv") != std::string::npos, e.what());
    }

    o.demographics = demo;
    fx::writeTextFile(demo, "Actor,Gender\n1002,F\n");
    QVERIFY_THROWS_EXCEPTION(ser::Error, ser::scanCremaD(tmp.path().toStdString(), o));
  }

  void demoMarker() {
    QTemporaryDir tmp;
    fx::makeCremaDClips(tmp.path().toStdString(), {"1001_DFA_ANG_XX"}, kDemographics);
    fx::writeDemoMarker(tmp.path().toStdString(), "demo-crowd");
    const ser::Corpus c = ser::scanCremaD(tmp.path().toStdString());
    QVERIFY(c.synthetic);
    QCOMPARE(c.clips.at(0).speaker, std::string("demo-crowd:1001"));
    QCOMPARE(c.clips.at(0).corpus, std::string("demo-crowd"));
  }
};

QTEST_GUILESS_MAIN(TestCremaDReader)
#include "test_cremad_reader.moc"
