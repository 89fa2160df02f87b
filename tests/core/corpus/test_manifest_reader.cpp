#include <QTemporaryDir>
#include <QtTest>

#include "core/base/error.h"
#include "tests/core/corpus/qtest_string.h"
#include "core/corpus/corpus_reader.h"
#include "tests/fixtures/corpus_fixtures.h"

namespace fx = ser::fixtures;

class TestManifestReader : public QObject {
  Q_OBJECT

 private slots:
  void quotedFieldsRelativeAndAbsolutePaths() {
    QTemporaryDir tmp;
    const std::string root = tmp.path().toStdString();
    fx::writeClip(root + "/audio/one, two.wav");
    fx::writeClip(root + "/lists/sub/b.flac", 320, 8000);
    fx::writeClip(root + "/elsewhere/c.wav");
    fx::writeClip(root + "/data/d.wav");
    const std::string csv =
        "speaker,path,Emotion,sex,session,note\r\n"
        "s1,\"../audio/one, two.wav\",Anger,F,1,\"said \"\"hello\"\"\"\r\n"
        "s2,sub/b.flac,happy,male,2,\r\n"
        "s1,\"" + root + "/elsewhere/c.wav\",surprise,,3,x\r\n"
        "s3,../data/d.wav,sad,,4,y\r\n";
    fx::writeTextFile(root + "/lists/my_set.csv", csv);
    ser::ManifestOptions o;
    o.labelMap = {{"anger", "angry"}, {"Surprise", ""}};
    const ser::Corpus c = ser::scanManifest(root + "/lists/my_set.csv", o);
    QVERIFY2(c.skipped.empty(), c.skipped.empty() ? "" : c.skipped[0].reason.c_str());
    QCOMPARE(c.clips.size(), std::size_t(4));
    const ser::Clip& a = c.clips[0];
    QCOMPARE(a.path, root + "/audio/one, two.wav");
    QCOMPARE(a.corpus, std::string("my_set"));
    QCOMPARE(a.speaker, std::string("my_set:s1"));
    QCOMPARE(ser::toString(a.sex), ser::toString(ser::Sex::Female));
    QCOMPARE(a.emotion, std::string("anger"));
    QCOMPARE(a.common, std::string("angry"));
    QCOMPARE(a.fields.at("session"), std::string("1"));
    QCOMPARE(a.fields.at("note"), std::string("said \"hello\""));
    QCOMPARE(a.fields.size(), std::size_t(2));
    const ser::Clip& b = c.clips[1];
    QCOMPARE(b.path, root + "/lists/sub/b.flac");
    QCOMPARE(ser::toString(b.sex), ser::toString(ser::Sex::Male));
    QCOMPARE(b.common, std::string("happy"));  // already a common label
    QCOMPARE(b.sampleRate, 8000);
    QCOMPARE(b.frames, 320LL);
    QCOMPARE(c.clips[2].path, root + "/elsewhere/c.wav");
    QCOMPARE(ser::toString(c.clips[2].sex), ser::toString(ser::Sex::Unknown));
    QVERIFY(c.clips[2].common.empty());  // mapped to nothing
    QCOMPARE(c.clips[3].path, root + "/data/d.wav");  // normalised
  }

  void nameOptionAndMarker() {
    QTemporaryDir tmp;
    const std::string root = tmp.path().toStdString();
    fx::writeClip(root + "/a.wav");
    fx::writeTextFile(root + "/m.csv", "path,emotion,speaker\na.wav,neutral,7\n");
    ser::ManifestOptions o;
    o.name = "lab";
    QCOMPARE(ser::scanManifest(root + "/m.csv", o).clips.at(0).speaker, std::string("lab:7"));
    fx::writeDemoMarker(root, "demo-x");
    const ser::Corpus c = ser::scanManifest(root + "/m.csv");
    QVERIFY(c.synthetic);
    QCOMPARE(c.clips.at(0).speaker, std::string("demo-x:7"));
  }

  void badLabelMap() {
    QTemporaryDir tmp;
    const std::string root = tmp.path().toStdString();
    fx::writeClip(root + "/a.wav");
    fx::writeTextFile(root + "/m.csv", "path,emotion,speaker\na.wav,neutral,7\n");
    ser::ManifestOptions o;
    o.labelMap = {{"joy", "joyful"}};
    try {
      ser::scanManifest(root + "/m.csv", o);
      QFAIL("no exception for a label map target outside the common set");
    } catch (const ser::ParameterError& e) {
      QCOMPARE(e.parameter(), std::string("labelMap"));
      QVERIFY(std::string(e.what()).find("joyful") != std::string::npos);
    }
  }

  void rowSkipsKeepOrderAndLineNumbers() {
    QTemporaryDir tmp;
    const std::string root = tmp.path().toStdString();
    fx::writeClip(root + "/ok.wav");
    fx::writeTextFile(root + "/m.csv",
                      "path,emotion,speaker\n"
                      "ok.wav,sad,1\n"          // row 2
                      "\n"                      // row 3: blank, ignored
                      "gone.wav,sad,1\n"        // row 4: missing file
                      "ok.wav,,1\n"             // row 5: empty emotion
                      ",sad,1\n"                // row 6: empty path
                      "ok.wav,sad,1,extra\n");  // row 7: too many fields
    const ser::Corpus c = ser::scanManifest(root + "/m.csv");
    QCOMPARE(c.clips.size(), std::size_t(1));
    QCOMPARE(c.skipped.size(), std::size_t(4));
    QVERIFY(c.skipped[0].reason.rfind("row 4: ", 0) == 0);
    QVERIFY(c.skipped[0].reason.find("does not exist") != std::string::npos);
    QCOMPARE(c.skipped[0].path, root + "/gone.wav");
    QVERIFY(c.skipped[1].reason.rfind("row 5: empty emotion", 0) == 0);
    QVERIFY(c.skipped[2].reason.rfind("row 6: empty path", 0) == 0);
    QVERIFY(c.skipped[3].reason.rfind("row 7: 4 fields", 0) == 0);
  }
};

QTEST_GUILESS_MAIN(TestManifestReader)
#include "test_manifest_reader.moc"
