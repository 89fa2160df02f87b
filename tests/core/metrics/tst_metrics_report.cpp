// The metrics report and its JSON form.
#include <QtTest>

#include <cmath>

#include "core/base/error.h"
#include "core/metrics/metrics_report.h"

using ser::Prediction;
using ser::Sex;

namespace {

const std::vector<std::string> kLabels = {"neutral", "happy", "sad"};

Prediction clip(const std::string& corpus, const std::string& speaker, Sex sex, int truth, int pred) {
  Prediction p;
  p.path = "/data/" + speaker + "/" + std::to_string(truth) + ".wav";
  p.corpus = corpus;
  p.speaker = speaker;
  p.sex = sex;
  p.truth = truth;
  p.predicted = pred;
  return p;
}

// `n` clips of a speaker cycling through the classes, `correctEvery` of each 10 right.
void addSpeaker(std::vector<Prediction>& out, const std::string& corpus, const std::string& speaker,
                Sex sex, int n, int correctOutOf10) {
  for (int i = 0; i < n; ++i) {
    const int t = i % 3;
    const bool right = (i % 10) < correctOutOf10;
    out.push_back(clip(corpus, speaker, sex, t, right ? t : (t + 1) % 3));
  }
}

}  // namespace

class TestMetricsReport : public QObject {
  Q_OBJECT

 private slots:
  void smallReportByHand();
  void speakerBootstrapIsWiderThanClipBootstrap();
  void fewerThanThreeSpeakersGetNoInterval();
  void sexGapSignAndInterval();
  void sexGapAbsentWhenOneSexAbsent();
  void recallByEmotionAndSexHasIntervals();
  void perSpeakerWilsonInterval();
  void perCorpus();
  void deterministic();
  void invalidInput();
  void macroF1HasASpeakerInterval();
};

void TestMetricsReport::smallReportByHand() {
  // s1 (male): neutral->neutral, happy->happy, sad->neutral
  // s2 (female): neutral->neutral, sad->sad, sad->sad
  std::vector<Prediction> ps = {
      clip("c", "c:1", Sex::Male, 0, 0),   clip("c", "c:1", Sex::Male, 1, 1),
      clip("c", "c:1", Sex::Male, 2, 0),   clip("c", "c:2", Sex::Female, 0, 0),
      clip("c", "c:2", Sex::Female, 2, 2), clip("c", "c:2", Sex::Female, 2, 2),
  };
  const ser::MetricsReport r = ser::computeReport(ps, kLabels);
  QCOMPARE(r.labels, kLabels);
  QCOMPARE(r.overall.n, std::size_t(6));
  QCOMPARE(r.overall.speakers, std::size_t(2));
  QCOMPARE(r.overall.wa, 5.0 / 6.0);
  // recall: neutral 2/2, happy 1/1, sad 2/3 -> UAR (1 + 1 + 2/3) / 3
  QVERIFY(std::abs(r.overall.uar - (8.0 / 3.0) / 3.0) < 1e-12);
  const ser::ConfusionMatrix confusion = {{2, 0, 0}, {0, 1, 0}, {1, 0, 2}};
  QVERIFY(r.confusion == confusion);
  QCOMPARE(r.perClass[0].precision, 2.0 / 3.0);
  QCOMPARE(r.perClass[0].recall, 1.0);
  QCOMPARE(r.perClass[2].support, std::size_t(3));
  QCOMPARE(r.perSex.at(Sex::Male).n, std::size_t(3));
  QCOMPARE(r.perSex.at(Sex::Male).wa, 2.0 / 3.0);
  QCOMPARE(r.perSex.at(Sex::Female).wa, 1.0);
  QCOMPARE(r.sexGap->femaleMinusMaleWa, 1.0 / 3.0);
  QCOMPARE(r.perSpeaker.at("c:1").n, std::size_t(3));
  QCOMPARE(r.perSpeaker.at("c:2").wa, 1.0);
  // Per-sex recall: the male speaker has all three classes; the female has no "happy".
  QCOMPARE(r.perClassBySex[2].at(Sex::Male)->recall, 0.0);
  QCOMPARE(r.perClassBySex[2].at(Sex::Female)->recall, 1.0);
  QCOMPARE(r.perClassBySex[2].at(Sex::Female)->n, std::size_t(2));
  QVERIFY(!r.perClassBySex[1].at(Sex::Female).has_value());
  QCOMPARE(r.perClassBySex[1].at(Sex::Male)->recall, 1.0);
  // Two speakers: no interval anywhere but the per-speaker ones.
  QVERIFY(!r.overall.waCi95 && !r.overall.uarCi95);
  QVERIFY(!r.perSex.at(Sex::Male).waCi95);
  QVERIFY(!r.sexGap->ci95);
  QVERIFY(r.perSpeaker.at("c:1").waCi95.has_value());
  QCOMPARE(r.chance(), 1.0 / 3.0);
}

// Clips of one speaker are not independent: three perfect speakers and three poor ones give a
// wide interval over speakers, while resampling clips would make it look precise.
void TestMetricsReport::speakerBootstrapIsWiderThanClipBootstrap() {
  std::vector<Prediction> ps;
  for (int s = 0; s < 3; ++s) addSpeaker(ps, "c", "c:good" + std::to_string(s), Sex::Male, 60, 10);
  for (int s = 0; s < 3; ++s) addSpeaker(ps, "c", "c:poor" + std::to_string(s), Sex::Male, 60, 2);
  const ser::MetricsReport r = ser::computeReport(ps, kLabels);
  QVERIFY(std::abs(r.overall.wa - 0.6) < 1e-12);
  QVERIFY(r.overall.waCi95.has_value());
  std::vector<int> truth, pred;
  for (const auto& p : ps) {
    truth.push_back(p.truth);
    pred.push_back(p.predicted);
  }
  const auto clipCi = ser::bootstrapWaUarIntervals(truth, pred, 3, ser::BootstrapOptions{});
  const double speakerWidth = r.overall.waCi95->hi - r.overall.waCi95->lo;
  const double clipWidth = clipCi.wa.hi - clipCi.wa.lo;
  QVERIFY2(speakerWidth > 3 * clipWidth,
           qPrintable(QString("speaker %1 vs clip %2").arg(speakerWidth).arg(clipWidth)));
  QVERIFY(r.overall.waCi95->lo <= 0.6 && 0.6 <= r.overall.waCi95->hi);
  // Every resample draws whole speakers: the interval stays within [0.2, 1.0].
  QVERIFY(r.overall.waCi95->lo >= 0.2 - 1e-12 && r.overall.waCi95->hi <= 1.0 + 1e-12);
}

void TestMetricsReport::fewerThanThreeSpeakersGetNoInterval() {
  std::vector<Prediction> ps;
  addSpeaker(ps, "c", "c:m1", Sex::Male, 30, 5);
  addSpeaker(ps, "c", "c:m2", Sex::Male, 30, 6);
  addSpeaker(ps, "c", "c:f1", Sex::Female, 30, 7);
  addSpeaker(ps, "c", "c:f2", Sex::Female, 30, 9);
  addSpeaker(ps, "c", "c:f3", Sex::Female, 30, 8);
  const ser::MetricsReport r = ser::computeReport(ps, kLabels);
  QVERIFY(r.overall.waCi95.has_value());
  QVERIFY(!r.perSex.at(Sex::Male).waCi95.has_value());
  QCOMPARE(r.perSex.at(Sex::Male).speakers, std::size_t(2));
  QVERIFY(r.perSex.at(Sex::Female).waCi95.has_value());
  QVERIFY(!r.sexGap->ci95.has_value());  // one side has too few speakers
  ser::MetricsReportOptions two;
  two.minSpeakersForInterval = 2;
  const ser::MetricsReport lenient = ser::computeReport(ps, kLabels, two);
  QVERIFY(lenient.perSex.at(Sex::Male).waCi95.has_value());
  QVERIFY(lenient.sexGap->ci95.has_value());
}

void TestMetricsReport::sexGapSignAndInterval() {
  std::vector<Prediction> ps;
  const int male[] = {4, 5, 5, 6}, female[] = {7, 8, 8, 9};
  for (int s = 0; s < 4; ++s) addSpeaker(ps, "c", "c:m" + std::to_string(s), Sex::Male, 150, male[s]);
  for (int s = 0; s < 4; ++s) addSpeaker(ps, "c", "c:f" + std::to_string(s), Sex::Female, 150, female[s]);
  const ser::MetricsReport r = ser::computeReport(ps, kLabels);
  QVERIFY(r.sexGap.has_value());
  QVERIFY(std::abs(r.sexGap->femaleMinusMaleWa - 0.3) < 1e-12);
  // Clearly positive: the whole interval is above zero and contains the estimate.
  QVERIFY(r.sexGap->ci95->lo > 0.0);
  QVERIFY(r.sexGap->ci95->lo < 0.3 && 0.3 < r.sexGap->ci95->hi);
  QVERIFY(std::abs(r.perSex.at(Sex::Male).wa - 0.5) < 1e-12);

  // Swap the roles: the sign flips.
  for (Prediction& p : ps) p.sex = p.sex == Sex::Male ? Sex::Female : Sex::Male;
  const ser::MetricsReport flipped = ser::computeReport(ps, kLabels);
  QVERIFY(std::abs(flipped.sexGap->femaleMinusMaleWa + 0.3) < 1e-12);
  QVERIFY(flipped.sexGap->ci95->hi < 0.0);

  // Unknown-sex clips count overall but in no sex group.
  addSpeaker(ps, "c", "c:u", Sex::Unknown, 30, 10);
  const ser::MetricsReport withUnknown = ser::computeReport(ps, kLabels);
  QCOMPARE(withUnknown.overall.n, std::size_t(1230));
  QCOMPARE(withUnknown.perSex.at(Sex::Male).n + withUnknown.perSex.at(Sex::Female).n,
           std::size_t(1200));
  QCOMPARE(withUnknown.perSex.size(), std::size_t(2));
}

void TestMetricsReport::sexGapAbsentWhenOneSexAbsent() {
  std::vector<Prediction> ps;
  addSpeaker(ps, "c", "c:1", Sex::Female, 30, 7);
  const ser::MetricsReport r = ser::computeReport(ps, kLabels);
  QVERIFY(!r.sexGap.has_value());
  QVERIFY(r.perSex.count(Sex::Female));
  QVERIFY(!r.perSex.count(Sex::Male));
  QVERIFY(!r.perClassBySex[2].count(Sex::Male));
}

void TestMetricsReport::recallByEmotionAndSexHasIntervals() {
  std::vector<Prediction> ps;
  const int quality[] = {3, 6, 9};
  for (int s = 0; s < 3; ++s) addSpeaker(ps, "c", "c:f" + std::to_string(s), Sex::Female, 60, quality[s]);
  // Two male speakers only say "neutral" (class 0); one says everything.
  for (int s = 0; s < 2; ++s)
    for (int i = 0; i < 10; ++i) ps.push_back(clip("c", "c:m" + std::to_string(s), Sex::Male, 0, i < 5 ? 0 : 1));
  addSpeaker(ps, "c", "c:m2", Sex::Male, 30, 5);
  const ser::MetricsReport r = ser::computeReport(ps, kLabels);
  const auto& femaleSad = r.perClassBySex[2].at(Sex::Female);
  QVERIFY(femaleSad.has_value());
  QCOMPARE(femaleSad->speakers, std::size_t(3));
  QVERIFY(femaleSad->ci95.has_value());
  QVERIFY(femaleSad->ci95->lo <= femaleSad->recall && femaleSad->recall <= femaleSad->ci95->hi);
  QVERIFY(femaleSad->ci95->hi - femaleSad->ci95->lo > 0.2);  // speakers differ a lot
  // Male "sad" comes from one speaker: no interval; male "neutral" from three: an interval.
  QCOMPARE(r.perClassBySex[2].at(Sex::Male)->speakers, std::size_t(1));
  QVERIFY(!r.perClassBySex[2].at(Sex::Male)->ci95.has_value());
  QCOMPARE(r.perClassBySex[0].at(Sex::Male)->speakers, std::size_t(3));
  QVERIFY(r.perClassBySex[0].at(Sex::Male)->ci95.has_value());
}

void TestMetricsReport::perSpeakerWilsonInterval() {
  std::vector<Prediction> ps;
  addSpeaker(ps, "c", "c:1", Sex::Male, 20, 5);  // 10 of 20 right
  const ser::MetricsReport r = ser::computeReport(ps, kLabels);
  const auto& ci = r.perSpeaker.at("c:1").waCi95;
  QVERIFY(ci.has_value());
  // Wilson 95% interval for 10/20 (z = 1.959964): [0.29930, 0.70070].
  QVERIFY2(std::abs(ci->lo - 0.29930) < 1e-4 && std::abs(ci->hi - 0.70070) < 1e-4,
           qPrintable(QString("%1 %2").arg(ci->lo).arg(ci->hi)));
  const ser::Interval all = ser::wilsonInterval(20, 20, 0.95);
  QVERIFY(all.hi == 1.0 && all.lo > 0.8 && all.lo < 0.85);
}

void TestMetricsReport::perCorpus() {
  std::vector<Prediction> ps;
  addSpeaker(ps, "ravdess", "ravdess:01", Sex::Male, 30, 9);
  addSpeaker(ps, "crema-d", "crema-d:1001", Sex::Female, 60, 4);
  const ser::MetricsReport r = ser::computeReport(ps, kLabels);
  QCOMPARE(r.perCorpus.size(), std::size_t(2));
  QCOMPARE(r.perCorpus.at("ravdess").n, std::size_t(30));
  QVERIFY(std::abs(r.perCorpus.at("ravdess").wa - 0.9) < 1e-12);
  QCOMPARE(r.perCorpus.at("crema-d").n, std::size_t(60));
  QVERIFY(std::abs(r.perCorpus.at("crema-d").wa - 0.4) < 1e-12);
  QVERIFY(std::abs(r.overall.wa - (27.0 + 24.0) / 90.0) < 1e-12);
}

void TestMetricsReport::deterministic() {
  std::vector<Prediction> ps;
  for (int s = 0; s < 5; ++s) addSpeaker(ps, "c", "c:" + std::to_string(s), s % 2 ? Sex::Male : Sex::Female, 40, 3 + s);
  const ser::MetricsReport a = ser::computeReport(ps, kLabels), b = ser::computeReport(ps, kLabels);
  QCOMPARE(a.overall.waCi95->lo, b.overall.waCi95->lo);
  QCOMPARE(a.overall.uarCi95->hi, b.overall.uarCi95->hi);
  QCOMPARE(a.perSex.at(Sex::Female).waCi95->lo, b.perSex.at(Sex::Female).waCi95->lo);
}

void TestMetricsReport::invalidInput() {
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::computeReport({}, kLabels));
  std::vector<Prediction> ps = {clip("c", "c:1", Sex::Male, 0, 3)};
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::computeReport(ps, kLabels));
  ps[0].predicted = 0;
  ser::MetricsReportOptions o;
  o.bootstrap.resamples = 1;
  QVERIFY_THROWS_EXCEPTION(ser::ParameterError, ser::computeReport(ps, kLabels, o));
  // A non-finite probability never reaches a metric.
  ps[0].probabilities = {0.5f, std::nanf(""), 0.5f};
  try {
    ser::computeReport(ps, kLabels);
    QFAIL("no exception");
  } catch (const ser::Error& e) {
    QVERIFY2(QString(e.what()).contains("not a finite number") && QString(e.what()).contains("/data/c:1/0.wav"), e.what());
  }
}

void TestMetricsReport::macroF1HasASpeakerInterval() {
  std::vector<Prediction> ps;
  addSpeaker(ps, "c", "c:a", Sex::Male, 30, 3);
  addSpeaker(ps, "c", "c:b", Sex::Male, 30, 9);
  addSpeaker(ps, "c", "c:c", Sex::Female, 30, 6);
  addSpeaker(ps, "c", "c:d", Sex::Female, 30, 10);
  const ser::MetricsReport r = ser::computeReport(ps, kLabels);
  QVERIFY(r.macroF1Ci95.has_value());
  QVERIFY(r.macroF1Ci95->lo < r.macroF1 && r.macroF1 < r.macroF1Ci95->hi);
  // Speakers differ (30% to 100% right): resampling them moves macro-F1 a lot.
  QVERIFY2(r.macroF1Ci95->hi - r.macroF1Ci95->lo > 0.1,
           qPrintable(QString("%1 %2").arg(r.macroF1Ci95->lo).arg(r.macroF1Ci95->hi)));
  // The interval stays within what the best and worst speaker alone would give.
  QVERIFY(r.macroF1Ci95->lo >= ser::computeReport({ps.begin(), ps.begin() + 30}, kLabels).macroF1 - 1e-9);
  QVERIFY(r.macroF1Ci95->hi <= 1.0);
  const ser::MetricsReport again = ser::computeReport(ps, kLabels);
  QCOMPARE(again.macroF1Ci95->lo, r.macroF1Ci95->lo);
  QCOMPARE(again.macroF1Ci95->hi, r.macroF1Ci95->hi);
  // Two speakers: no interval.
  const ser::MetricsReport two = ser::computeReport({ps.begin(), ps.begin() + 60}, kLabels);
  QVERIFY(!two.macroF1Ci95.has_value());
}

QTEST_GUILESS_MAIN(TestMetricsReport)
#include "tst_metrics_report.moc"
