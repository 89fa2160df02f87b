// core/runs/config_summary: the configuration grouped by meaning, as the PDF report shows it.
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

#include "core/runs/config_summary.h"
#include "tests/core/runs/run_fixture.h"

namespace {

const ser::ConfigGroup* find(const std::vector<ser::ConfigGroup>& groups, const std::string& title) {
  for (const auto& g : groups)
    if (g.title == title) return &g;
  return nullptr;
}

const ser::ConfigRow* row(const ser::ConfigGroup* g, const std::string& key) {
  if (!g) return nullptr;
  for (const auto& r : g->rows)
    if (r.key == key) return &r;
  return nullptr;
}

}  // namespace

class TestConfigSummary : public QObject {
  Q_OBJECT

 private slots:
  void groupsByMeaning() {
    QTemporaryDir tmp;
    QVERIFY(ser::testing::writeRunFixture(tmp.filePath("run")));
    ser::RunRecord run = ser::loadRunRecord(tmp.filePath("run").toStdString());
    run.model = "cnn";
    run.config["svm"] = {{"c_grid", {1, 10}}};
    run.config["cache"] = "/home/me/.cache/serwb/features";
    run.config["my_note"] = "tried twice";
    const auto groups = ser::configSummary(run);
    std::vector<std::string> titles;
    for (const auto& g : groups) titles.push_back(g.title);
    QCOMPARE(titles, (std::vector<std::string>{"Data", "Split", "Model", "Training", "Evaluation", "Other"}));
    QCOMPARE(QString::fromStdString(row(find(groups, "Data"), "front_end.n_mels")->value), QString("64"));
    QCOMPARE(QString::fromStdString(row(find(groups, "Data"), "corpora[0].name")->value), QString("demo-acted"));
    QVERIFY(row(find(groups, "Split"), "split.protocol"));
    QCOMPARE(QString::fromStdString(row(find(groups, "Split"), "speaker-independent")->value), QString("no"));
    QCOMPARE(QString::fromStdString(row(find(groups, "Model"), "model.channels")->value), QString("16, 32, 64"));
    QCOMPARE(QString::fromStdString(row(find(groups, "Training"), "training.epochs")->value), QString("8"));
    QCOMPARE(QString::fromStdString(row(find(groups, "Training"), "seed")->value), QString("1234"));
    QCOMPARE(QString::fromStdString(row(find(groups, "Evaluation"), "test clips / speakers")->value), QString("24 / 4"));
    QCOMPARE(QString::fromStdString(row(find(groups, "Other"), "my_note")->value), QString("tried twice"));
    // Not what matters: the SVM's grid for a network, the cache folder.
    for (const auto& g : groups)
      for (const auto& r : g.rows) {
        QVERIFY2(r.key.rfind("svm", 0) != 0, r.key.c_str());
        QVERIFY2(r.key != "cache", r.key.c_str());
      }
  }

  void svmRunsShowTheGridAndTheChoiceNotTheOptimiser() {
    QTemporaryDir tmp;
    QVERIFY(ser::testing::writeRunFixture(tmp.filePath("run")));
    ser::RunRecord run = ser::loadRunRecord(tmp.filePath("run").toStdString());
    run.model = "svm";
    run.config["svm"] = {{"c_grid", {1, 10}}};
    run.training.svmC = 10.0;
    const auto groups = ser::configSummary(run);
    QCOMPARE(QString::fromStdString(row(find(groups, "Model"), "svm.c_grid")->value), QString("1, 10"));
    QCOMPARE(QString::fromStdString(row(find(groups, "Model"), "chosen C")->value), QString("10.0000"));
    QVERIFY(!row(find(groups, "Training"), "training.epochs"));
    QVERIFY(row(find(groups, "Training"), "seed"));
  }
};

QTEST_GUILESS_MAIN(TestConfigSummary)
#include "tst_config_summary.moc"
