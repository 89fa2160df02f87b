// Every kind of bad input the readers meet, in one table: each either skips one file with a
// specific reason while the rest loads, or throws ser::Error with a specific message.
#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>

#include <filesystem>
#include <functional>

#include "core/base/error.h"
#include "tests/core/corpus/qtest_string.h"
#include "core/corpus/corpus_reader.h"
#include "tests/fixtures/corpus_fixtures.h"

namespace fx = ser::fixtures;
using Setup = std::function<std::string(const std::string& root)>;  // returns the path to scan
Q_DECLARE_METATYPE(Setup)

namespace {

const std::string kDemographics =
    "\"ActorID\",\"Age\",\"Sex\",\"Race\",\"Ethnicity\"\n"
    "1001,51,\"Male\",\"Caucasian\",\"Not Hispanic\"\n"
    "1002,21,\"Female\",\"Caucasian\",\"Not Hispanic\"\n";

// Two actors, neutral and angry, one statement and repetition: 3 clips per actor.
std::string ravdessBase(const std::string& root) {
  fx::RavdessFixture spec;
  spec.emotions = {1, 5};
  spec.statements = 1;
  spec.repetitions = 1;
  fx::makeRavdessFixture(root, {1, 2}, spec);
  return root;
}

// Four clips, two actors.
std::string cremaBase(const std::string& root, const std::string& demographics = kDemographics) {
  fx::makeCremaDClips(root,
                      {"1001_DFA_ANG_XX", "1001_IEO_NEU_XX", "1002_DFA_HAP_LO", "1002_IEO_SAD_HI"},
                      demographics);
  return root;
}

// Three clips listed in m.csv.
std::string manifestBase(const std::string& root, const std::string& extraRow = {}) {
  for (const char* f : {"a.wav", "b.wav", "c.wav"}) fx::writeClip(root + "/" + f);
  fx::writeTextFile(root + "/m.csv", "path,emotion,speaker,sex\n"
                                     "a.wav,angry,1,m\n"
                                     "b.wav,sad,1,m\n"
                                     "c.wav,happy,2,f\n" + extraRow);
  return root + "/m.csv";
}

ser::Corpus scan(const QString& reader, const std::string& path) {
  if (reader == "ravdess") return ser::scanRavdess(path);
  if (reader == "crema-d") return ser::scanCremaD(path);
  return ser::scanManifest(path);
}

bool contains(const std::string& text, const QString& part) {
  return text.find(part.toStdString()) != std::string::npos;
}

}  // namespace

class TestCorpusBadInput : public QObject {
  Q_OBJECT

 private slots:
  void badInput_data() {
    QTest::addColumn<QString>("reader");
    QTest::addColumn<Setup>("setup");
    QTest::addColumn<bool>("throws");
    QTest::addColumn<QString>("message");  // part of the error message or of the skip reason
    QTest::addColumn<QString>("badFile");  // part of the skipped path; "" = nothing skipped
    QTest::addColumn<int>("clips");        // clips that still load
    QTest::addColumn<QString>("warning");  // part of a warning; "" = no warnings
    QTest::addColumn<int>("unknownSex");   // clips whose sex is unknown

    auto ravdessWith = [](const std::string& rel, fx::BadAudio kind) {
      return Setup([rel, kind](const std::string& root) {
        ravdessBase(root);
        fx::writeBadAudio(root + "/" + rel, kind);
        return root;
      });
    };
    auto ravdessClip = [](const std::string& rel) {
      return Setup([rel](const std::string& root) {
        ravdessBase(root);
        fx::writeClip(root + "/" + rel);
        return root;
      });
    };
    using B = fx::BadAudio;
    const QString a1 = "Actor_01/";

    QTest::newRow("ravdess: corrupt header")
        << "ravdess" << ravdessWith("Actor_01/03-01-03-01-01-01-01.wav", B::CorruptHeader) << false
        << "cannot read audio" << a1 + "03-01-03-01-01-01-01.wav" << 6 << "" << 0;
    QTest::newRow("ravdess: truncated file")
        << "ravdess" << ravdessWith("Actor_01/03-01-03-01-01-01-01.wav", B::Truncated) << false
        << "cannot read audio" << a1 + "03-01-03-01-01-01-01.wav" << 6 << "" << 0;
    QTest::newRow("ravdess: empty file")
        << "ravdess" << ravdessWith("Actor_01/03-01-03-01-01-01-01.wav", B::Empty) << false
        << "empty file" << a1 + "03-01-03-01-01-01-01.wav" << 6 << "" << 0;
    QTest::newRow("ravdess: zero-length audio")
        << "ravdess" << ravdessWith("Actor_01/03-01-03-01-01-01-01.wav", B::ZeroFrames) << false
        << "no audio frames" << a1 + "03-01-03-01-01-01-01.wav" << 6 << "" << 0;
    QTest::newRow("ravdess: text file named .wav")
        << "ravdess" << ravdessWith("Actor_01/03-01-03-01-01-01-01.wav", B::Text) << false
        << "cannot read audio" << a1 + "03-01-03-01-01-01-01.wav" << 6 << "" << 0;
    QTest::newRow("ravdess: off-pattern name")
        << "ravdess" << ravdessClip("Actor_01/take 1.wav") << false << "MM-VV-EE-II-SS-RR-AA"
        << a1 + "take 1.wav" << 6 << "" << 0;
    QTest::newRow("ravdess: unknown emotion code")
        << "ravdess" << ravdessClip("Actor_01/03-01-09-01-01-01-01.wav") << false
        << "unknown emotion code 09" << a1 + "03-01-09" << 6 << "" << 0;
    QTest::newRow("ravdess: video modality")
        << "ravdess" << ravdessClip("Actor_01/01-01-03-01-01-01-01.wav") << false
        << "not audio-only (modality 01" << a1 + "01-01-03" << 6 << "" << 0;
    QTest::newRow("ravdess: unknown modality")
        << "ravdess" << ravdessClip("Actor_01/05-01-03-01-01-01-01.wav") << false
        << "unknown modality code 05" << a1 + "05-01-03" << 6 << "" << 0;
    QTest::newRow("ravdess: actor does not match folder")
        << "ravdess" << ravdessClip("Actor_01/03-01-03-01-01-01-02.wav") << false
        << "actor 02 in the file name does not match folder Actor_01" << a1 + "03-01-03"
        << 6 << "" << 0;
    QTest::newRow("ravdess: folder not Actor_XX")
        << "ravdess" << ravdessClip("Speaker_3/03-01-03-01-01-01-03.wav") << false
        << "folder 'Speaker_3' is not named Actor_XX" << "Speaker_3/" << 6 << "" << 0;
    QTest::newRow("ravdess: audio at the root")
        << "ravdess" << ravdessClip("03-01-03-01-01-01-01.wav") << false
        << "not inside an Actor_XX folder" << "03-01-03-01-01-01-01.wav" << 6 << "" << 0;
    QTest::newRow("ravdess: non-audio files ignored quietly")
        << "ravdess" << Setup([](const std::string& root) {
             ravdessBase(root);
             fx::writeTextFile(root + "/README.md", "# corpus\n");
             fx::writeTextFile(root + "/Actor_01/notes.txt", "n\n");
             fx::writeTextFile(root + "/Actor_01/list.csv", "a,b\n");
             fx::writeTextFile(root + "/Actor_01/.03-01-03-01-01-01-01.wav", "hidden junk");
             return root;
           })
        << false << "" << "" << 6 << "" << 0;
    QTest::newRow("ravdess: missing folder")
        << "ravdess" << Setup([](const std::string& root) { return root + "/nope"; }) << true
        << "does not exist" << "" << 0 << "" << 0;
    QTest::newRow("ravdess: a file, not a folder")
        << "ravdess" << Setup([](const std::string& root) {
             fx::writeTextFile(root + "/file.txt", "x");
             return root + "/file.txt";
           })
        << true << "is not a folder" << "" << 0 << "" << 0;
    QTest::newRow("ravdess: folder without clips")
        << "ravdess" << Setup([](const std::string& root) {
             fx::writeTextFile(root + "/README.md", "x");
             return root;
           })
        << true << "no valid RAVDESS clips" << "" << 0 << "" << 0;
    QTest::newRow("ravdess: only bad clips")
        << "ravdess" << Setup([](const std::string& root) {
             fx::writeBadAudio(root + "/Actor_01/03-01-03-01-01-01-01.wav", fx::BadAudio::Empty);
             return root;
           })
        << true << "empty file" << "" << 0 << "" << 0;

    QTest::newRow("ravdess: header claims 2 GHz")
        << "ravdess" << ravdessWith("Actor_01/03-01-03-01-01-01-01.wav", B::AbsurdRate) << false
        << "implausible sample rate 2000000000 Hz" << a1 + "03-01-03-01-01-01-01.wav" << 6 << ""
        << 0;
    QTest::newRow("ravdess: header claims 10 Hz")
        << "ravdess" << ravdessWith("Actor_01/03-01-03-01-01-01-01.wav", B::TinyRate) << false
        << "implausible sample rate 10 Hz" << a1 + "03-01-03-01-01-01-01.wav" << 6 << "" << 0;
    QTest::newRow("ravdess: header claims 300 channels")
        << "ravdess" << ravdessWith("Actor_01/03-01-03-01-01-01-01.wav", B::ManyChannels) << false
        << "implausible channel count 300" << a1 + "03-01-03-01-01-01-01.wav" << 6 << "" << 0;
    QTest::newRow("ravdess: symbolic link loop as an actor folder")
        << "ravdess" << Setup([](const std::string& root) {
             ravdessBase(root);
             std::filesystem::create_symlink(root + "/Actor_03", root + "/Actor_03");
             return root;
           })
        << false << "symbolic link loop" << "/Actor_03" << 6 << "" << 0;
    QTest::newRow("ravdess: dangling link named as a clip")
        << "ravdess" << Setup([](const std::string& root) {
             ravdessBase(root);
             std::filesystem::create_symlink(root + "/gone.wav",
                                             root + "/Actor_01/03-01-03-01-01-01-01.wav");
             return root;
           })
        << false << "broken symbolic link" << a1 + "03-01-03-01-01-01-01.wav" << 6 << "" << 0;
    QTest::newRow("ravdess: folder named as a clip")
        << "ravdess" << Setup([](const std::string& root) {
             ravdessBase(root);
             std::filesystem::create_directories(root + "/Actor_01/03-01-03-01-01-01-01.wav");
             return root;
           })
        << false << "has an audio name but is a folder" << a1 + "03-01-03-01-01-01-01.wav" << 6
        << "" << 0;
    QTest::newRow("ravdess: FIFO named as a clip")
        << "ravdess" << Setup([](const std::string& root) {
             ravdessBase(root);
             const std::string fifo = root + "/Actor_01/03-01-03-01-01-01-01.wav";
             if (::mkfifo(fifo.c_str(), 0600) != 0) throw ser::Error("mkfifo failed");
             return root;
           })
        << false << "has an audio name but is a FIFO" << a1 + "03-01-03-01-01-01-01.wav" << 6
        << "" << 0;

    QTest::newRow("crema-d: no demographics")
        << "crema-d" << Setup([](const std::string& root) { return cremaBase(root, ""); }) << false
        << "" << "" << 4 << "no VideoDemographics.csv" << 4;
    QTest::newRow("crema-d: actor missing from demographics")
        << "crema-d" << Setup([](const std::string& root) {
             cremaBase(root);
             fx::makeCremaDClips(root, {"1077_MTI_DIS_XX"});
             return root;
           })
        << false << "" << "" << 5 << "actor 1077 is not in" << 1;
    QTest::newRow("crema-d: actor listed with two sexes")
        << "crema-d" << Setup([](const std::string& root) {
             return cremaBase(root, kDemographics + "1001,51,\"Female\",\"Caucasian\",\"Not Hispanic\"\n");
           })
        << false << "" << "" << 4 << "line 4: actor 1001 is listed with two sexes ('Male' and 'Female')"
        << 2;
    QTest::newRow("crema-d: unknown sex value")
        << "crema-d" << Setup([](const std::string& root) {
             return cremaBase(root, "ActorID,Sex\n1001,Male\n1002,Other\n");
           })
        << false << "" << "" << 4 << "actor 1002 has sex 'Other', neither male nor female" << 2;
    QTest::newRow("crema-d: FIFO among the clips")
        << "crema-d" << Setup([](const std::string& root) {
             cremaBase(root);
             const std::string fifo = root + "/AudioWAV/1002_ITS_ANG_XX.wav";
             if (::mkfifo(fifo.c_str(), 0600) != 0) throw ser::Error("mkfifo failed");
             return root;
           })
        << false << "has an audio name but is a FIFO" << "1002_ITS_ANG_XX.wav" << 4 << "" << 0;
    QTest::newRow("crema-d: unknown emotion code")
        << "crema-d" << Setup([](const std::string& root) {
             cremaBase(root);
             fx::writeClip(root + "/AudioWAV/1001_DFA_SUR_XX.wav");
             return root;
           })
        << false << "unknown emotion code SUR" << "1001_DFA_SUR_XX.wav" << 4 << "" << 0;
    QTest::newRow("crema-d: unknown level code")
        << "crema-d" << Setup([](const std::string& root) {
             cremaBase(root);
             fx::writeClip(root + "/AudioWAV/1001_DFA_ANG_ZZ.wav");
             return root;
           })
        << false << "unknown level code ZZ" << "1001_DFA_ANG_ZZ.wav" << 4 << "" << 0;
    QTest::newRow("crema-d: off-pattern name")
        << "crema-d" << Setup([](const std::string& root) {
             cremaBase(root);
             fx::writeClip(root + "/AudioWAV/1001-DFA-ANG-XX.wav");
             return root;
           })
        << false << "AAAA_SSS_EMO_LVL" << "1001-DFA-ANG-XX.wav" << 4 << "" << 0;
    QTest::newRow("crema-d: corrupt header")
        << "crema-d" << Setup([](const std::string& root) {
             cremaBase(root);
             // overwrites one of the four (the fixture's clips share one inode: must stay safe)
             fx::writeBadAudio(root + "/AudioWAV/1002_IEO_SAD_HI.wav", fx::BadAudio::CorruptHeader);
             return root;
           })
        << false << "cannot read audio" << "1002_IEO_SAD_HI.wav" << 3 << "" << 0;
    QTest::newRow("crema-d: no AudioWAV folder")
        << "crema-d" << Setup([](const std::string& root) {
             fx::writeTextFile(root + "/VideoDemographics.csv", kDemographics);
             return root;
           })
        << true << "has no AudioWAV folder" << "" << 0 << "" << 0;

    QTest::newRow("manifest: missing column")
        << "manifest" << Setup([](const std::string& root) {
             fx::writeClip(root + "/a.wav");
             fx::writeTextFile(root + "/m.csv", "path,emotion\na.wav,sad\n");
             return root + "/m.csv";
           })
        << true << "lacks required column(s): speaker" << "" << 0 << "" << 0;
    QTest::newRow("manifest: row with a missing file")
        << "manifest" << Setup([](const std::string& root) {
             return manifestBase(root, "gone.wav,sad,3,f\n");
           })
        << false << "row 5: file" << "gone.wav" << 3 << "" << 0;
    QTest::newRow("manifest: row without a speaker")
        << "manifest" << Setup([](const std::string& root) {
             return manifestBase(root, "a.wav,sad,,f\n");
           })
        << false << "row 5: empty speaker" << "a.wav" << 3 << "" << 0;
    QTest::newRow("manifest: row with corrupt audio")
        << "manifest" << Setup([](const std::string& root) {
             fx::writeBadAudio(root + "/bad.wav", fx::BadAudio::Truncated);
             return manifestBase(root, "bad.wav,sad,3,f\n");
           })
        << false << "row 5: '" << "bad.wav" << 3 << "" << 0;
    QTest::newRow("manifest: one file under two speakers")
        << "manifest" << Setup([](const std::string& root) {
             return manifestBase(root, "c.wav,happy,7,f\n");
           })
        << false << "" << "" << 4
        << "c.wav' is listed twice in '" << 0;  // both rows load; the split refuses to divide them
    QTest::newRow("manifest: row naming a FIFO")
        << "manifest" << Setup([](const std::string& root) {
             const std::string fifo = root + "/p.wav";
             if (::mkfifo(fifo.c_str(), 0600) != 0) throw ser::Error("mkfifo failed");
             return manifestBase(root, "p.wav,sad,3,f\n");
           })
        << false << "is a FIFO (named pipe)" << "p.wav" << 3 << "" << 0;
    QTest::newRow("manifest: CSV does not exist")
        << "manifest" << Setup([](const std::string& root) { return root + "/none.csv"; }) << true
        << "does not exist" << "" << 0 << "" << 0;
    QTest::newRow("manifest: no valid rows")
        << "manifest" << Setup([](const std::string& root) {
             fx::writeTextFile(root + "/m.csv", "path,emotion,speaker\nx.wav,sad,1\n");
             return root + "/m.csv";
           })
        << true << "no valid manifest clips" << "" << 0 << "" << 0;
  }

  void badInput() {
    QFETCH(QString, reader);
    QFETCH(Setup, setup);
    QFETCH(bool, throws);
    QFETCH(QString, message);
    QFETCH(QString, badFile);
    QFETCH(int, clips);
    QFETCH(QString, warning);
    QFETCH(int, unknownSex);

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const std::string path = setup(tmp.path().toStdString());

    if (throws) {
      try {
        scan(reader, path);
        QFAIL("expected ser::Error");
      } catch (const ser::Error& e) {
        QVERIFY2(contains(e.what(), message), e.what());
      }
      return;
    }

    const ser::Corpus c = scan(reader, path);
    QCOMPARE(int(c.clips.size()), clips);
    if (badFile.isEmpty()) {
      QVERIFY2(c.skipped.empty(), c.skipped.empty() ? "" : c.skipped.front().reason.c_str());
    } else {
      QCOMPARE(c.skipped.size(), std::size_t(1));
      QVERIFY2(contains(c.skipped[0].path, badFile), c.skipped[0].path.c_str());
      QVERIFY2(contains(c.skipped[0].reason, message), c.skipped[0].reason.c_str());
    }
    if (warning.isEmpty()) {
      QVERIFY(c.warnings.empty());
    } else {
      QCOMPARE(c.warnings.size(), std::size_t(1));
      QVERIFY2(contains(c.warnings[0], warning), c.warnings[0].c_str());
    }
    int unknown = 0;
    for (const auto& clip : c.clips) unknown += clip.sex == ser::Sex::Unknown;
    QCOMPARE(unknown, unknownSex);
  }
};

QTEST_GUILESS_MAIN(TestCorpusBadInput)
#include "test_corpus_bad_input.moc"
