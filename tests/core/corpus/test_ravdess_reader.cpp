#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <map>
#include <set>

#include "core/base/error.h"
#include "tests/core/corpus/qtest_string.h"
#include "core/corpus/corpus_reader.h"
#include "tests/fixtures/corpus_fixtures.h"

namespace fx = ser::fixtures;

namespace {

std::map<std::string, int> countBy(const ser::Corpus& c, std::string ser::Clip::*member) {
  std::map<std::string, int> out;
  for (const auto& clip : c.clips) ++out[clip.*member];
  return out;
}

// Records every progress call; optionally cancels a flag after `cancelAfter` calls.
class Recorder : public ser::ProgressReporter {
 public:
  void progress(std::size_t done, std::size_t total, const std::string& item) override {
    calls.push_back({done, total});
    items.push_back(item);
    if (flag && calls.size() == cancelAfter) flag->cancel();
  }
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  std::vector<std::string> items;
  ser::CancelFlag* flag = nullptr;
  std::size_t cancelAfter = 0;
};

}  // namespace

class TestRavdessReader : public QObject {
  Q_OBJECT

 private slots:
  void realDevelopmentSubset() {
    const QString dir = QStringLiteral(SERWB_SHARED_DATA) + "/ravdess-dev";
    if (!QDir(dir).exists()) QSKIP("RAVDESS development subset not available");
    const ser::Corpus c = ser::scanRavdess(dir.toStdString());
    QCOMPARE(c.clips.size(), std::size_t(720));
    QVERIFY(c.skipped.empty());
    QVERIFY(!c.synthetic);
    std::set<std::string> speakers;
    int male = 0, female = 0, stereoActor01 = 0;
    for (const auto& clip : c.clips) {
      speakers.insert(clip.speaker);
      (clip.sex == ser::Sex::Male ? male : female)++;
      QVERIFY(clip.sex != ser::Sex::Unknown);
      QVERIFY(std::filesystem::path(clip.path).is_absolute());
      QVERIFY(clip.sampleRate == 48000 || clip.sampleRate == 16000);
      QVERIFY(clip.frames > 0);
      if (clip.path.find("Actor_01") != std::string::npos && clip.channels == 2) ++stereoActor01;
    }
    QCOMPARE(speakers.size(), std::size_t(12));
    QVERIFY(speakers.count("ravdess:01") && speakers.count("ravdess:12"));
    QCOMPARE(male, 360);
    QCOMPARE(female, 360);
    QCOMPARE(stereoActor01, 2);
    const auto byEmotion = countBy(c, &ser::Clip::emotion);
    QCOMPARE(byEmotion.size(), std::size_t(8));
    for (const auto& [emotion, n] : byEmotion) QCOMPARE(n, emotion == "neutral" ? 48 : 96);
    // calm and surprised have no common label by default
    const auto byCommon = countBy(c, &ser::Clip::common);
    QCOMPARE(byCommon.at(""), 192);
    QCOMPARE(byCommon.at("neutral"), 48);
  }

  void clipFields() {
    QTemporaryDir tmp;
    fx::RavdessFixture spec;
    spec.emotions = {5};
    fx::makeRavdessFixture(tmp.path().toStdString(), {3}, spec);
    const ser::Corpus c = ser::scanRavdess(tmp.path().toStdString());
    QCOMPARE(c.clips.size(), std::size_t(8));  // 2 intensities x 2 statements x 2 repetitions
    const ser::Clip& clip = c.clips.front();  // sorted: 03-01-05-01-01-01-03
    QVERIFY(clip.path.size() > 0 &&
            clip.path.find("03-01-05-01-01-01-03.wav") != std::string::npos);
    QCOMPARE(clip.corpus, std::string("ravdess"));
    QCOMPARE(clip.speaker, std::string("ravdess:03"));
    QCOMPARE(ser::toString(clip.sex), ser::toString(ser::Sex::Male));
    QCOMPARE(clip.emotion, std::string("angry"));
    QCOMPARE(clip.common, std::string("angry"));
    QCOMPARE(clip.fields.at("intensity"), std::string("normal"));
    QCOMPARE(clip.fields.at("statement"), std::string("01"));
    QCOMPARE(clip.fields.at("repetition"), std::string("01"));
    QCOMPARE(clip.fields.at("vocal_channel"), std::string("speech"));
    QCOMPARE(clip.fields.at("code"), std::string("05"));
    QCOMPARE(clip.sampleRate, 16000);
    QCOMPARE(clip.channels, 1);
    QCOMPARE(clip.frames, 160LL);
    QCOMPARE(c.clips.back().fields.at("intensity"), std::string("strong"));
    for (std::size_t i = 1; i < c.clips.size(); ++i) QVERIFY(c.clips[i - 1].path < c.clips[i].path);
  }

  void commonLabelPolicy_data() {
    QTest::addColumn<bool>("calmToNeutral");
    QTest::addColumn<int>("neutral");
    QTest::addColumn<int>("dropped");
    // One actor, all 8 emotions: neutral 4, calm 8, surprised 8.
    QTest::newRow("drop (default)") << false << 4 << 16;
    QTest::newRow("calm-to-neutral") << true << 12 << 8;
  }
  void commonLabelPolicy() {
    QFETCH(bool, calmToNeutral);
    QFETCH(int, neutral);
    QFETCH(int, dropped);
    QTemporaryDir tmp;
    fx::makeRavdessFixture(tmp.path().toStdString(), {2});
    ser::RavdessOptions o;
    if (calmToNeutral) o.policy = ser::CommonLabelPolicy::CalmToNeutral;
    const ser::Corpus c = ser::scanRavdess(tmp.path().toStdString(), o);
    QCOMPARE(c.clips.size(), std::size_t(60));
    const auto byCommon = countBy(c, &ser::Clip::common);
    QCOMPARE(byCommon.at("neutral"), neutral);
    QCOMPARE(byCommon.at(""), dropped);
    for (const auto& clip : c.clips) {
      QCOMPARE(ser::toString(clip.sex), ser::toString(ser::Sex::Female));
      if (clip.emotion == "calm")
        QCOMPARE(clip.common, std::string(calmToNeutral ? "neutral" : ""));
      if (clip.emotion == "surprised") QVERIFY(clip.common.empty());
    }
  }

  void songExcludedByDefault() {
    QTemporaryDir tmp;
    fx::RavdessFixture spec;
    spec.song = true;
    fx::makeRavdessFixture(tmp.path().toStdString(), {1}, spec);  // 60 speech + 44 song
    const ser::Corpus speech = ser::scanRavdess(tmp.path().toStdString());
    QCOMPARE(speech.clips.size(), std::size_t(60));
    QCOMPARE(speech.skipped.size(), std::size_t(44));
    QVERIFY(speech.skipped.front().reason.find("song") != std::string::npos);

    ser::RavdessOptions o;
    o.includeSong = true;
    const ser::Corpus both = ser::scanRavdess(tmp.path().toStdString(), o);
    QCOMPARE(both.clips.size(), std::size_t(104));
    QVERIFY(both.skipped.empty());
    int song = 0;
    for (const auto& clip : both.clips) song += clip.fields.at("vocal_channel") == "song";
    QCOMPARE(song, 44);
  }

  void flacAndStereo() {
    QTemporaryDir tmp;
    fx::RavdessFixture spec;
    spec.emotions = {4};
    spec.statements = 1;
    spec.repetitions = 1;
    spec.extension = "flac";
    spec.channels = 2;
    spec.sampleRate = 48000;
    fx::makeRavdessFixture(tmp.path().toStdString(), {7, 8}, spec);
    const ser::Corpus c = ser::scanRavdess(tmp.path().toStdString());
    QCOMPARE(c.clips.size(), std::size_t(4));
    for (const auto& clip : c.clips) {
      QCOMPARE(clip.channels, 2);
      QCOMPARE(clip.sampleRate, 48000);
      QCOMPARE(clip.emotion, std::string("sad"));
    }
  }

  void demoMarkerAndName() {
    QTemporaryDir tmp;
    fx::RavdessFixture spec;
    spec.emotions = {1};
    fx::makeRavdessFixture(tmp.path().toStdString(), {1, 2}, spec);
    fx::writeDemoMarker(tmp.path().toStdString(), "demo-acted");
    const ser::Corpus c = ser::scanRavdess(tmp.path().toStdString());
    QVERIFY(c.synthetic);
    QCOMPARE(c.clips.front().corpus, std::string("demo-acted"));
    QCOMPARE(c.clips.front().speaker, std::string("demo-acted:01"));
    QVERIFY(c.skipped.empty());  // the marker is not audio

    ser::RavdessOptions o;
    o.name = "mine";
    const ser::Corpus named = ser::scanRavdess(tmp.path().toStdString(), o);
    QVERIFY(named.synthetic);
    QCOMPARE(named.clips.back().speaker, std::string("mine:02"));
  }

  void progressIsSerialisedAndComplete() {
    QTemporaryDir tmp;
    fx::makeRavdessFixture(tmp.path().toStdString(), {1, 2});
    Recorder rec;
    const ser::Corpus c = ser::scanRavdess(tmp.path().toStdString(), {}, &rec);
    QCOMPARE(rec.calls.size(), std::size_t(120));
    for (std::size_t i = 0; i < rec.calls.size(); ++i) {
      QCOMPARE(rec.calls[i].first, i + 1);
      QCOMPARE(rec.calls[i].second, std::size_t(120));
    }
    const std::set<std::string> items(rec.items.begin(), rec.items.end());
    QCOMPARE(items.size(), std::size_t(120));
    QVERIFY(items.count(c.clips.front().path));
  }

  void cancelReturnsPartialCorpus() {
    QTemporaryDir tmp;
    fx::makeRavdessFixture(tmp.path().toStdString(), {1, 2});
    ser::CancelFlag flag;
    Recorder rec;
    rec.flag = &flag;
    rec.cancelAfter = 10;
    const ser::Corpus c = ser::scanRavdess(tmp.path().toStdString(), {}, &rec, &flag);
    QVERIFY(c.cancelled);
    QVERIFY(c.clips.size() >= 10);
    QVERIFY(c.clips.size() < 120);
    QVERIFY(!c.warnings.empty());

    ser::CancelFlag early;
    early.cancel();
    const ser::Corpus none = ser::scanRavdess(tmp.path().toStdString(), {}, nullptr, &early);
    QVERIFY(none.cancelled);  // no throw even though no clip was checked
    QVERIFY(none.clips.empty());
  }
};

QTEST_GUILESS_MAIN(TestRavdessReader)
#include "test_ravdess_reader.moc"
