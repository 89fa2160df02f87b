// The compare view: every part comes from the core comparison of the runs it shows (figures,
// paired difference, configuration diff), and the per-run views show each run's own data.
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QLabel>
#include <QLineSeries>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "core/runs/run_record.h"
#include "tests/core/runs/run_fixture.h"
#include "tests/ui/results/snapshot.h"
#include "ui/results/bias_chart_view.h"
#include "ui/results/confusion_matrix_view.h"
#include "core/metrics/percent.h"
#include "ui/results/metrics_format.h"
#include "ui/runs/compare_view.h"

using namespace ser;

namespace {

RunRecord fixture(const QString& dir, bool curves = true) {
  testing::RunFixtureOptions o;
  o.speakerIndependent = true;
  o.withCurves = curves;
  if (!testing::writeRunFixture(dir, o)) qFatal("cannot write %s", qPrintable(dir));
  return loadRunRecord(dir.toStdString());
}

// The fixture with `fixes` errors corrected, a dropout of 0.5 and its curves 5 points higher.
RunRecord better(const RunRecord& base, int fixes) {
  RunRecord r = base;
  r.path = base.path.parent_path() / (base.name() + "-better");
  for (auto& p : r.predictions)
    if (fixes > 0 && p.predicted != p.truth) {
      p.predicted = p.truth;
      --fixes;
    }
  r.metrics = computeReport(r.predictions, r.labels());
  r.config["model"]["dropout"] = 0.5;
  for (auto& e : r.curves) e.val_uar += 0.05;
  return r;
}

QStringList rowTexts(const QTableWidget* t, int row) {
  QStringList out;
  for (int c = 0; c < t->columnCount(); ++c) out << (t->item(row, c) ? t->item(row, c)->text() : QString());
  return out;
}

}  // namespace

class TestCompareView : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void summaryShowsTheComparison();
  void pairedDifferenceAndItsReading();
  void runsOnOtherClipsSayWhy();
  void curvesAreOverlaidOnePerRun();
  void matricesAndBiasSideBySide();
  void showingOtherRunsReplacesTheViews();

 private:
  QTemporaryDir tmp_;
  RunRecord a_, b_;
};

void TestCompareView::initTestCase() {
  QVERIFY(tmp_.isValid());
  a_ = fixture(tmp_.filePath("acted-cnn"));
  b_ = better(a_, 4);
}

void TestCompareView::summaryShowsTheComparison() {
  CompareView view;
  view.setRuns({a_, b_});
  const RunComparison& c = view.comparison();
  QCOMPARE(c.runs.size(), std::size_t(2));
  QTableWidget* m = view.metricsTable();
  QCOMPARE(m->rowCount(), 2);
  const QStringList row0 = rowTexts(m, 0);
  QCOMPARE(row0[0], QString("[1] acted-cnn"));
  QCOMPARE(row0[1], QString("cnn"));
  QCOMPARE(row0[2], QString("demo-acted"));
  QCOMPARE(row0[4], QString("24"));
  QVERIFY2(row0[5].startsWith("75.0% ["), qPrintable(row0[5]));  // WA with its interval
  QVERIFY(rowTexts(m, 1)[5].startsWith("91.7% ["));               // 22 of 24
  QCOMPARE(rowTexts(m, 1)[7], formatPercentCi(b_.metrics.macroF1, b_.metrics.macroF1Ci95, b_.metrics.overall.speakers));

  QTableWidget* cfg = view.configTable();
  QCOMPARE(cfg->rowCount(), 1);
  QCOMPARE(rowTexts(cfg, 0), (QStringList{"model.dropout", "0.3", "0.5"}));
}

void TestCompareView::pairedDifferenceAndItsReading() {
  CompareView view;
  view.setRuns({a_, b_});
  const PairedComparison& p = view.comparison().pairs.at(0);
  QVERIFY(p.paired);
  QVERIFY(p.uarCi95.has_value());
  const QStringList row = rowTexts(view.pairsTable(), 0);
  QCOMPARE(row[0], QString("[2] acted-cnn-better \u2212 [1] acted-cnn"));
  QCOMPARE(row[1], QString("24 clips, 4 speakers"));
  // Rounded as the CLI rounds (core/metrics/percent.h; QString::asprintf rounds ties differently).
  const QString expected = QString::fromStdString(ser::pointsNumber(p.uarDifference) + " points [" +
                                                  ser::pointsNumber(p.uarCi95->lo) + ", " +
                                                  ser::pointsNumber(p.uarCi95->hi) + "]");
  QCOMPARE(row[2], expected);
  QVERIFY(p.uarDifference > 0);
  QCOMPARE(row[4], p.uarDifferenceExcludesZero() ? QString("[2] acted-cnn-better is better: the interval excludes 0")
                                                 : QString("no clear difference: the interval includes 0"));
  QVERIFY(view.headline()->text().contains(expected));

  // Identical runs: a zero difference that the view calls no difference.
  view.setRuns({a_, a_});
  QCOMPARE(rowTexts(view.pairsTable(), 0)[2], QString("+0.0 points [+0.0, +0.0]"));
  QCOMPARE(rowTexts(view.pairsTable(), 0)[4], QString("no clear difference: the interval includes 0"));
  QCOMPARE(rowTexts(view.configTable(), 0)[0], QString("(the configurations are the same)"));
}

void TestCompareView::runsOnOtherClipsSayWhy() {
  RunRecord other = b_;
  for (auto& p : other.predictions) p.path = "/elsewhere" + p.path;
  CompareView view;
  view.setRuns({a_, other});
  const QStringList row = rowTexts(view.pairsTable(), 0);
  QCOMPARE(row[1], QString("not the same clips"));
  QCOMPARE(row[2], QString("\u2013"));
  QVERIFY2(row[4].contains("not tested on the same clips"), qPrintable(row[4]));
  QVERIFY(view.headline()->text().contains("no paired figure"));
}

void TestCompareView::curvesAreOverlaidOnePerRun() {
  const RunRecord svm = fixture(tmp_.filePath("acted-svm"), false);
  CompareView view;
  view.setRuns({a_, b_, svm});
  const auto uar = view.uarCurves()->chart()->series();
  QCOMPARE(uar.size(), 2);  // the SVM has no curves
  auto* s0 = qobject_cast<QLineSeries*>(uar[0]);
  auto* s1 = qobject_cast<QLineSeries*>(uar[1]);
  QCOMPARE(s0->count(), 8);
  QCOMPARE(s0->at(6).y(), 100 * a_.curves[6].val_uar);
  QCOMPARE(s1->at(6).y(), 100 * b_.curves[6].val_uar);
  QCOMPARE(s0->pen().color(), CompareView::runColor(0));
  QCOMPARE(s1->pen().color(), CompareView::runColor(1));
  QCOMPARE(view.lossCurves()->chart()->series().size(), 4);  // train and validation per run
  QVERIFY(view.curvesNote()->text().contains("[3] acted-svm"));
  QCOMPARE(view.uarCurves()->chart()->legend()->alignment(), Qt::AlignBottom);
}

void TestCompareView::matricesAndBiasSideBySide() {
  CompareView view;
  view.setRuns({a_, b_});
  view.resize(1400, 900);
  for (int t = 0; t < view.tabs()->count(); ++t) {  // SERWB_SNAPSHOT_DIR set: PNGs to look at
    view.tabs()->setCurrentIndex(t);
    testing::snapshot(&view, QStringLiteral("compare-view-%1").arg(t));
  }
  QCOMPARE(view.confusionViews().size(), 2);
  ConfusionMatrixView* ma = view.confusionViews()[0];
  ConfusionMatrixView* mb = view.confusionViews()[1];
  QCOMPARE(ma->count(1, 3), double(a_.metrics.confusion[1][3]));
  QCOMPARE(mb->count(1, 1), double(b_.metrics.confusion[1][1]));
  QVERIFY(ma->count(1, 1) != mb->count(1, 1) || ma->count(0, 0) != mb->count(0, 0));
  QVERIFY(ma->normalized() && mb->normalized());  // runs may differ in n
  view.normalizeToggle()->setChecked(false);
  QVERIFY(!ma->normalized() && !mb->normalized());
  QCOMPARE(view.biasViews().size(), 2);
  QVERIFY(!view.biasViews()[0]->gapText().isEmpty());
}

void TestCompareView::showingOtherRunsReplacesTheViews() {
  CompareView view;
  view.setRuns({a_, b_, a_});
  QCOMPARE(view.confusionViews().size(), 3);
  QCOMPARE(view.pairsTable()->rowCount(), 3);
  view.setRuns({a_, b_});
  QCOMPARE(view.confusionViews().size(), 2);
  QCOMPARE(view.biasViews().size(), 2);
  QCOMPARE(view.pairsTable()->rowCount(), 1);
  QCOMPARE(view.metricsTable()->rowCount(), 2);
}

QTEST_MAIN(TestCompareView)
#include "tst_compare_view.moc"
