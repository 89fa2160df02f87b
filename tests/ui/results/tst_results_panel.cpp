#include <QBarSeries>
#include <QBarSet>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChartView>
#include <QCheckBox>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "core/runs/run_folder.h"
#include "core/runs/study_table.h"
#include "tests/core/runs/run_fixture.h"
#include "tests/ui/results/snapshot.h"
#include "ui/results/bias_chart_view.h"
#include "ui/results/confusion_matrix_view.h"
#include "ui/results/per_class_table.h"
#include "ui/results/results_panel.h"
#include "ui/results/run_summary_header.h"
#include "ui/results/speaker_accuracy_chart.h"
#include "ui/results/study_table_panel.h"
#include "ui/results/training_curves_view.h"

using ser::testing::RunFixtureOptions;

class TestResultsPanel : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void confusionShowsCountsAndShares();
  void confusionCellsAreShadedByShare();
  void cellClickEmitsLabels();
  void perClassTable();
  void headerWarnsAboutLeakage_data();
  void headerWarnsAboutLeakage();
  void biasChartsBySex();
  void speakersInNaturalOrder();
  void curvesOrNote();
  void studyTable();

 private:
  ser::RunFolder load(const RunFixtureOptions& o = {});
  QTemporaryDir tmp_;
  int runs_ = 0;
};

void TestResultsPanel::initTestCase() { QVERIFY(tmp_.isValid()); }

ser::RunFolder TestResultsPanel::load(const RunFixtureOptions& o) {
  const QString dir = tmp_.filePath(QStringLiteral("run%1").arg(++runs_));
  if (!ser::testing::writeRunFixture(dir, o)) qFatal("cannot write fixture");
  return ser::loadRunFolder(dir.toStdString());
}

void TestResultsPanel::confusionShowsCountsAndShares() {
  ser::ResultsPanel panel;
  panel.setRun(load());
  const ser::ConfusionMatrixView* view = panel.confusionView();
  QCOMPARE(view->labels(), QStringList({"neutral", "happy", "sad", "angry"}));
  // Rows true, columns predicted: happy -> angry twice, angry -> happy once, 5 neutral right.
  QCOMPARE(view->cellText(1, 3), QString("2"));
  QCOMPARE(view->cellText(3, 1), QString("1"));
  QCOMPARE(view->cellText(0, 0), QString("5"));
  QCOMPARE(view->cellText(0, 1), QString("0"));
  panel.normalizeToggle()->setChecked(true);
  QVERIFY(view->normalized());
  QCOMPARE(view->cellText(1, 3), QString("33%"));
  QCOMPARE(view->cellText(0, 0), QString("83%"));
  panel.normalizeToggle()->setChecked(false);
  QCOMPARE(view->cellText(1, 1), QString("3"));
}

void TestResultsPanel::confusionCellsAreShadedByShare() {
  ser::ConfusionMatrixView view;
  view.setMatrix({"neutral", "happy", "sad", "angry"}, {{5, 0, 1, 0}, {1, 3, 0, 2}, {1, 0, 5, 0}, {0, 1, 0, 5}});
  view.resize(420, 400);
  const QImage img = view.grab().toImage();
  auto lightness = [&](int r, int c) {
    // Sample near the cell corner, away from the centred text.
    const QRect rect = view.cellRect(r, c);
    return QColor(img.pixel(rect.left() + 4, rect.top() + 4)).lightness();
  };
  QVERIFY(view.cellRect(0, 0).width() > 40);
  QVERIFY(lightness(0, 0) < lightness(0, 2));  // 5/6 darker than 1/6
  QVERIFY(lightness(0, 2) < lightness(0, 1));  // 1/6 darker than 0
  QCOMPARE(lightness(1, 2), lightness(0, 1));  // both empty
  QCOMPARE(view.cellAt(view.cellRect(2, 3).center()), std::make_pair(2, 3));
  QCOMPARE(view.cellAt(QPoint(1, 1)), std::make_pair(-1, -1));
}

void TestResultsPanel::cellClickEmitsLabels() {
  ser::ResultsPanel panel;
  panel.setRun(load());
  panel.resize(900, 700);
  panel.show();
  QVERIFY(QTest::qWaitForWindowExposed(&panel));
  QSignalSpy spy(&panel, &ser::ResultsPanel::cellClicked);
  ser::ConfusionMatrixView* view = panel.confusionView();
  QTest::mouseClick(view, Qt::LeftButton, {}, view->cellRect(3, 1).center());
  QCOMPARE(spy.count(), 1);
  QCOMPARE(spy.at(0).at(0).toString(), QString("angry"));
  QCOMPARE(spy.at(0).at(1).toString(), QString("happy"));
  QTest::mouseClick(view, Qt::LeftButton, {}, QPoint(2, 2));  // outside the grid
  QCOMPARE(spy.count(), 1);
  ser::testing::snapshot(&panel, "results_confusion");
  for (int t = 1; t < panel.tabs()->count(); ++t) {
    panel.tabs()->setCurrentIndex(t);
    QCoreApplication::processEvents();
    ser::testing::snapshot(&panel, QStringLiteral("results_tab%1").arg(t));
  }
}

void TestResultsPanel::perClassTable() {
  ser::PerClassTable table;
  table.setRun(load());
  QCOMPARE(table.rowCount(), 4);
  QCOMPARE(table.item(1, 0)->text(), QString("happy"));
  QCOMPARE(table.item(1, 2)->text(), QString("50.0%"));   // recall
  QCOMPARE(table.item(1, 4)->text(), QString("6"));       // support
  QCOMPARE(table.item(1, 6)->text(), QString("33.3%"));   // recall, male
}

void TestResultsPanel::headerWarnsAboutLeakage_data() {
  QTest::addColumn<bool>("speakerIndependent");
  QTest::newRow("random split") << false;
  QTest::newRow("speaker-independent") << true;
}

void TestResultsPanel::headerWarnsAboutLeakage() {
  QFETCH(bool, speakerIndependent);
  RunFixtureOptions o;
  o.speakerIndependent = speakerIndependent;
  ser::RunSummaryHeader header;
  header.setRun(load(o));
  QCOMPARE(header.leakageWarningVisible(), !speakerIndependent);
  if (!speakerIndependent) QVERIFY(header.leakageWarning().contains("speaker leakage, accuracy is optimistic"));
  QVERIFY2(header.summaryText().contains("75.0% [58.3\u201391.7]"), qPrintable(header.summaryText()));
  QVERIFY(header.summaryText().contains(speakerIndependent ? "<b>Protocol</b> speaker-independent &nbsp;"
                                                           : "random (NOT speaker-independent)"));
}

void TestResultsPanel::biasChartsBySex() {
  ser::BiasChartView bias;
  bias.setRun(load());
  const auto overall = bias.overallChart()->chart()->series();
  QCOMPARE(overall.size(), 2);
  auto* wa = qobject_cast<QBoxPlotSeries*>(overall[0]);
  QVERIFY(wa);
  QCOMPARE(wa->count(), 2);  // female, male
  QCOMPARE(wa->boxSets()[0]->at(QBoxSet::Median), 83.33);           // female WA
  QCOMPARE(wa->boxSets()[1]->at(QBoxSet::LowerQuartile), 41.67);    // male WA interval low
  const auto perEmotion = bias.perEmotionChart()->chart()->series();
  QCOMPARE(perEmotion.size(), 1);
  auto* bars = qobject_cast<QBarSeries*>(perEmotion[0]);
  QCOMPARE(bars->count(), 2);
  QCOMPARE(bars->barSets()[1]->label(), QString("Male"));
  QCOMPARE(bars->barSets()[1]->at(1), 33.33);  // male recall of happy
  QVERIFY2(bias.gapText().contains("+16.7 points"), qPrintable(bias.gapText()));
  QVERIFY(bias.gapText().contains("includes zero"));
}

void TestResultsPanel::speakersInNaturalOrder() {
  ser::SpeakerAccuracyChart chart;
  chart.setRun(load());
  QCOMPARE(chart.speakers(), QStringList({"Actor_01", "Actor_02", "Actor_03", "Actor_04"}));
  auto* series = qobject_cast<QAbstractBarSeries*>(chart.chart()->series().value(0));
  QVERIFY(series);
  QCOMPARE(series->count(), 2);  // female and male sets; no unknown-sex set
  QCOMPARE(series->barSets()[1]->at(2), 50.0);  // Actor_03 (male)
  QCOMPARE(series->barSets()[0]->at(2), 0.0);
}

void TestResultsPanel::curvesOrNote() {
  ser::TrainingCurvesView view;
  view.setRun(load());
  QVERIFY(view.hasCurves());
  QCOMPARE(view.lossChart()->chart()->series().size(), 2);
  QCOMPARE(view.accuracyChart()->chart()->series().size(), 3);
  RunFixtureOptions svm;
  svm.withCurves = false;
  view.setRun(load(svm));
  QVERIFY(!view.hasCurves());
}

void TestResultsPanel::studyTable() {
  QTemporaryDir dir;
  QVERIFY(ser::testing::writeStudyFixture(dir.path()));
  ser::StudyTablePanel panel;
  panel.setStudy(ser::loadStudy(dir.path().toStdString()));
  QCOMPARE(panel.table()->rowCount(), 3);
  QCOMPARE(panel.table()->item(1, 5)->text(), QString("41.2%"));
  auto* bars = qobject_cast<QBarSeries*>(panel.chart()->chart()->series().value(0));
  QVERIFY(bars);
  QCOMPARE(bars->barSets()[1]->at(1), 38.6);
  QSignalSpy spy(&panel, &ser::StudyTablePanel::runActivated);
  emit panel.table()->cellDoubleClicked(0, 0);
  emit panel.table()->cellDoubleClicked(2, 0);  // no run folder
  QCOMPARE(spy.count(), 1);
  QCOMPARE(spy.at(0).at(0).toString(), dir.path() + "/acted-cnn");
  panel.resize(900, 650);
  ser::testing::snapshot(&panel, "study_table");
}

QTEST_MAIN(TestResultsPanel)
#include "tst_results_panel.moc"
