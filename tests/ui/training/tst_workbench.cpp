// The workbench wiring: run and study folders open into the right tabs, a confusion cell leads to
// the Misclassified tab filtered to it, a misclassified clip goes to the preview, the dataset
// reaches the Training panel, and export follows what is open.
#include <QAction>
#include <QMenuBar>
#include <QMessageBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QLabel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/core/runs/run_fixture.h"
#include "ui/dataset/clip_preview.h"
#include "ui/main_window/main_window.h"
#include "ui/main_window/misclassified_view.h"
#include "ui/main_window/workbench.h"
#include "ui/results/confusion_matrix_view.h"
#include "ui/results/misclassified_panel.h"
#include "ui/results/results_panel.h"
#include "ui/results/study_table_panel.h"
#include "ui/training/training_panel.h"

using namespace ser;

namespace {

QAction* findAction(QWidget* window, const QString& prefix) {
  for (QAction* a : window->findChildren<QAction*>())
    if (a->text().remove(QLatin1Char('&')).startsWith(prefix)) return a;
  return nullptr;
}

QWidget* currentTab(MainWindow& w) { return w.findChild<QTabWidget*>()->currentWidget(); }

}  // namespace

class TestWorkbench : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void panelsAreInstalled();
  void showTabOpensEachNamedTab();
  void confusionCellFiltersMisclassified();
  void studyOpensItsRuns();
  void badFoldersAreRefused();
  void datasetReachesTraining();

 private:
  QTemporaryDir tmp_;
};

void TestWorkbench::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QVERIFY(tmp_.isValid());
  QVERIFY(testing::writeRunFixture(tmp_.filePath("run")));
  QVERIFY(testing::writeStudyFixture(tmp_.filePath("study")));
}

void TestWorkbench::panelsAreInstalled() {
  MainWindow window;
  Workbench* bench = new Workbench(&window);
  QCOMPARE(window.panel(MainWindow::Panel::Training), static_cast<QWidget*>(bench->training()));
  QCOMPARE(window.panel(MainWindow::Panel::Results), static_cast<QWidget*>(bench->results()));
  QCOMPARE(window.panel(MainWindow::Panel::Misclassified), static_cast<QWidget*>(bench->misclassified()));
  auto* tabs = window.findChild<QTabWidget*>();
  QCOMPARE(tabs->count(), 7);  // Dataset, Training, Results, Misclassified, Runs, Predict, Microphone
  QCOMPARE(tabs->tabText(4), QStringLiteral("Runs"));
  QCOMPARE(tabs->tabText(1), QStringLiteral("Training"));
  QAction* exportAction = findAction(&window, QStringLiteral("Export report"));
  QVERIFY(exportAction);
  QVERIFY(!exportAction->isEnabled());
  QVERIFY(bench->openFolder(tmp_.filePath("run")));
  QVERIFY(exportAction->isEnabled());
}

// serwb-gui --show TAB: each name lands on its own tab; an unknown name changes nothing.
void TestWorkbench::showTabOpensEachNamedTab() {
  MainWindow window;
  Workbench* bench = new Workbench(&window);
  auto* tabs = window.findChild<QTabWidget*>();
  const QList<QPair<QString, QString>> expected = {
      {"dataset", "Dataset"}, {"training", "Training"}, {"results", "Results"},
      {"misclassified", "Misclassified"}, {"runs", "Runs"}, {"predict", "Predict"},
      {"microphone", "Microphone"}};
  for (const auto& [name, title] : expected) {
    QVERIFY2(bench->showTab(name), qPrintable(name));
    QCOMPARE(tabs->tabText(tabs->currentIndex()), title);
  }
  QVERIFY(bench->showTab(QStringLiteral("clip-map")));
  QCOMPARE(tabs->tabText(tabs->currentIndex()), QStringLiteral("Results"));
  QVERIFY(!bench->showTab(QStringLiteral("train")));
  QCOMPARE(tabs->tabText(tabs->currentIndex()), QStringLiteral("Results"));
}

void TestWorkbench::confusionCellFiltersMisclassified() {
  MainWindow window;
  Workbench* bench = new Workbench(&window);
  window.resize(1280, 860);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QVERIFY(bench->openFolder(tmp_.filePath("run")));
  QCOMPARE(currentTab(window), static_cast<QWidget*>(bench->results()));
  MisclassifiedPanel* list = bench->misclassified()->list();
  QCOMPARE(list->misclassifiedCount(), 6);

  ConfusionMatrixView* view = bench->results()->confusionView();
  QTest::mouseClick(view, Qt::LeftButton, {}, view->cellRect(1, 3).center());  // happy -> angry
  QCOMPARE(currentTab(window), static_cast<QWidget*>(bench->misclassified()));
  QCOMPARE(list->trueFilter(), QStringLiteral("happy"));
  QCOMPARE(list->predictedFilter(), QStringLiteral("angry"));
  QCOMPARE(list->visibleCount(), 2);

  // Selecting a mistake starts its preview (the fixture's audio does not exist: the preview says so).
  QSignalSpy failed(bench->misclassified()->preview(), &ClipPreview::loadFailed);
  list->table()->selectRow(0);
  QCOMPARE(list->selectedPath().isEmpty(), false);
  QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
  QCOMPARE(failed.at(0).at(0).toString(), list->selectedPath());
}

void TestWorkbench::studyOpensItsRuns() {
  MainWindow window;
  Workbench* bench = new Workbench(&window);
  QVERIFY(!bench->study());
  QVERIFY(bench->openFolder(tmp_.filePath("study")));
  QVERIFY(bench->study());
  QVERIFY(bench->currentStudy());
  QCOMPARE(currentTab(window), static_cast<QWidget*>(bench->study()));
  QCOMPARE(bench->study()->table()->rowCount(), 3);
  emit bench->study()->runActivated(tmp_.filePath("study/acted-cnn"));
  QVERIFY(bench->currentRun());
  QCOMPARE(QString::fromStdString(bench->currentRun()->name()), QStringLiteral("acted-cnn"));
  QCOMPARE(currentTab(window), static_cast<QWidget*>(bench->results()));
  // Opening a second study reuses the tab: the seven panels and one study tab.
  const int tabs = window.findChild<QTabWidget*>()->count();
  QCOMPARE(tabs, 8);
  QVERIFY(bench->openFolder(tmp_.filePath("study")));
  QCOMPARE(window.findChild<QTabWidget*>()->count(), tabs);
}

void TestWorkbench::badFoldersAreRefused() {
  MainWindow window;
  Workbench* bench = new Workbench(&window);
  QVERIFY(!bench->openFolder(tmp_.filePath("nowhere")));
  QDir(tmp_.path()).mkpath("broken");
  QVERIFY(testing::writeText(tmp_.filePath("broken/metrics.json"), "{ not json"));
  QVERIFY(!bench->openFolder(tmp_.filePath("broken")));
  QVERIFY(!bench->currentRun());
  QVERIFY(window.findChildren<QMessageBox*>().size() >= 1);  // told, without blocking
}

void TestWorkbench::datasetReachesTraining() {
  MainWindow window;
  Workbench* bench = new Workbench(&window);
  QVERIFY(!bench->training()->hasDataset());
  Experiment dataset;
  CorpusSpec spec;
  spec.path = "/data/demo-acted";
  spec.name = "demo-acted";
  dataset.corpora = {spec};
  dataset.split.testSpeakers = {"demo-acted:01"};
  window.setDataset(dataset, nullptr);
  QVERIFY(bench->training()->hasDataset());
}

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"
