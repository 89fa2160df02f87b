// The run history in the workbench: every folder opened is remembered, File > Recent runs opens
// it again, and comparing runs from the Runs tab opens the Compare tab.
#include <QAction>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/core/runs/run_fixture.h"
#include "ui/main_window/main_window.h"
#include "ui/main_window/workbench.h"
#include "ui/runs/compare_view.h"
#include "ui/runs/run_history.h"
#include "ui/runs/run_history_model.h"
#include "ui/runs/runs_panel.h"

using namespace ser;

class TestRunsWorkbench : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void init();
  void openedFoldersAreRemembered();
  void recentRunsMenuOpensARun();
  void compareFromTheRunsTab();

 private:
  QTemporaryDir tmp_;
  QString a_, b_, study_;
};

void TestRunsWorkbench::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QVERIFY(tmp_.isValid());
  testing::RunFixtureOptions o;
  o.speakerIndependent = true;
  a_ = tmp_.filePath("run-a");
  b_ = tmp_.filePath("run-b");
  study_ = tmp_.filePath("study");
  QVERIFY(testing::writeRunFixture(a_, o));
  QVERIFY(testing::writeRunFixture(b_, o));
  QVERIFY(testing::writeStudyFixture(study_));
}

void TestRunsWorkbench::init() { QFile::remove(RunHistory::defaultFile()); }

void TestRunsWorkbench::openedFoldersAreRemembered() {
  {
    MainWindow window;
    Workbench* bench = new Workbench(&window);
    QVERIFY(bench->openFolder(a_));
    QVERIFY(bench->openFolder(study_));
    QCOMPARE(bench->runs()->model()->rowCount(), 2);
    QVERIFY(!bench->openFolder(tmp_.filePath("nothing-here")));  // refused: not remembered
    QCOMPARE(bench->runs()->model()->rowCount(), 2);
  }
  // A new session (window) lists them from the database.
  MainWindow window;
  Workbench* bench = new Workbench(&window);
  QStringList names;
  for (const auto& e : bench->runs()->model()->entries()) names << e.name;
  names.sort();
  QCOMPARE(names, (QStringList{"run-a", "study"}));
}

void TestRunsWorkbench::recentRunsMenuOpensARun() {
  MainWindow window;
  Workbench* bench = new Workbench(&window);
  QVERIFY(bench->openFolder(a_));
  QMenu* menu = window.recentRunsMenu();
  QVERIFY(menu);
  emit menu->aboutToShow();
  QAction* entry = nullptr;
  for (QAction* a : menu->actions())
    if (a->text() == "run-a") entry = a;
  QVERIFY(entry);
  QVERIFY(QDir(b_).exists());
  QVERIFY(bench->openFolder(b_));
  QCOMPARE(QString::fromStdString(bench->currentRun()->name()), QString("run-b"));
  entry->trigger();
  QCOMPARE(QString::fromStdString(bench->currentRun()->name()), QString("run-a"));
}

void TestRunsWorkbench::compareFromTheRunsTab() {
  MainWindow window;
  Workbench* bench = new Workbench(&window);
  QVERIFY(bench->openFolder(a_));
  QVERIFY(bench->openFolder(b_));
  QVERIFY(!bench->compare());
  bench->runs()->selectPaths({QDir(a_).absolutePath(), QDir(b_).absolutePath()});
  bench->runs()->compareSelected();
  QVERIFY(bench->compare());
  QCOMPARE(window.findChild<QTabWidget*>()->currentWidget(), static_cast<QWidget*>(bench->compare()));
  QCOMPARE(bench->compare()->comparison().runs.size(), std::size_t(2));
  QVERIFY(bench->compare()->comparison().pairs.at(0).paired);
  QCOMPARE(bench->compare()->comparison().pairs.at(0).uarDifference, 0.0);  // the same predictions

  // A folder deleted since it was listed is left out with a message; one run is not a comparison.
  QVERIFY(QDir(b_).removeRecursively());
  QVERIFY(!bench->compareFolders({a_, b_}));
  QVERIFY(testing::writeRunFixture(b_, {}));  // restore for later tests
}

QTEST_MAIN(TestRunsWorkbench)
#include "tst_runs_workbench.moc"
