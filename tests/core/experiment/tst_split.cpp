// Split protocols: speaker independence, coverage, sex balance, determinism and errors.
#include <QtTest>

#include <algorithm>
#include <map>
#include <set>

#include "core/base/error.h"
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
  spec.validationFromNextFold = false;
  spec.validationFraction = 0.2;
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
}

void TestSplit::errors() {
  QFETCH(int, kind);
  QFETCH(QString, messagePart);
  const auto clips = ravdessLike(6, 8);
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
    case 3: spec.protocol = SplitProtocol::KFold; spec.folds = 7; break;
    case 4:
      spec.protocol = SplitProtocol::KFold;
      spec.folds = 1;
      spec.validationFromNextFold = false;
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
