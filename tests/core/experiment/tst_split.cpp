// Split protocols: speaker independence, coverage, sex balance, determinism and errors.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "core/base/error.h"
#include "core/corpus/corpus_spec.h"
#include "core/experiment/experiment.h"
#include "core/experiment/split.h"

using ser::Clip;
using ser::Sex;
using ser::Split;
using ser::SplitProtocol;
using ser::SplitSpec;

namespace {

const std::vector<std::string> kLabels = {"neutral", "happy", "sad", "angry"};

// A RAVDESS-like corpus: 24 actors (odd male, even female), `perSpeaker` clips each; every
// 8th clip has no common label ("calm").
std::vector<Clip> ravdessLike(int actors = 24, int perSpeaker = 16) {
  std::vector<Clip> clips;
  for (int a = 1; a <= actors; ++a)
    for (int i = 0; i < perSpeaker; ++i) {
      Clip c;
      char id[8];
      std::snprintf(id, sizeof id, "%02d", a);
      c.corpus = "ravdess";
      c.speaker = std::string("ravdess:") + id;
      c.sex = a % 2 ? Sex::Male : Sex::Female;
      c.path = "/r/" + c.speaker + "/" + std::to_string(i) + ".wav";
      c.emotion = i % 8 == 7 ? "calm" : kLabels[std::size_t(i % 4)];
      c.common = i % 8 == 7 ? "" : c.emotion;
      clips.push_back(c);
    }
  return clips;
}

std::vector<Clip> withCremaLike(std::vector<Clip> clips, int speakers = 6) {
  for (int s = 0; s < speakers; ++s)
    for (int i = 0; i < 8; ++i) {
      Clip c;
      c.corpus = "crema-d";
      c.speaker = "crema-d:" + std::to_string(1001 + s);
      c.sex = s < 3 ? Sex::Female : Sex::Male;
      c.path = "/c/" + std::to_string(s) + "_" + std::to_string(i) + ".wav";
      c.emotion = c.common = kLabels[std::size_t(i % 4)];
      clips.push_back(c);
    }
  return clips;
}

std::set<std::string> speakers(const std::vector<Clip>& clips, const std::vector<std::size_t>& idx) {
  std::set<std::string> s;
  for (std::size_t i : idx) s.insert(clips[i].speaker);
  return s;
}

bool disjoint(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const auto& s : a)
    if (b.count(s)) return false;
  return true;
}

// Every labelled clip exactly once, no excluded clip anywhere, indices ascending.
void checkCoverage(const std::vector<Clip>& clips, const std::vector<int>& labelOf, const Split& s) {
  std::vector<int> seen(clips.size(), 0);
  for (const auto* part : {&s.train, &s.validation, &s.test}) {
    QVERIFY(std::is_sorted(part->begin(), part->end()));
    for (std::size_t i : *part) ++seen[i];
  }
  for (std::size_t i = 0; i < clips.size(); ++i) QCOMPARE(seen[i], labelOf[i] >= 0 ? 1 : 0);
}

void checkSpeakerIndependent(const std::vector<Clip>& clips, const Split& s) {
  QVERIFY(s.speakerIndependent);
  const auto tr = speakers(clips, s.train), va = speakers(clips, s.validation),
             te = speakers(clips, s.test);
  QVERIFY(disjoint(tr, va));
  QVERIFY(disjoint(tr, te));
  QVERIFY(disjoint(va, te));
}

int countSex(const std::vector<Clip>& clips, const std::set<std::string>& ids, Sex sex) {
  std::map<std::string, Sex> sexOf;
  for (const Clip& c : clips) sexOf[c.speaker] = c.sex;
  int n = 0;
  for (const auto& id : ids) n += sexOf[id] == sex ? 1 : 0;
  return n;
}

}  // namespace

class TestSplit : public QObject {
  Q_OBJECT

 private slots:
  void labelIndicesExcludeUnlabelled();
  void explicitSpeakers();
  void crossCorpus();
  void validationFractionNeverTakesTheLastTrainingSpeaker();
  void automaticSpeakersSexBalanced_data();
  void automaticSpeakersSexBalanced();
  void deterministicPerSeed();
  void kfoldCoversEverySpeakerOnce();
  void kfoldValidationFromTrainFraction();
  void kfoldEveryFoldIsNotOneSplit();
  void presetFoldsAllActors();
  void presetFoldsKeepTheActorsPresent_data();
  void presetFoldsKeepTheActorsPresent();
  void presetFoldsOnRavdessDev();
  void fixedFoldsSplitEveryFold();
  void foldsFileReadsRows();
  void foldsFileErrors_data();
  void foldsFileErrors();
  void randomStratifiedWarnsAboutLeakage();
  void errors_data();
  void errors();
  void heldOutPolicyRavdessPreset();
  void heldOutPolicyPerCorpus();
  void validateSplitForClipsRefusesTooManyFolds();
  void experimentSplitRefusesUntrainedTestClasses();
};

void TestSplit::labelIndicesExcludeUnlabelled() {
  const auto clips = ravdessLike(2, 8);
  const auto common = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  QCOMPARE(common[0], 0);
  QCOMPARE(common[3], 3);
  QCOMPARE(common[7], -1);  // "calm" has no common label
  const auto native = ser::labelIndices(clips, {"calm"}, ser::LabelField::Emotion);
  QCOMPARE(native[7], 0);
  QCOMPARE(native[0], -1);
}

void TestSplit::explicitSpeakers() {
  const auto clips = ravdessLike();
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  spec.testSpeakers = {"ravdess:11", "ravdess:12"};
  spec.validationSpeakers = {"ravdess:03"};
  const Split s = ser::makeSplit(clips, labelOf, spec);
  checkCoverage(clips, labelOf, s);
  checkSpeakerIndependent(clips, s);
  QCOMPARE(speakers(clips, s.test), (std::set<std::string>{"ravdess:11", "ravdess:12"}));
  QCOMPARE(speakers(clips, s.validation), (std::set<std::string>{"ravdess:03"}));
  QCOMPARE(int(s.trainSpeakers.size()), 21);
  QCOMPARE(s.test.size(), std::size_t(2 * 14));
  QCOMPARE(s.protocol, std::string("speakers"));
  QVERIFY(!s.warnings.empty());  // the excluded "calm" clips are reported
}

void TestSplit::crossCorpus() {
  const auto clips = withCremaLike(ravdessLike());
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  spec.testSpeakers = ser::speakersOfCorpus(clips, "crema-d");
  QCOMPARE(spec.testSpeakers.size(), std::size_t(6));
  spec.validationFraction = 0.1;  // chosen among the RAVDESS speakers
  const Split s = ser::makeSplit(clips, labelOf, spec);
  checkCoverage(clips, labelOf, s);
  checkSpeakerIndependent(clips, s);
  for (std::size_t i : s.test) QCOMPARE(clips[i].corpus, std::string("crema-d"));
  for (std::size_t i : s.train) QCOMPARE(clips[i].corpus, std::string("ravdess"));
  QCOMPARE(int(s.validationSpeakers.size()), 2);  // round(0.1 * 24)
}

void TestSplit::validationFractionNeverTakesTheLastTrainingSpeaker() {
  const auto clips = ravdessLike(6, 8);
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  spec.testSpeakers = {"ravdess:01", "ravdess:02", "ravdess:03", "ravdess:04", "ravdess:05"};
  spec.validationFraction = 0.5;
  const Split s = ser::makeSplit(clips, labelOf, spec);
  QVERIFY(s.validation.empty());
  QCOMPARE(s.trainSpeakers, std::vector<std::string>{"ravdess:06"});
}

void TestSplit::automaticSpeakersSexBalanced_data() {
  QTest::addColumn<int>("testCount");
  QTest::addColumn<double>("testFraction");
  QTest::addColumn<int>("expectedTest");
  QTest::newRow("count 4") << 4 << 0.0 << 4;
  QTest::newRow("fraction 0.25") << 0 << 0.25 << 6;
  QTest::newRow("count 2") << 2 << 0.0 << 2;
}

void TestSplit::automaticSpeakersSexBalanced() {
  QFETCH(int, testCount);
  QFETCH(double, testFraction);
  QFETCH(int, expectedTest);
  const auto clips = ravdessLike();
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  spec.testSpeakerCount = testCount;
  spec.testFraction = testFraction;
  spec.validationSpeakerCount = 2;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    spec.seed = seed;
    const Split s = ser::makeSplit(clips, labelOf, spec);
    checkCoverage(clips, labelOf, s);
    checkSpeakerIndependent(clips, s);
    const auto te = speakers(clips, s.test);
    QCOMPARE(int(te.size()), expectedTest);
    QCOMPARE(countSex(clips, te, Sex::Male), expectedTest / 2);
    const auto va = speakers(clips, s.validation);
    QCOMPARE(countSex(clips, va, Sex::Male), 1);
    QCOMPARE(countSex(clips, va, Sex::Female), 1);
  }
}

void TestSplit::deterministicPerSeed() {
  const auto clips = ravdessLike();
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  for (SplitProtocol protocol : {SplitProtocol::Speakers, SplitProtocol::KFold, SplitProtocol::Random}) {
    SplitSpec spec;
    spec.protocol = protocol;
    spec.fold = 0;
    spec.testFraction = 0.25;  // not the default share: no RAVDESS preset for all 24 actors
    spec.seed = 7;
    const Split a = ser::makeSplit(clips, labelOf, spec);
    const Split b = ser::makeSplit(clips, labelOf, spec);
    QVERIFY(a.train == b.train && a.validation == b.validation && a.test == b.test);
    bool differs = false;
    for (std::uint64_t seed = 8; seed < 12 && !differs; ++seed) {
      spec.seed = seed;
      differs = ser::makeSplit(clips, labelOf, spec).test != a.test;
    }
    QVERIFY2(differs, ser::toString(protocol).c_str());
  }
}

void TestSplit::kfoldCoversEverySpeakerOnce() {
  const auto clips = ravdessLike();
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  spec.protocol = SplitProtocol::KFold;
  spec.folds = 6;
  spec.validationFromNextFold = true;
  std::map<std::string, int> timesTested;
  for (int f = 0; f < spec.folds; ++f) {
    spec.fold = f;
    const Split s = ser::makeSplit(clips, labelOf, spec);
    checkCoverage(clips, labelOf, s);
    checkSpeakerIndependent(clips, s);
    const auto te = speakers(clips, s.test);
    QCOMPARE(int(te.size()), 4);
    QCOMPARE(countSex(clips, te, Sex::Male), 2);  // 12 + 12 dealt over 6 folds
    QCOMPARE(int(s.validationSpeakers.size()), 4);
    for (const auto& id : te) ++timesTested[id];
  }
  QCOMPARE(int(timesTested.size()), 24);
  for (const auto& [id, n] : timesTested) QCOMPARE(n, 1);
  // The next fold's test speakers are this fold's validation speakers.
  spec.fold = 2;
  const Split s2 = ser::makeSplit(clips, labelOf, spec);
  spec.fold = 3;
  QCOMPARE(s2.validationSpeakers, ser::makeSplit(clips, labelOf, spec).testSpeakers);
}

void TestSplit::kfoldValidationFromTrainFraction() {
  const auto clips = ravdessLike();
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  spec.protocol = SplitProtocol::KFold;
  spec.folds = 2;
  spec.fold = 0;
  spec.validationFraction = 0.2;  // validation from the training speakers is the default
  const Split s = ser::makeSplit(clips, labelOf, spec);
  checkCoverage(clips, labelOf, s);
  checkSpeakerIndependent(clips, s);
  QCOMPARE(int(s.testSpeakers.size()), 12);
  QCOMPARE(int(s.validationSpeakers.size()), 2);  // round(0.2 * 12)
  QCOMPARE(int(s.trainSpeakers.size()), 10);
}

void TestSplit::randomStratifiedWarnsAboutLeakage() {
  const auto clips = ravdessLike();
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  spec.protocol = SplitProtocol::Random;
  spec.testFraction = 0.25;
  spec.validationFraction = 0.125;
  const Split s = ser::makeSplit(clips, labelOf, spec);
  checkCoverage(clips, labelOf, s);
  QVERIFY(!s.speakerIndependent);
  // Stratified: each label's share of the test split is exact (96 clips of labels 0-2, 48 of
  // label 3, whose "calm" half is excluded).
  std::map<int, int> perLabel;
  for (std::size_t i : s.test) ++perLabel[labelOf[i]];
  QCOMPARE(perLabel[0], 24);
  QCOMPARE(perLabel[1], 24);
  QCOMPARE(perLabel[2], 24);
  QCOMPARE(perLabel[3], 12);
  const auto tr = speakers(clips, s.train), te = speakers(clips, s.test);
  int shared = 0;
  for (const auto& id : te) shared += tr.count(id) ? 1 : 0;
  QVERIFY(shared > 0);
  bool warned = false;
  for (const auto& w : s.warnings)
    if (w.find("mixes speakers") != std::string::npos &&
        w.find(std::to_string(shared) + " of " + std::to_string(te.size())) != std::string::npos)
      warned = true;
  QVERIFY2(warned, s.warnings.empty() ? "no warnings" : s.warnings.back().c_str());
}

void TestSplit::kfoldEveryFoldIsNotOneSplit() {
  const auto clips = ravdessLike(6, 8);
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  spec.protocol = SplitProtocol::KFold;
  spec.folds = 3;
  QCOMPARE(spec.fold, -1);  // the default: every fold
  QVERIFY(spec.everyFold());
  try {
    ser::makeSplit(clips, labelOf, spec);
    QFAIL("makeSplit accepted fold -1");
  } catch (const ser::Error& e) {
    QVERIFY2(QString(e.what()).contains("cross-validation"), e.what());
  }
  // The plan does not depend on the fold, and each fold's split tests exactly its plan entry.
  const ser::FoldPlan plan = ser::planFolds(clips, labelOf, spec);
  QCOMPARE(int(plan.folds.size()), 3);
  for (int f = 0; f < 3; ++f) {
    spec.fold = f;
    QCOMPARE(ser::makeSplit(clips, labelOf, spec).testSpeakers, plan.folds[std::size_t(f)]);
  }
}

namespace {

std::vector<std::string> ravdessIds(std::initializer_list<int> actors) {
  std::vector<std::string> out;
  for (int a : actors) {
    char id[16];
    std::snprintf(id, sizeof id, "ravdess:%02d", a);
    out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Runs every fold of `spec` on `clips` and checks each is speaker-independent and covers the
// labelled clips, that validation speakers come from the fold's training speakers, and that the
// test folds partition the speakers. Returns the test speakers of each fold.
std::vector<std::vector<std::string>> runEveryFold(const std::vector<Clip>& clips,
                                                   const std::vector<int>& labelOf, SplitSpec spec) {
  const ser::FoldPlan plan = ser::planFolds(clips, labelOf, spec);
  std::vector<std::vector<std::string>> tested;
  std::map<std::string, int> timesTested;
  for (int f = 0; f < int(plan.folds.size()); ++f) {
    spec.fold = f;
    const Split s = ser::makeSplit(clips, labelOf, spec);
    checkCoverage(clips, labelOf, s);
    checkSpeakerIndependent(clips, s);
    if (QTest::currentTestFailed()) return {};
    if (s.testSpeakers != plan.folds[std::size_t(f)]) {
      QTest::qFail("a fold's test speakers differ from the plan", __FILE__, __LINE__);
      return {};
    }
    for (const auto& id : s.testSpeakers) ++timesTested[id];
    tested.push_back(s.testSpeakers);
  }
  std::set<std::string> labelled;
  for (std::size_t i = 0; i < clips.size(); ++i)
    if (labelOf[i] >= 0) labelled.insert(clips[i].speaker);
  if (timesTested.size() != labelled.size())
    QTest::qFail("the union of the test folds is not every speaker", __FILE__, __LINE__);
  for (const auto& [id, n] : timesTested)
    if (n != 1) QTest::qFail("a speaker is tested in two folds", __FILE__, __LINE__);
  return tested;
}

void writeText(const QString& path, const std::string& text) {
  std::ofstream(path.toStdString(), std::ios::binary) << text;
}

}  // namespace

void TestSplit::presetFoldsAllActors() {
  const auto clips = ravdessLike(24, 8);
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  spec.protocol = SplitProtocol::KFold;
  spec.foldsPreset = "emobox-ravdess";
  spec.validationFraction = 0.1;
  const auto tested = runEveryFold(clips, labelOf, spec);
  QCOMPARE(tested, (std::vector<std::vector<std::string>>{
                       ravdessIds({1, 11, 20, 21}), ravdessIds({4, 10, 12, 14}),
                       ravdessIds({8, 9, 19, 23}), ravdessIds({3, 5, 7, 24}),
                       ravdessIds({2, 15, 16, 18}), ravdessIds({6, 13, 17, 22})}));
  // Validation: 10% of the 20 training actors, one of each sex, never from the test fold.
  spec.fold = 0;
  const Split s = ser::makeSplit(clips, labelOf, spec);
  QCOMPARE(int(s.validationSpeakers.size()), 2);
  const std::set<std::string> va(s.validationSpeakers.begin(), s.validationSpeakers.end());
  QCOMPARE(countSex(clips, va, Sex::Male), 1);
  QCOMPARE(countSex(clips, va, Sex::Female), 1);
  QCOMPARE(int(s.trainSpeakers.size()), 18);
  QVERIFY(ser::planFolds(clips, labelOf, spec).notes.empty());
}

void TestSplit::presetFoldsKeepTheActorsPresent_data() {
  QTest::addColumn<int>("actors");
  QTest::addColumn<QList<QStringList>>("expected");
  QTest::addColumn<QString>("dropped");
  auto folds = [](std::initializer_list<std::initializer_list<int>> list) {
    QList<QStringList> out;
    for (auto f : list) {
      QStringList ids;
      for (const auto& id : ravdessIds(f)) ids << QString::fromStdString(id);
      out << ids;
    }
    return out;
  };
  // The development subset: actors 01-12 leave 6 folds of 1-3 actors.
  QTest::newRow("actors 01-12") << 12
                                << folds({{1, 11}, {4, 10, 12}, {8, 9}, {3, 5, 7}, {2}, {6}})
                                << QString();
  QTest::newRow("actors 01-04") << 4 << folds({{1}, {4}, {3}, {2}}) << "folds 3, 6";
}

void TestSplit::presetFoldsKeepTheActorsPresent() {
  QFETCH(int, actors);
  QFETCH(QList<QStringList>, expected);
  QFETCH(QString, dropped);
  const auto clips = ravdessLike(actors, 8);
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  spec.protocol = SplitProtocol::KFold;
  spec.foldsPreset = "emobox-ravdess";
  const auto tested = runEveryFold(clips, labelOf, spec);
  QCOMPARE(int(tested.size()), int(expected.size()));
  for (std::size_t f = 0; f < tested.size(); ++f) {
    QStringList got;
    for (const auto& id : tested[f]) got << QString::fromStdString(id);
    QCOMPARE(got, expected[int(f)]);
  }
  const ser::FoldPlan plan = ser::planFolds(clips, labelOf, spec);
  if (dropped.isEmpty()) {
    QVERIFY(plan.notes.empty());
  } else {
    QCOMPARE(int(plan.notes.size()), 1);
    QVERIFY2(QString::fromStdString(plan.notes[0]).contains(dropped), plan.notes[0].c_str());
  }
}

void TestSplit::presetFoldsOnRavdessDev() {
  const std::string dir = std::string(SERWB_SHARED_DATA) + "/ravdess-dev";
  if (!QFileInfo::exists(QString::fromStdString(dir))) QSKIP("real RAVDESS data not present");
  ser::CorpusSpec corpus;
  corpus.path = dir;
  const ser::Corpus c = ser::loadCorpora({corpus}, ser::CommonLabelPolicy::Drop);
  const std::vector<std::string> native = {"neutral", "calm",    "happy",   "sad",
                                           "angry",   "fearful", "disgust", "surprised"};
  const auto labelOf = ser::labelIndices(c.clips, native, ser::LabelField::Emotion);
  SplitSpec spec;
  spec.protocol = SplitProtocol::KFold;
  spec.foldsPreset = "emobox-ravdess";
  spec.validationFraction = 0.2;
  const auto tested = runEveryFold(c.clips, labelOf, spec);
  QCOMPARE(tested, (std::vector<std::vector<std::string>>{ravdessIds({1, 11}), ravdessIds({4, 10, 12}),
                                                          ravdessIds({8, 9}), ravdessIds({3, 5, 7}),
                                                          ravdessIds({2}), ravdessIds({6})}));
  // Fold 2 tests 04, 10, 12 (three women); validation takes two of the nine training actors,
  // one of each sex.
  spec.fold = 1;
  const Split s = ser::makeSplit(c.clips, labelOf, spec);
  QCOMPARE(s.test.size(), std::size_t(3 * 60));
  const std::set<std::string> va(s.validationSpeakers.begin(), s.validationSpeakers.end());
  QCOMPARE(int(va.size()), 2);
  QCOMPARE(countSex(c.clips, va, Sex::Male), 1);
  QCOMPARE(countSex(c.clips, va, Sex::Female), 1);
}

void TestSplit::fixedFoldsSplitEveryFold() {
  // A folds file over a corpus of two corpora, in an order unlike the sorted ids.
  const auto clips = withCremaLike(ravdessLike(4, 8), 2);
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  QTemporaryDir tmp;
  const QString file = tmp.path() + "/folds.csv";
  writeText(file, "speaker,fold\ncrema-d:1002,1\nravdess:03,1\nravdess:01,2\ncrema-d:1001,3\n"
                  "ravdess:02,3\nravdess:04,2\n");
  SplitSpec spec;
  spec.protocol = SplitProtocol::KFold;
  spec.foldsFile = file.toStdString();
  const auto tested = runEveryFold(clips, labelOf, spec);
  QCOMPARE(tested, (std::vector<std::vector<std::string>>{{"crema-d:1002", "ravdess:03"},
                                                          {"ravdess:01", "ravdess:04"},
                                                          {"crema-d:1001", "ravdess:02"}}));
  QVERIFY(ser::planFolds(clips, labelOf, spec).source.find("folds.csv") != std::string::npos);
  // Validation from the next fold of the file also works.
  spec.validationFromNextFold = true;
  spec.fold = 2;
  QCOMPARE(ser::makeSplit(clips, labelOf, spec).validationSpeakers,
           (std::vector<std::string>{"crema-d:1002", "ravdess:03"}));
  spec.fold = 3;
  try {
    ser::makeSplit(clips, labelOf, spec);
    QFAIL("fold 4 of 3 accepted");
  } catch (const ser::ParameterError& e) {
    QVERIFY2(QString(e.what()).contains("fold"), e.what());
  }
}

void TestSplit::foldsFileReadsRows() {
  QTemporaryDir tmp;
  const QString file = tmp.path() + "/f.csv";
  // BOM, CRLF, any-case trimmed header names, an extra column, quoting, spaces around values.
  writeText(file, "\xEF\xBB\xBFnote, Fold ,SPEAKER\r\nx, 2 ,ravdess:01\r\n\"a, b\",1,\"ravdess:02\"\r\n");
  const ser::FoldTable t = ser::readFoldsFile(file.toStdString());
  QCOMPARE(int(t.rows.size()), 2);
  QCOMPARE(t.rows[0].speaker, std::string("ravdess:01"));
  QCOMPARE(t.rows[0].fold, 2);
  QCOMPARE(t.rows[0].line, std::size_t(2));
  QCOMPARE(t.rows[1].speaker, std::string("ravdess:02"));
  QCOMPARE(t.rows[1].fold, 1);
  QVERIFY(!t.preset);
  QVERIFY(QString::fromStdString(t.source).contains(file));
}

void TestSplit::foldsFileErrors_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<bool>("needsClips");  // the error needs the corpus (planFolds), not just the file
  QTest::addColumn<QStringList>("mentions");
  QTest::newRow("no fold column") << "speaker,group\nravdess:01,1\n" << false
                                  << QStringList{"line 1", "'fold'"};
  QTest::newRow("fold not a number") << "speaker,fold\nravdess:01,1\nravdess:02,two\n" << false
                                     << QStringList{"line 3", "'two'"};
  QTest::newRow("fold 0") << "speaker,fold\nravdess:01,0\nravdess:02,1\n" << false
                          << QStringList{"line 2", "from 1"};
  QTest::newRow("fold with a fraction") << "speaker,fold\nravdess:01,1.5\nravdess:02,1\n" << false
                                        << QStringList{"line 2", "'1.5'"};
  QTest::newRow("empty speaker") << "speaker,fold\n,1\nravdess:02,2\n" << false
                                 << QStringList{"line 2", "speaker is empty"};
  QTest::newRow("duplicate row") << "speaker,fold\nravdess:01,1\nravdess:02,2\nravdess:01,2\n"
                                 << false << QStringList{"line 4", "first on line 2", "ravdess:01"};
  QTest::newRow("empty fold") << "speaker,fold\nravdess:01,1\nravdess:02,3\n" << false
                              << QStringList{"fold 2", "no speakers"};
  QTest::newRow("one fold") << "speaker,fold\nravdess:01,1\nravdess:02,1\n" << false
                            << QStringList{"one fold"};
  QTest::newRow("header only") << "speaker,fold\n" << false << QStringList{"no rows"};
  QTest::newRow("unterminated quote") << "speaker,fold\n\"ravdess:01,1\n" << false
                                      << QStringList{"line 2", "unterminated"};
  QTest::newRow("unknown speaker")
      << "speaker,fold\nravdess:01,1\nravdess:02,1\nravdess:03,2\nravdess:04,2\nravdess:99,2\n"
      << true << QStringList{"line 6", "ravdess:99", "not in the corpora"};
  QTest::newRow("unqualified id") << "speaker,fold\n01,1\nravdess:02,1\nravdess:03,2\nravdess:04,2\n"
                                  << true << QStringList{"line 2", "'01'"};
  QTest::newRow("missing speaker") << "speaker,fold\nravdess:01,1\nravdess:02,1\nravdess:03,2\n"
                                   << true << QStringList{"no fold for speaker ravdess:04"};
}

void TestSplit::foldsFileErrors() {
  QFETCH(QString, text);
  QFETCH(bool, needsClips);
  QFETCH(QStringList, mentions);
  QTemporaryDir tmp;
  const QString file = tmp.path() + "/bad-folds.csv";
  writeText(file, text.toStdString());
  if (!needsClips) {
    try {
      ser::readFoldsFile(file.toStdString());
      QFAIL("file accepted");
    } catch (const ser::Error& e) {
      QVERIFY2(QString(e.what()).contains(file), e.what());
      for (const QString& m : mentions) QVERIFY2(QString(e.what()).contains(m), e.what());
    }
    return;
  }
  const auto clips = ravdessLike(4, 8);
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  spec.protocol = SplitProtocol::KFold;
  spec.fold = 0;
  spec.foldsFile = file.toStdString();
  for (int attempt = 0; attempt < 2; ++attempt) {  // planFolds, then makeSplit: the same error
    try {
      if (attempt == 0)
        ser::planFolds(clips, labelOf, spec);
      else
        ser::makeSplit(clips, labelOf, spec);
      QFAIL("file accepted");
    } catch (const ser::Error& e) {
      QVERIFY2(QString(e.what()).contains(file), e.what());
      for (const QString& m : mentions) QVERIFY2(QString(e.what()).contains(m), e.what());
    }
  }
}

void TestSplit::errors_data() {
  QTest::addColumn<int>("kind");
  QTest::addColumn<QString>("messagePart");
  QTest::newRow("unknown test speaker") << 0 << "ravdess:99";
  QTest::newRow("speaker in both lists") << 1 << "both";
  QTest::newRow("test fraction out of range") << 2 << "test_fraction";
  QTest::newRow("too many folds") << 3 << "folds";
  QTest::newRow("one fold") << 4 << "folds";
  QTest::newRow("fold index out of range") << 5 << "fold";
  QTest::newRow("random fractions sum to 1") << 6 << "test_fraction + validation_fraction";
  QTest::newRow("all speakers in test") << 7 << "training";
  QTest::newRow("labelOf size") << 8 << "labels";
  QTest::newRow("test count leaves no training speaker") << 9 << "test_speaker_count";
  QTest::newRow("folds file with the speakers protocol") << 10 << "needs protocol 'kfold'";
  QTest::newRow("folds file and preset") << 11 << "not both";
  QTest::newRow("unknown preset") << 12 << "folds_preset";
  QTest::newRow("preset speakers absent from the corpus") << 13 << "only 1 fold";
  QTest::newRow("next-fold validation with two preset folds") << 14 << "folds";
  QTest::newRow("one file under a test and a training speaker")
      << 15 << "'/r/ravdess:01/0.wav' is listed under speaker 'ravdess:02' (training) and under "
               "speaker 'ravdess:01' (test)";
}

void TestSplit::errors() {
  QFETCH(int, kind);
  QFETCH(QString, messagePart);
  auto clips = ravdessLike(6, 8);
  auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  bool parameterError = true;
  switch (kind) {
    case 0: spec.testSpeakers = {"ravdess:01", "ravdess:99"}; parameterError = false; break;
    case 1:
      spec.testSpeakers = {"ravdess:01"};
      spec.validationSpeakers = {"ravdess:01"};
      parameterError = false;
      break;
    case 2: spec.testFraction = 1.0; break;
    case 3: spec.protocol = SplitProtocol::KFold; spec.folds = 7; spec.fold = 0; break;
    case 4:
      spec.protocol = SplitProtocol::KFold;
      spec.folds = 1;
      spec.fold = 0;
      break;
    case 5: spec.protocol = SplitProtocol::KFold; spec.folds = 3; spec.fold = 3; break;
    case 6:
      spec.protocol = SplitProtocol::Random;
      spec.testFraction = 0.5;
      spec.validationFraction = 0.5;
      break;
    case 7:
      spec.testSpeakers = {"ravdess:01", "ravdess:02", "ravdess:03", "ravdess:04", "ravdess:05",
                           "ravdess:06"};
      parameterError = false;
      break;
    case 8: labelOf.pop_back(); parameterError = false; break;
    case 9: spec.testSpeakerCount = 6; break;
    case 10: spec.foldsFile = "/tmp/folds.csv"; parameterError = false; break;
    case 11:
      spec.protocol = SplitProtocol::KFold;
      spec.foldsFile = "/tmp/folds.csv";
      spec.foldsPreset = "emobox-ravdess";
      parameterError = false;
      break;
    case 12: spec.protocol = SplitProtocol::KFold; spec.foldsPreset = "emobox-iemocap"; break;
    case 13:
      // Actors 01-06 sit in five preset folds; relabel so only actor 01 has labelled clips.
      spec.protocol = SplitProtocol::KFold;
      spec.fold = 0;
      spec.foldsPreset = "emobox-ravdess";
      for (std::size_t i = 0; i < clips.size(); ++i)
        if (clips[i].speaker != "ravdess:01") labelOf[i] = -1;
      parameterError = false;
      break;
    case 14: {
      // Actors 01 and 04 only: two preset folds, too few for validation from the next fold.
      spec.protocol = SplitProtocol::KFold;
      spec.fold = 0;
      spec.foldsPreset = "emobox-ravdess";
      spec.validationFromNextFold = true;
      for (std::size_t i = 0; i < clips.size(); ++i)
        if (clips[i].speaker != "ravdess:01" && clips[i].speaker != "ravdess:04") labelOf[i] = -1;
      break;
    }
    case 15: {  // a manifest listing one file under two speakers
      Clip copy = clips[0];
      copy.speaker = "ravdess:02";
      clips.push_back(copy);
      labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
      spec.testSpeakers = {"ravdess:01"};
      spec.validationSpeakers = {"ravdess:03"};
      parameterError = false;
      break;
    }
  }
  try {
    ser::makeSplit(clips, labelOf, spec);
    QFAIL("no exception");
  } catch (const ser::ParameterError& e) {
    QVERIFY2(parameterError, e.what());
    QVERIFY2(QString(e.what()).contains(messagePart), e.what());
  } catch (const ser::Error& e) {
    QVERIFY2(!parameterError, e.what());
    QVERIFY2(QString(e.what()).contains(messagePart), e.what());
  }
}

// The automatic choice of a full RAVDESS is the customary split; any other size is drawn.
void TestSplit::heldOutPolicyRavdessPreset() {
  const auto clips = ravdessLike();
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  for (std::uint64_t seed : {1, 42}) {
    SplitSpec spec;
    spec.seed = seed;
    const Split s = ser::makeSplit(clips, labelOf, spec);
    QCOMPARE(s.testSpeakers,
             (std::vector<std::string>{"ravdess:21", "ravdess:22", "ravdess:23", "ravdess:24"}));
    QCOMPARE(s.validationSpeakers, (std::vector<std::string>{"ravdess:19", "ravdess:20"}));
    const SplitSpec resolved = ser::resolveHeldOutSpeakers(clips, labelOf, spec);
    QCOMPARE(resolved.testSpeakers, s.testSpeakers);
    QCOMPARE(resolved.validationSpeakers, s.validationSpeakers);
  }
  // Asking for another share draws the speakers instead (seeded, sex-balanced).
  SplitSpec quarter;
  quarter.testFraction = 0.25;
  const Split drawn = ser::makeSplit(clips, labelOf, quarter);
  QCOMPARE(drawn.testSpeakers.size(), std::size_t(6));
  QCOMPARE(countSex(clips, {drawn.testSpeakers.begin(), drawn.testSpeakers.end()}, Sex::Male), 3);
  // Without all 24 actors: drawn, 0.2 x 20 = 4 test (2 + 2), then 0.1 x 16 -> 2 validation.
  const auto twenty = ravdessLike(20);
  const auto labelOf20 = ser::labelIndices(twenty, kLabels, ser::LabelField::Common);
  const SplitSpec r = ser::resolveHeldOutSpeakers(twenty, labelOf20, SplitSpec{});
  QCOMPARE(r.testSpeakers.size(), std::size_t(4));
  QCOMPARE(countSex(twenty, {r.testSpeakers.begin(), r.testSpeakers.end()}, Sex::Female), 2);
  QCOMPARE(r.validationSpeakers.size(), std::size_t(2));
  const Split s20 = ser::makeSplit(twenty, labelOf20, SplitSpec{});
  QCOMPARE(s20.testSpeakers, r.testSpeakers);
  QCOMPARE(s20.validationSpeakers, r.validationSpeakers);
}

// Each corpus holds out its own speakers, and its choice does not depend on the other corpora.
void TestSplit::heldOutPolicyPerCorpus() {
  const auto ravdess = ravdessLike(12);
  const auto crema = withCremaLike({}, 10);
  const auto both = withCremaLike(ravdessLike(12), 10);
  auto resolve = [](const std::vector<Clip>& clips) {
    SplitSpec spec;
    spec.seed = 42;
    return ser::resolveHeldOutSpeakers(
        clips, ser::labelIndices(clips, kLabels, ser::LabelField::Common), spec);
  };
  const SplitSpec r = resolve(ravdess), c = resolve(crema), b = resolve(both);
  QCOMPARE(r.testSpeakers.size(), std::size_t(2));  // round(0.2 x 12)
  QCOMPARE(c.testSpeakers.size(), std::size_t(2));  // round(0.2 x 10)
  std::vector<std::string> test = r.testSpeakers, validation = r.validationSpeakers;
  test.insert(test.end(), c.testSpeakers.begin(), c.testSpeakers.end());
  validation.insert(validation.end(), c.validationSpeakers.begin(), c.validationSpeakers.end());
  std::sort(test.begin(), test.end());
  std::sort(validation.begin(), validation.end());
  QCOMPARE(b.testSpeakers, test);
  QCOMPARE(b.validationSpeakers, validation);
  const Split s = ser::makeSplit(both, ser::labelIndices(both, kLabels, ser::LabelField::Common), b);
  checkSpeakerIndependent(both, s);
}

void TestSplit::validateSplitForClipsRefusesTooManyFolds() {
  const auto clips = ravdessLike(6, 8);
  const auto labelOf = ser::labelIndices(clips, kLabels, ser::LabelField::Common);
  SplitSpec spec;
  spec.protocol = SplitProtocol::KFold;
  spec.folds = 6;
  ser::validateSplitForClips(spec, clips, labelOf);  // one speaker per fold: allowed
  spec.folds = 7;
  spec.validate();  // within the clip-free ranges ...
  try {
    ser::validateSplitForClips(spec, clips, labelOf);  // ... but more folds than speakers
    QFAIL("k = 7 with 6 speakers was accepted");
  } catch (const ser::ParameterError& e) {
    QCOMPARE(QString::fromStdString(e.parameter()), QStringLiteral("folds"));
    QVERIFY2(QString(e.what()).contains(QStringLiteral("6")), e.what());
  }
}

// Cross-corpus with native labels that differ between the corpora cannot be learnt; the common
// set can. The experiment-level split also applies the corpus filters.
void TestSplit::experimentSplitRefusesUntrainedTestClasses() {
  std::vector<Clip> clips = withCremaLike(ravdessLike(6, 8), 4);
  for (Clip& c : clips)
    if (c.corpus == "crema-d") c.emotion = c.emotion.substr(0, 3);  // "neu", "hap", ...
  ser::Experiment e;
  ser::CorpusSpec spec;
  spec.path = "/r";
  e.corpora = {spec};
  e.split.testSpeakers = ser::speakersOfCorpus(clips, "crema-d");
  e.trainCorpora = {"ravdess"};
  e.testCorpora = {"crema-d"};
  e.labels = ser::LabelSetKind::Native;
  try {
    ser::experimentSplit(e, clips);
    QFAIL("native labels that differ across corpora were accepted");
  } catch (const ser::Error& err) {
    QVERIFY2(QString(err.what()).contains(QStringLiteral("common 6-class")), err.what());
  }
  e.labels = ser::LabelSetKind::Common6;
  const Split s = ser::experimentSplit(e, clips);
  for (std::size_t i : s.test) QCOMPARE(clips[i].corpus, std::string("crema-d"));
  for (std::size_t i : s.train) QCOMPARE(clips[i].corpus, std::string("ravdess"));
  QCOMPARE(s.testSpeakers, e.split.testSpeakers);
  QCOMPARE(s.validationSpeakers.size(), std::size_t(1));  // round(0.1 x 6), from RAVDESS
}

QTEST_GUILESS_MAIN(TestSplit)
#include "tst_split.moc"
