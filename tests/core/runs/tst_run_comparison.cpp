// Comparing run records: the table, the configuration diff and the paired speaker-bootstrap
// difference, on synthetic predictions whose answer is known.
#include <QtTest>

#include <algorithm>
#include <random>

#include "core/base/error.h"
#include "core/runs/run_comparison.h"
#include "core/runs/run_record.h"

namespace {

const std::vector<std::string> kLabels = {"neutral", "happy", "sad", "angry"};

// `speakers` speakers x 2 clips per class. Speaker s's clips of class (s % 4) and ((s + 1) % 4),
// first take, are wrong in run "A"; `fixed` of them are right in a better run.
std::vector<ser::Prediction> predictions(int speakers, int errorsPerSpeaker, const std::string& root = "/data") {
  std::vector<ser::Prediction> out;
  for (int s = 0; s < speakers; ++s)
    for (int c = 0; c < 4; ++c)
      for (int take = 0; take < 2; ++take) {
        ser::Prediction p;
        p.corpus = "demo-acted";
        p.speaker = "Actor_" + std::to_string(s + 1);
        p.sex = s % 2 ? ser::Sex::Female : ser::Sex::Male;
        p.path = root + "/" + p.speaker + "/c" + std::to_string(c) + "-t" + std::to_string(take) + ".wav";
        p.truth = c;
        p.predicted = c;
        const bool firstError = c == s % 4 && take == 0 && errorsPerSpeaker >= 1;
        const bool secondError = c == (s + 1) % 4 && take == 0 && errorsPerSpeaker >= 2;
        if (firstError || secondError) p.predicted = (c + 1) % 4;
        out.push_back(p);
      }
  return out;
}

ser::RunRecord record(const std::string& name, std::vector<ser::Prediction> preds,
                      std::vector<std::string> labels = kLabels) {
  ser::RunRecord r;
  r.path = "/runs/" + name;
  r.model = "cnn";
  r.split.protocol = "speakers";
  r.split.trainCorpora = r.split.testCorpora = {"demo-acted"};
  r.predictions = std::move(preds);
  r.metrics = ser::computeReport(r.predictions, labels);
  r.config = {{"name", name}, {"model", {{"kind", "cnn"}, {"dropout", 0.3}}}, {"seed", 1}};
  return r;
}

}  // namespace

class TestRunComparison : public QObject {
  Q_OBJECT
 private slots:
  void identicalRunsDifferByZero();
  void strictlyBetterOnEverySpeakerExcludesZero();
  void matchesClipsByIdentityNotOrder();
  void disjointTestSetsGiveNoPairedFigure();
  void partlySharedTestSetsGiveNoPairedFigure();
  void differentTrueLabelsGiveNoPairedFigure();
  void fewSpeakersGiveADifferenceWithoutInterval();
  void seededAndDeterministic();
  void tableCarriesEachRunsFigures();
  void configDiffListsOnlyDifferingKeys();
  void pairedBootstrapDrawsTheSameSpeakersForBoth();
  void jsonAndText();
  void rejectsInvalidOptions();
};

void TestRunComparison::identicalRunsDifferByZero() {
  const auto a = record("a", predictions(6, 2));
  const auto b = record("b", predictions(6, 2));
  const ser::RunComparison c = ser::compareRuns({a, b});
  QCOMPARE(c.pairs.size(), std::size_t(1));
  const ser::PairedComparison& p = c.pairs[0];
  QVERIFY(p.paired);
  QCOMPARE(p.clips, std::size_t(48));
  QCOMPARE(p.speakers, std::size_t(6));
  QCOMPARE(p.uarDifference, 0.0);
  QCOMPARE(p.waDifference, 0.0);
  QVERIFY(p.uarCi95 && p.waCi95);
  QCOMPARE(p.uarCi95->lo, 0.0);  // degenerate: every resample differs by exactly 0
  QCOMPARE(p.uarCi95->hi, 0.0);
  QCOMPARE(p.waCi95->lo, 0.0);
  QCOMPARE(p.waCi95->hi, 0.0);
  QVERIFY(!p.uarDifferenceExcludesZero());
}

void TestRunComparison::strictlyBetterOnEverySpeakerExcludesZero() {
  const auto a = record("a", predictions(6, 2));
  const auto b = record("b", predictions(6, 1));  // one error fewer for every speaker
  const ser::RunComparison c = ser::compareRuns({a, b});
  const ser::PairedComparison& p = c.pairs.at(0);
  QVERIFY(p.paired);
  // Point differences agree with the metrics report computed independently for each run.
  QCOMPARE(p.waDifference, b.metrics.overall.wa - a.metrics.overall.wa);
  QVERIFY(qAbs(p.waDifference - 6.0 / 48.0) < 1e-12);
  QVERIFY(qAbs(p.uarDifference - (b.metrics.overall.uar - a.metrics.overall.uar)) < 1e-12);
  QVERIFY(p.uarDifference > 0.0);
  QVERIFY(p.uarCi95 && p.waCi95);
  QVERIFY2(p.uarCi95->lo > 0.0, qPrintable(QString::number(p.uarCi95->lo)));
  QVERIFY(p.waCi95->lo > 0.0);
  QVERIFY(p.uarCi95->lo <= p.uarDifference && p.uarDifference <= p.uarCi95->hi);
  QVERIFY(p.uarDifferenceExcludesZero());

  // The other way round: the same interval, negated.
  const ser::PairedComparison q = ser::compareRuns({b, a}).pairs.at(0);
  QVERIFY(qAbs(q.uarDifference + p.uarDifference) < 1e-12);
  QVERIFY(q.uarCi95->hi < 0.0);
  QVERIFY(qAbs(q.uarCi95->hi + p.uarCi95->lo) < 1e-12);
}

void TestRunComparison::matchesClipsByIdentityNotOrder() {
  const auto a = record("a", predictions(6, 2));
  // b: rows shuffled and its label list in another order (indices remapped), one error fewer.
  std::vector<ser::Prediction> preds = predictions(6, 1);
  std::shuffle(preds.begin(), preds.end(), std::mt19937(7));
  const std::vector<std::string> reordered = {"angry", "sad", "neutral", "happy"};
  auto remap = [&](int i) {
    return int(std::find(reordered.begin(), reordered.end(), kLabels[std::size_t(i)]) - reordered.begin());
  };
  for (auto& p : preds) {
    p.truth = remap(p.truth);
    p.predicted = remap(p.predicted);
  }
  const auto b = record("b", preds, reordered);
  const ser::PairedComparison p = ser::compareRuns({a, b}).pairs.at(0);
  QVERIFY(p.paired);
  QVERIFY(qAbs(p.waDifference - 6.0 / 48.0) < 1e-12);
  const ser::PairedComparison inOrder =
      ser::compareRuns({a, record("b", predictions(6, 1))}).pairs.at(0);
  QCOMPARE(p.uarDifference, inOrder.uarDifference);
  QCOMPARE(p.uarCi95->lo, inOrder.uarCi95->lo);
  QCOMPARE(p.uarCi95->hi, inOrder.uarCi95->hi);
}

void TestRunComparison::disjointTestSetsGiveNoPairedFigure() {
  const auto a = record("a", predictions(6, 2, "/data"));
  const auto b = record("b", predictions(6, 1, "/other"));
  const ser::PairedComparison p = ser::compareRuns({a, b}).pairs.at(0);
  QVERIFY(!p.paired);
  QVERIFY(!p.uarCi95 && !p.waCi95);
  QVERIFY2(QString::fromStdString(p.reason).contains("not tested on the same clips"), p.reason.c_str());
  QVERIFY(QString::fromStdString(p.reason).contains("0 in common"));
  QVERIFY(QString::fromStdString(p.reason).contains("no paired figure"));
}

void TestRunComparison::partlySharedTestSetsGiveNoPairedFigure() {
  const auto a = record("a", predictions(6, 2));
  const auto b = record("b", predictions(5, 1));  // the sixth speaker's 8 clips are missing
  const ser::PairedComparison p = ser::compareRuns({a, b}).pairs.at(0);
  QVERIFY(!p.paired);
  QVERIFY2(QString::fromStdString(p.reason).contains("40 in common; 8 clips only in a, 0 clips only in b"),
           p.reason.c_str());
}

void TestRunComparison::differentTrueLabelsGiveNoPairedFigure() {
  const auto a = record("a", predictions(6, 2));
  auto preds = predictions(6, 2);
  preds[3].truth = (preds[3].truth + 1) % 4;
  const ser::PairedComparison p = ser::compareRuns({a, record("b", preds)}).pairs.at(0);
  QVERIFY(!p.paired);
  QVERIFY(QString::fromStdString(p.reason).contains("different true label"));

  const auto fewer = record("c", predictions(6, 2), {"neutral", "happy", "sad", "fear"});
  const ser::PairedComparison q = ser::compareRuns({a, fewer}).pairs.at(0);
  QVERIFY(!q.paired);
  QVERIFY(QString::fromStdString(q.reason).contains("different label sets"));
}

void TestRunComparison::fewSpeakersGiveADifferenceWithoutInterval() {
  const auto a = record("a", predictions(2, 2));
  const auto b = record("b", predictions(2, 1));
  const ser::PairedComparison p = ser::compareRuns({a, b}).pairs.at(0);
  QVERIFY(p.paired);
  QVERIFY(qAbs(p.waDifference - 2.0 / 16.0) < 1e-12);
  QVERIFY(!p.uarCi95 && !p.waCi95);
  QVERIFY(QString::fromStdString(p.reason).contains("2 speakers"));
}

void TestRunComparison::seededAndDeterministic() {
  // b: better on some speakers, worse on others, so the interval is not degenerate.
  auto mixed = predictions(8, 1);
  for (auto& p : mixed)
    if (p.speaker == "Actor_2" || p.speaker == "Actor_5") p.predicted = (p.truth + 2) % 4;
  const auto a = record("a", predictions(8, 2));
  const auto b = record("b", mixed);
  const auto p1 = ser::compareRuns({a, b}).pairs.at(0);
  const auto p2 = ser::compareRuns({a, b}).pairs.at(0);
  QCOMPARE(p1.uarCi95->lo, p2.uarCi95->lo);
  QCOMPARE(p1.uarCi95->hi, p2.uarCi95->hi);
  QVERIFY(p1.uarCi95->lo < 0.0 && p1.uarCi95->hi > 0.0);  // mixed: no clear difference
  // The seed is the bootstrap's: another seed draws other resamples (the point estimate stays;
  // the discrete interval ends may or may not move, so compare the draws themselves).
  ser::ComparisonOptions other;
  other.bootstrap.seed = 99;
  const auto p3 = ser::compareRuns({a, b}, other).pairs.at(0);
  QCOMPARE(p3.uarDifference, p1.uarDifference);
  std::vector<ser::SpeakerCounts> counts;
  for (std::size_t s = 0; s < 8; ++s) counts.push_back({{2, 2}, {s % 3, 1}});
  ser::BootstrapOptions seedA, seedB;
  seedB.seed = 99;
  QVERIFY(ser::pairedClusterBootstrap(counts, counts, 2, seedA).a.wa !=
          ser::pairedClusterBootstrap(counts, counts, 2, seedB).a.wa);
}

void TestRunComparison::tableCarriesEachRunsFigures() {
  auto a = record("a", predictions(6, 2));
  auto b = record("b", predictions(6, 1));
  b.model = "svm";
  b.split.protocol = "random";
  b.split.testSpeakersSeen = {"Actor_1"};
  const ser::RunComparison c = ser::compareRuns({a, b, a});
  QCOMPARE(c.runs.size(), std::size_t(3));
  QCOMPARE(c.pairs.size(), std::size_t(3));  // (1,2), (1,3), (2,3)
  QCOMPARE(c.pairs[2].a, std::size_t(1));
  QCOMPARE(c.pairs[2].b, std::size_t(2));
  QCOMPARE(QString::fromStdString(c.runs[1].name), QString("b"));
  QCOMPARE(QString::fromStdString(c.runs[1].model), QString("svm"));
  QCOMPARE(QString::fromStdString(c.runs[1].protocol), QString("random"));
  QVERIFY(c.runs[0].speakerIndependent);
  QVERIFY(!c.runs[1].speakerIndependent);
  QCOMPARE(c.runs[1].wa, b.metrics.overall.wa);
  QCOMPARE(c.runs[1].uar, b.metrics.overall.uar);
  QCOMPARE(c.runs[1].macroF1, b.metrics.macroF1);
  QCOMPARE(c.runs[1].n, std::size_t(48));
  QVERIFY(c.runs[1].uarCi95.has_value());
  QCOMPARE(c.runs[1].uarCi95->lo, b.metrics.overall.uarCi95->lo);
}

void TestRunComparison::configDiffListsOnlyDifferingKeys() {
  auto a = record("a", predictions(6, 2));
  auto b = record("b", predictions(6, 2));
  a.config = nlohmann::json::parse(R"({"name": "x", "model": {"kind": "cnn", "dropout": 0.3,
      "channels": [16, 32]}, "training": {"lr": 0.001}, "corpora": [{"path": "/a", "format": "ravdess"}]})");
  b.config = nlohmann::json::parse(R"({"name": "x", "model": {"kind": "cnn", "dropout": 0.5,
      "channels": [16, 64]}, "training": {"lr": 0.001}, "corpora": [{"path": "/b", "format": "ravdess"}],
      "seed": 2})");
  const ser::RunComparison c = ser::compareRuns({a, b});
  QStringList keys;
  for (const auto& d : c.configDiff) keys << QString::fromStdString(d.key);
  QCOMPARE(keys, (QStringList{"corpora[0].path", "model.channels", "model.dropout", "seed"}));
  const ser::ConfigDifference& dropout = c.configDiff[2];
  QCOMPARE(QString::fromStdString(*dropout.values[0]), QString("0.3"));
  QCOMPARE(QString::fromStdString(*dropout.values[1]), QString("0.5"));
  QCOMPARE(QString::fromStdString(*c.configDiff[1].values[1]), QString("[16,64]"));
  QVERIFY(!c.configDiff[3].values[0].has_value());  // a has no seed
  QCOMPARE(QString::fromStdString(*c.configDiff[3].values[1]), QString("2"));

  QVERIFY(ser::compareRuns({a, a}).configDiff.empty());

  // The SVM repeats the split's speakers under resolved.provenance; a network does not. That is no
  // difference of configuration (resolved.split says the same), but a key beside it still is.
  auto svm = a;
  svm.config["resolved"] = nlohmann::json::parse(
      R"({"provenance": {"train_speakers": ["ravdess:01"]}, "provenance_note": "x", "split": {"protocol": "speakers"}})");
  auto cnn = a;
  cnn.config["resolved"] = nlohmann::json::parse(R"({"split": {"protocol": "speakers"}})");
  const ser::RunComparison mixed = ser::compareRuns({svm, cnn});
  QCOMPARE(mixed.configDiff.size(), std::size_t(1));
  QCOMPARE(QString::fromStdString(mixed.configDiff[0].key), QString("resolved.provenance_note"));
}

void TestRunComparison::pairedBootstrapDrawsTheSameSpeakersForBoth() {
  // Independent check of the joint draw: with b = a, every resample agrees exactly; and the
  // paired samples of each system are the single-system samples for the same seed.
  std::vector<ser::SpeakerCounts> a, b;
  for (std::size_t s = 0; s < 5; ++s) {
    a.push_back({{3, 2, 1}, {s % 3, 1, s % 2}});
    b.push_back({{3, 2, 1}, {3, s % 3, 1}});
  }
  ser::BootstrapOptions o;
  o.resamples = 200;
  const ser::PairedClusterSamples paired = ser::pairedClusterBootstrap(a, b, 3, o);
  const ser::ClusterSamples sa = ser::clusterBootstrap(a, 3, o);
  const ser::ClusterSamples sb = ser::clusterBootstrap(b, 3, o);
  QCOMPARE(paired.a.uar, sa.uar);
  QCOMPARE(paired.b.uar, sb.uar);
  QCOMPARE(paired.a.wa, sa.wa);
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::pairedClusterBootstrap(a, {b[0]}, 3, o));
}

void TestRunComparison::jsonAndText() {
  const auto a = record("a", predictions(6, 2));
  const auto b = record("b", predictions(6, 1));
  const auto far = record("far", predictions(6, 1, "/elsewhere"));
  const ser::RunComparison c = ser::compareRuns({a, b, far});
  const nlohmann::json j = ser::toJson(c);
  QCOMPARE(j["runs"].size(), std::size_t(3));
  QCOMPARE(j["runs"][1]["uar"].get<double>(), b.metrics.overall.uar);
  QCOMPARE(j["runs"][1]["uar_ci95"][0].get<double>(), b.metrics.overall.uarCi95->lo);
  QCOMPARE(j["pairs"][0]["paired"].get<bool>(), true);
  QCOMPARE(j["pairs"][0]["uar_difference"].get<double>(), c.pairs[0].uarDifference);
  QCOMPARE(j["pairs"][0]["uar_difference_ci95"][0].get<double>(), c.pairs[0].uarCi95->lo);
  QCOMPARE(j["pairs"][1]["paired"].get<bool>(), false);
  QVERIFY(!j["pairs"][1].contains("uar_difference"));
  QVERIFY(j["pairs"][1]["note"].get<std::string>().find("not tested on the same clips") != std::string::npos);
  QVERIFY(j["config_diff"].size() == 1);  // only "name" differs
  QCOMPARE(j["config_diff"][0]["key"].get<std::string>(), std::string("name"));

  const QString text = QString::fromStdString(ser::comparisonText(c));
  QVERIFY2(text.contains("[2] - [1]: UAR +"), qPrintable(text));
  QVERIFY(text.contains("the UAR interval excludes 0"));
  QVERIFY(text.contains("[3] - [1]: the runs were not tested on the same clips"));
  QVERIFY(text.contains("name:  [1] \"a\"  [2] \"b\"  [3] \"far\""));
}

void TestRunComparison::rejectsInvalidOptions() {
  const auto a = record("a", predictions(6, 2));
  ser::ComparisonOptions o;
  o.minSpeakersForInterval = 1;
  QVERIFY_THROWS_EXCEPTION(ser::ParameterError, ser::compareRuns({a, a}, o));
  o = {};
  o.bootstrap.resamples = 1;
  QVERIFY_THROWS_EXCEPTION(ser::ParameterError, ser::compareRuns({a, a}, o));
}

QTEST_GUILESS_MAIN(TestRunComparison)
#include "tst_run_comparison.moc"
