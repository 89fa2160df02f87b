// End-to-end tests of `serwb compare`: the real binary on run folders written as serwb writes them
// (ser::writeRunRecord), checking its JSON, its text and its errors.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/runs/run_comparison.h"
#include "tests/core/runs/run_fixture.h"

namespace {

struct Result {
  int code = -1;
  QString out;
  QString err;
};

Result serwb(const QStringList& args) {
  QProcess p;
  p.start(SERWB_BINARY, args);
  if (!p.waitForFinished(60000)) {
    p.kill();
    p.waitForFinished();
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
          QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

// A second run on the fixture's clips: `fixes` of the fixture's six errors corrected, and a
// different dropout in its configuration. Written into `dir`.
bool writeBetterRun(const QString& base, const QString& dir, int fixes) {
  using namespace ser::testing;
  RunFixtureOptions o;
  o.speakerIndependent = true;
  if (!writeRunFixture(dir, o)) return false;
  ser::RunRecord r = ser::loadRunRecord(base.toStdString());
  for (auto& p : r.predictions)
    if (fixes > 0 && p.predicted != p.truth) {
      p.predicted = p.truth;
      --fixes;
    }
  r.metrics = ser::computeReport(r.predictions, r.labels());
  QByteArray config = fixtureConfigJson(o);
  config.replace("\"dropout\": 0.3", "\"dropout\": 0.5");
  if (!writeText(dir + "/config.json", config)) return false;
  ser::writeRunRecord(dir.toStdString(), r);
  return true;
}

}  // namespace

class TestCompareCli : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void jsonHasTheTableTheDiffAndThePairedDifference();
  void textShowsTheSameFigures();
  void runsOnOtherClipsGetNoPairedFigure();
  void badFoldersAreNamed();

 private:
  QTemporaryDir tmp_;
  QString a_, b_;
};

void TestCompareCli::initTestCase() {
  QVERIFY(tmp_.isValid());
  a_ = tmp_.filePath("cnn-dropout-03");
  b_ = tmp_.filePath("cnn-dropout-05");
  ser::testing::RunFixtureOptions o;
  o.speakerIndependent = true;
  QVERIFY(ser::testing::writeRunFixture(a_, o));
  QVERIFY(writeBetterRun(a_, b_, 3));
}

void TestCompareCli::jsonHasTheTableTheDiffAndThePairedDifference() {
  const Result r = serwb({"compare", a_, b_, "--json"});
  QVERIFY2(r.code == 0, qPrintable(r.err));
  const nlohmann::json j = nlohmann::json::parse(r.out.toStdString());
  QCOMPARE(j["runs"].size(), std::size_t(2));
  QCOMPARE(j["runs"][0]["name"].get<std::string>(), std::string("cnn-dropout-03"));
  QCOMPARE(j["runs"][0]["wa"].get<double>(), 0.75);            // 18 of 24
  QCOMPARE(j["runs"][1]["wa"].get<double>(), 21.0 / 24.0);     // 3 errors fixed
  QCOMPARE(j["runs"][0]["n"].get<int>(), 24);
  QCOMPARE(j["runs"][0]["protocol"].get<std::string>(), std::string("speakers"));
  QVERIFY(j["runs"][0]["uar_ci95"].is_array());
  // Only the dropout differs in the configuration.
  QCOMPARE(j["config_diff"].size(), std::size_t(1));
  QCOMPARE(j["config_diff"][0]["key"].get<std::string>(), std::string("model.dropout"));
  QCOMPARE(j["config_diff"][0]["values"][1].get<std::string>(), std::string("0.5"));
  // The paired difference: the same as the core comparison of the records.
  const ser::RunComparison expected =
      ser::compareRuns({ser::loadRunRecord(a_.toStdString()), ser::loadRunRecord(b_.toStdString())});
  const nlohmann::json& p = j["pairs"][0];
  QVERIFY(p["paired"].get<bool>());
  QCOMPARE(p["clips"].get<int>(), 24);
  QCOMPARE(p["speakers"].get<int>(), 4);
  QVERIFY(qAbs(p["wa_difference"].get<double>() - 3.0 / 24.0) < 1e-12);
  QCOMPARE(p["uar_difference"].get<double>(), expected.pairs[0].uarDifference);
  QCOMPARE(p["uar_difference_ci95"][0].get<double>(), expected.pairs[0].uarCi95->lo);
  QCOMPARE(p["uar_difference_ci95"][1].get<double>(), expected.pairs[0].uarCi95->hi);
  QVERIFY(p["uar_difference_ci95"][1].get<double>() > 0.0);  // fixes only: never worse

  // Seeded: the same command gives the same interval; another seed another one.
  const Result again = serwb({"compare", a_, b_, "--json"});
  QCOMPARE(again.out, r.out);
}

void TestCompareCli::textShowsTheSameFigures() {
  const Result r = serwb({"compare", a_, b_});
  QVERIFY2(r.code == 0, qPrintable(r.err));
  QVERIFY2(r.out.contains("[1] cnn-dropout-03  cnn  demo-acted  speakers"), qPrintable(r.out));
  QVERIFY(r.out.contains("WA 75.0% ["));
  QVERIFY(r.out.contains("WA 87.5% ["));
  QVERIFY(r.out.contains("model.dropout:  [1] 0.3  [2] 0.5"));
  QVERIFY(r.out.contains("[2] - [1]: UAR +"));
  QVERIFY(r.out.contains("WA +12.5 points ["));
  QVERIFY(r.out.contains("(24 clips, 4 speakers)"));
}

void TestCompareCli::runsOnOtherClipsGetNoPairedFigure() {
  const QString other = tmp_.filePath("other-clips");
  QVERIFY(writeBetterRun(a_, other, 0));
  ser::RunRecord r = ser::loadRunRecord(other.toStdString());
  for (auto& p : r.predictions) p.path.replace(0, 5, "/elsewhere");
  ser::writeRunRecord(other.toStdString(), r);
  const Result res = serwb({"compare", a_, b_, other, "--json"});
  QVERIFY2(res.code == 0, qPrintable(res.err));
  const nlohmann::json j = nlohmann::json::parse(res.out.toStdString());
  QCOMPARE(j["pairs"].size(), std::size_t(3));
  QVERIFY(j["pairs"][0]["paired"].get<bool>());
  QVERIFY(!j["pairs"][1]["paired"].get<bool>());
  QVERIFY(!j["pairs"][1].contains("uar_difference"));
  QVERIFY(j["pairs"][1]["note"].get<std::string>().find("not tested on the same clips") != std::string::npos);
  const Result text = serwb({"compare", a_, other});
  QVERIFY2(text.out.contains("[2] - [1]: the runs were not tested on the same clips (0 in common"),
           qPrintable(text.out));
}

void TestCompareCli::badFoldersAreNamed() {
  const QString missing = tmp_.filePath("no-such-run");
  Result r = serwb({"compare", a_, missing});
  QCOMPARE(r.code, 1);
  QVERIFY2(r.err.contains("no-such-run"), qPrintable(r.err));
  QVERIFY(r.out.isEmpty());

  const QString broken = tmp_.filePath("broken");
  QVERIFY(ser::testing::writeRunFixture(broken));
  QVERIFY(ser::testing::writeText(broken + "/metrics.json", "{ not json"));
  r = serwb({"compare", a_, broken});
  QCOMPARE(r.code, 1);
  QVERIFY2(r.err.contains("metrics.json"), qPrintable(r.err));

  r = serwb({"compare", a_});  // one run: nothing to compare
  QVERIFY(r.code != 0);
  QVERIFY(r.out.isEmpty() || !r.out.contains("Paired"));
}

QTEST_GUILESS_MAIN(TestCompareCli)
#include "test_compare_cli.moc"
