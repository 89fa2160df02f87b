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
  void sexGapSignAndInterval();
  void sexGapNullWhenOneSexAbsent();
  void perCorpus();
  void invalidInput();
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
  const nlohmann::json j = ser::toJson(r);

  for (const char* key : {"labels", "n", "wa", "uar", "wa_ci95", "uar_ci95", "macro_f1", "confusion",
                          "per_class", "per_sex", "sex_gap", "per_speaker", "per_corpus",
                          "per_class_by_sex"})
    QVERIFY2(j.contains(key), key);
  QCOMPARE(j["labels"].get<std::vector<std::string>>(), kLabels);
  QCOMPARE(j["n"].get<int>(), 6);
  QCOMPARE(j["wa"].get<double>(), 5.0 / 6.0);
  // recall: neutral 2/2, happy 1/1, sad 2/3 -> UAR (1 + 1 + 2/3) / 3
  QVERIFY(std::abs(j["uar"].get<double>() - (8.0 / 3.0) / 3.0) < 1e-12);
  const std::vector<std::vector<int>> confusion = {{2, 0, 0}, {0, 1, 0}, {1, 0, 2}};
  QVERIFY(j["confusion"].get<std::vector<std::vector<int>>>() == confusion);
  QCOMPARE(j["per_class"]["neutral"]["precision"].get<double>(), 2.0 / 3.0);
  QCOMPARE(j["per_class"]["neutral"]["recall"].get<double>(), 1.0);
  QCOMPARE(j["per_class"]["sad"]["support"].get<int>(), 3);
  QCOMPARE(j["per_sex"]["male"]["n"].get<int>(), 3);
  QCOMPARE(j["per_sex"]["male"]["wa"].get<double>(), 2.0 / 3.0);
  QCOMPARE(j["per_sex"]["female"]["wa"].get<double>(), 1.0);
  QCOMPARE(j["per_sex"]["female"]["wa_ci95"].size(), std::size_t(2));
  QCOMPARE(j["sex_gap"]["female_minus_male_wa"].get<double>(), 1.0 / 3.0);
  QCOMPARE(j["per_speaker"]["c:1"]["n"].get<int>(), 3);
  QCOMPARE(j["per_speaker"]["c:2"]["wa"].get<double>(), 1.0);
  // Per-sex recall: the male speaker has all three classes; the female has no "happy".
  QCOMPARE(j["per_class_by_sex"]["sad"]["male"].get<double>(), 0.0);
  QCOMPARE(j["per_class_by_sex"]["sad"]["female"].get<double>(), 1.0);
  QVERIFY(j["per_class_by_sex"]["happy"]["female"].is_null());
  QCOMPARE(j["per_class_by_sex"]["happy"]["male"].get<double>(), 1.0);
  const auto ci = j["wa_ci95"].get<std::vector<double>>();
  QVERIFY(ci[0] <= 5.0 / 6.0 && 5.0 / 6.0 <= ci[1]);
}

void TestMetricsReport::sexGapSignAndInterval() {
  std::vector<Prediction> ps;
  for (int s = 0; s < 4; ++s) addSpeaker(ps, "c", "c:m" + std::to_string(s), Sex::Male, 150, 5);
  for (int s = 0; s < 4; ++s) addSpeaker(ps, "c", "c:f" + std::to_string(s), Sex::Female, 150, 8);
  const ser::MetricsReport r = ser::computeReport(ps, kLabels);
  QVERIFY(r.sexGap.has_value());
  QVERIFY(std::abs(r.sexGap->femaleMinusMaleWa - 0.3) < 1e-12);
  // Clearly positive: the whole interval is above zero and contains the estimate.
  QVERIFY(r.sexGap->ci95.lo > 0.0);
  QVERIFY(r.sexGap->ci95.lo < 0.3 && 0.3 < r.sexGap->ci95.hi);
  QVERIFY(std::abs(r.perSex.at(Sex::Male).wa - 0.5) < 1e-12);

  // Swap the roles: the sign flips.
  for (Prediction& p : ps) p.sex = p.sex == Sex::Male ? Sex::Female : Sex::Male;
  const ser::MetricsReport flipped = ser::computeReport(ps, kLabels);
  QVERIFY(std::abs(flipped.sexGap->femaleMinusMaleWa + 0.3) < 1e-12);
  QVERIFY(flipped.sexGap->ci95.hi < 0.0);

  // Unknown-sex clips count overall but in no sex group.
  addSpeaker(ps, "c", "c:u", Sex::Unknown, 30, 10);
  const ser::MetricsReport withUnknown = ser::computeReport(ps, kLabels);
  QCOMPARE(withUnknown.overall.n, std::size_t(1230));
  QCOMPARE(withUnknown.perSex.at(Sex::Male).n + withUnknown.perSex.at(Sex::Female).n,
           std::size_t(1200));
  QCOMPARE(ser::toJson(withUnknown)["per_sex"].size(), std::size_t(2));
}

void TestMetricsReport::sexGapNullWhenOneSexAbsent() {
  std::vector<Prediction> ps;
  addSpeaker(ps, "c", "c:1", Sex::Female, 30, 7);
  const nlohmann::json j = ser::toJson(ser::computeReport(ps, kLabels));
  QVERIFY(j["sex_gap"].is_null());
  QVERIFY(j["per_sex"].contains("female"));
  QVERIFY(!j["per_sex"].contains("male"));
  QVERIFY(!j["per_class_by_sex"]["sad"].contains("male"));
}

void TestMetricsReport::perCorpus() {
  std::vector<Prediction> ps;
  addSpeaker(ps, "ravdess", "ravdess:01", Sex::Male, 30, 9);
  addSpeaker(ps, "crema-d", "crema-d:1001", Sex::Female, 60, 4);
  const nlohmann::json j = ser::toJson(ser::computeReport(ps, kLabels));
  QCOMPARE(j["per_corpus"].size(), std::size_t(2));
  QCOMPARE(j["per_corpus"]["ravdess"]["n"].get<int>(), 30);
  QVERIFY(std::abs(j["per_corpus"]["ravdess"]["wa"].get<double>() - 0.9) < 1e-12);
  QCOMPARE(j["per_corpus"]["crema-d"]["n"].get<int>(), 60);
  QVERIFY(std::abs(j["per_corpus"]["crema-d"]["wa"].get<double>() - 0.4) < 1e-12);
  QVERIFY(j["per_corpus"]["crema-d"].contains("uar"));
  QVERIFY(std::abs(j["wa"].get<double>() - (27.0 + 24.0) / 90.0) < 1e-12);
}

void TestMetricsReport::invalidInput() {
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::computeReport({}, kLabels));
  std::vector<Prediction> ps = {clip("c", "c:1", Sex::Male, 0, 3)};
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::computeReport(ps, kLabels));
  ps[0].predicted = 0;
  ser::ReportOptions o;
  o.bootstrap.resamples = 1;
  QVERIFY_THROWS_EXCEPTION(ser::ParameterError, ser::computeReport(ps, kLabels, o));
}

QTEST_GUILESS_MAIN(TestMetricsReport)
#include "tst_metrics_report.moc"
