#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "core/runs/run_record.h"
#include "tests/core/runs/run_fixture.h"
#include "tests/ui/results/snapshot.h"
#include "ui/results/confusion_matrix_view.h"
#include "ui/results/misclassified_panel.h"
#include "ui/results/results_panel.h"

namespace {
enum Column { File, Speaker, Sex, True, Predicted, Confidence, Top };
}

class TestMisclassifiedPanel : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void listsOnlyMistakesMostConfidentFirst();
  void comboFilters();
  void confusionClickFiltersList_data();
  void confusionClickFiltersList();
  void selectionEmitsPathAndKeysStep();
  void topProbabilities();
  void syntheticRunIsLabelled();

 private:
  QTemporaryDir tmp_;
  ser::RunRecord run_;
};

void TestMisclassifiedPanel::initTestCase() {
  QVERIFY(ser::testing::writeRunFixture(tmp_.path()));
  run_ = ser::loadRunRecord(tmp_.path().toStdString());
}

void TestMisclassifiedPanel::listsOnlyMistakesMostConfidentFirst() {
  ser::MisclassifiedPanel panel;
  panel.setRun(run_);
  QCOMPARE(panel.misclassifiedCount(), 6);
  QCOMPARE(panel.visibleCount(), 6);
  QTableWidget* t = panel.table();
  for (int r = 0; r < t->rowCount(); ++r) QVERIFY(t->item(r, True)->text() != t->item(r, Predicted)->text());
  QCOMPARE(t->item(0, File)->text(), QString("03-01-03-01-01-01-01.wav"));
  QCOMPARE(t->item(0, Confidence)->text(), QString("0.60"));
  QCOMPARE(t->item(5, Confidence)->text(), QString("0.44"));
  QCOMPARE(t->item(1, File)->toolTip(), QString("/data/demo-acted/Actor_03/take 2, loud/03-01-03-01-01-01-03.wav"));
}

void TestMisclassifiedPanel::comboFilters() {
  ser::MisclassifiedPanel panel;
  panel.setRun(run_);
  auto* trueCombo = panel.findChildren<QComboBox*>().value(0);
  QVERIFY(trueCombo);
  trueCombo->setCurrentIndex(trueCombo->findData("happy"));
  QCOMPARE(panel.trueFilter(), QString("happy"));
  QCOMPARE(panel.visibleCount(), 3);  // happy -> angry x2, happy -> neutral
  panel.filterTo("", "");
  QCOMPARE(panel.visibleCount(), 6);
}

void TestMisclassifiedPanel::confusionClickFiltersList_data() {
  QTest::addColumn<int>("row");
  QTest::addColumn<int>("col");
  QTest::addColumn<int>("expected");
  QTest::newRow("happy -> angry") << 1 << 3 << 2;
  QTest::newRow("angry -> happy") << 3 << 1 << 1;
  QTest::newRow("neutral -> sad") << 0 << 2 << 1;
  QTest::newRow("sad -> happy (empty)") << 2 << 1 << 0;
  QTest::newRow("diagonal neutral: the correct ones") << 0 << 0 << 5;
  QTest::newRow("diagonal happy: the correct ones") << 1 << 1 << 3;
}

void TestMisclassifiedPanel::confusionClickFiltersList() {
  QFETCH(int, row);
  QFETCH(int, col);
  QFETCH(int, expected);
  ser::ResultsPanel results;
  ser::MisclassifiedPanel list;
  QObject::connect(&results, &ser::ResultsPanel::cellClicked, &list, &ser::MisclassifiedPanel::filterTo);
  results.setRun(run_);
  list.setRun(run_);
  results.resize(900, 700);
  results.show();
  QVERIFY(QTest::qWaitForWindowExposed(&results));
  ser::ConfusionMatrixView* view = results.confusionView();
  QTest::mouseClick(view, Qt::LeftButton, {}, view->cellRect(row, col).center());
  const QString trueLabel = view->labels()[row], predicted = view->labels()[col];
  QCOMPARE(list.trueFilter(), trueLabel);
  QCOMPARE(list.predictedFilter(), predicted);
  QCOMPARE(list.visibleCount(), expected);
  for (int r = 0; r < list.table()->rowCount(); ++r) {
    QCOMPARE(list.table()->item(r, True)->text(), trueLabel);
    QCOMPARE(list.table()->item(r, Predicted)->text(), predicted);
  }
}

void TestMisclassifiedPanel::selectionEmitsPathAndKeysStep() {
  ser::MisclassifiedPanel panel;
  panel.setRun(run_);
  panel.resize(900, 400);
  panel.show();
  panel.activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(&panel));
  QSignalSpy spy(&panel, &ser::MisclassifiedPanel::clipSelected);
  panel.table()->setFocus();
  QTest::keyClick(panel.table(), Qt::Key_N);
  QCOMPARE(spy.count(), 1);
  QCOMPARE(spy.last().at(0).toString(), QString("/data/demo-acted/Actor_01/03-01-03-01-01-01-01.wav"));
  QTest::keyClick(panel.table(), Qt::Key_N);
  QCOMPARE(spy.last().at(0).toString(), QString("/data/demo-acted/Actor_03/take 2, loud/03-01-03-01-01-01-03.wav"));
  QTest::keyClick(panel.table(), Qt::Key_P);
  QCOMPARE(spy.count(), 3);
  QCOMPARE(panel.selectedPath(), QString("/data/demo-acted/Actor_01/03-01-03-01-01-01-01.wav"));
  QTest::keyClick(panel.table(), Qt::Key_P);  // already first: stays
  QCOMPARE(panel.table()->currentRow(), 0);
  ser::testing::snapshot(&panel, "misclassified");
}

void TestMisclassifiedPanel::topProbabilities() {
  const auto& row = run_.predictions[1];  // happy -> angry 0.06 0.31 0.03 0.60
  QCOMPARE(ser::topProbabilitiesText(run_.labels(), row, 2), QString("angry 0.60 \u00b7 happy 0.31"));
}

// A run on the demo corpus says so on this tab too, as on every other view of it.
void TestMisclassifiedPanel::syntheticRunIsLabelled() {
  auto countText = [](const ser::MisclassifiedPanel& panel) {
    for (const QLabel* label : panel.findChildren<QLabel*>())
      if (label->text().contains(QStringLiteral("misclassified clips"))) return label->text();
    return QString();
  };
  ser::RunRecord run = run_;
  run.synthetic = false;
  ser::MisclassifiedPanel panel;
  panel.setRun(run);
  QCOMPARE(countText(panel), QStringLiteral("6 of 6 misclassified clips (24 test clips)"));
  run.synthetic = true;
  panel.setRun(run);
  QCOMPARE(countText(panel), QStringLiteral("6 of 6 misclassified clips (24 test clips) \u00b7 SYNTHETIC demo data"));
  panel.clear();
  QVERIFY(!countText(panel).contains(QStringLiteral("SYNTHETIC")));
}

QTEST_MAIN(TestMisclassifiedPanel)
#include "tst_misclassified_panel.moc"
