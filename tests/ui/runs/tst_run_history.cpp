// The run history: the SQLite round trip in a test data folder, folders that went missing, and
// the Runs panel's sorting, filtering, opening, comparing and removing.
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "core/runs/run_record.h"
#include "core/runs/study_table.h"
#include "tests/core/runs/run_fixture.h"
#include "tests/ui/results/snapshot.h"
#include "ui/runs/run_history.h"
#include "ui/runs/run_history_model.h"
#include "ui/runs/runs_panel.h"

using namespace ser;

namespace {

// A run folder like the fixture's, with its model and its figures changed: `errorsFixed` of the
// fixture's six errors corrected.
QString writeRun(const QString& dir, const std::string& model, int errorsFixed) {
  testing::RunFixtureOptions o;
  o.speakerIndependent = true;
  if (!testing::writeRunFixture(dir, o)) return {};
  RunRecord r = loadRunRecord(dir.toStdString());
  for (auto& p : r.predictions)
    if (errorsFixed > 0 && p.predicted != p.truth) {
      p.predicted = p.truth;
      --errorsFixed;
    }
  r.metrics = computeReport(r.predictions, r.labels());
  r.model = model;
  writeRunRecord(dir.toStdString(), r);
  return dir;
}

QStringList column(const QSortFilterProxyModel* proxy, int col) {
  QStringList out;
  for (int r = 0; r < proxy->rowCount(); ++r) out << proxy->index(r, col).data().toString();
  return out;
}

}  // namespace

class TestRunHistory : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void init();
  void databaseLivesInTheAppDataFolder();
  void roundTripThroughTheDatabase();
  void rememberingAgainRefreshesTheEntry();
  void studiesAreRemembered();
  void missingFolderIsShownAsMissingAndRemovable();
  void sortsNumericallyAndFilters();
  void compareNeedsTwoExistingRuns();
  void unopenableDatabaseSaysWhyAndDoesNotCrash();

 private:
  QTemporaryDir tmp_;
  QString cnn_, svm_, resnet_;
};

void TestRunHistory::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QVERIFY(tmp_.isValid());
  cnn_ = writeRun(tmp_.filePath("acted-cnn"), "cnn", 0);      // WA 18/24
  svm_ = writeRun(tmp_.filePath("acted-svm"), "svm", 3);      // WA 21/24
  resnet_ = writeRun(tmp_.filePath("acted-resnet"), "resnet18", 1);  // WA 19/24
  QVERIFY(!cnn_.isEmpty() && !svm_.isEmpty() && !resnet_.isEmpty());
}

void TestRunHistory::init() {
  QFile::remove(RunHistory::defaultFile());  // every test starts from an empty history
}

void TestRunHistory::databaseLivesInTheAppDataFolder() {
  const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
  QVERIFY(RunHistory::defaultFile().startsWith(dataDir + "/"));
  QVERIFY(dataDir.contains(".qttest"));  // test mode: never the user's real history
  RunHistory h;
  QVERIFY2(h.ok(), qPrintable(h.error()));
  QVERIFY(h.remember(loadRunRecord(cnn_.toStdString())));
  QVERIFY(QFile::exists(RunHistory::defaultFile()));
}

void TestRunHistory::roundTripThroughTheDatabase() {
  const RunRecord run = loadRunRecord(cnn_.toStdString());
  {
    RunHistory h;
    QVERIFY(h.remember(run));
  }
  RunHistory reopened;  // a new connection reads what the first one wrote
  const auto entries = reopened.entries();
  QCOMPARE(entries.size(), 1);
  const RunHistoryEntry& e = entries[0];
  QCOMPARE(e.path, QDir(cnn_).absolutePath());
  QCOMPARE(e.name, QString("acted-cnn"));
  QCOMPARE(e.model, QString("cnn"));
  QCOMPARE(e.protocol, QString("speakers"));
  QCOMPARE(e.corpora, QString("demo-acted (synthetic)"));  // the fixture is the demo corpus
  QCOMPARE(e.n, 24);
  QVERIFY(e.kind == RunHistoryEntry::Kind::Run);
  QCOMPARE(*e.wa, run.metrics.overall.wa);
  QCOMPARE(*e.uar, run.metrics.overall.uar);
  QVERIFY(e.waCi95 && e.uarCi95);
  QCOMPARE(e.uarCi95->lo, run.metrics.overall.uarCi95->lo);
  QCOMPARE(e.uarCi95->hi, run.metrics.overall.uarCi95->hi);
  QVERIFY(!e.missing);
  QVERIFY(qAbs(e.openedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
}

void TestRunHistory::rememberingAgainRefreshesTheEntry() {
  RunHistory h;
  QVERIFY(h.remember(loadRunRecord(cnn_.toStdString())));
  QTest::qWait(5);
  QVERIFY(h.remember(loadRunRecord(svm_.toStdString())));
  QCOMPARE(h.entries().first().name, QString("acted-svm"));  // most recent first
  QTest::qWait(5);
  QVERIFY(h.remember(loadRunRecord(cnn_.toStdString())));
  const auto entries = h.entries();
  QCOMPARE(entries.size(), 2);  // no duplicate
  QCOMPARE(entries.first().name, QString("acted-cnn"));
  QCOMPARE(h.recent(1).size(), 1);
  QCOMPARE(h.recent(1).first().name, QString("acted-cnn"));
}

void TestRunHistory::studiesAreRemembered() {
  const QString dir = tmp_.filePath("study");
  QVERIFY(testing::writeStudyFixture(dir));
  RunHistory h;
  QVERIFY(h.remember(loadStudy(dir.toStdString())));
  const auto e = h.entries().first();
  QVERIFY(e.kind == RunHistoryEntry::Kind::Study);
  QCOMPARE(e.n, 3);  // rows
  QVERIFY(!e.wa.has_value());
  QVERIFY(!e.missing);
}

void TestRunHistory::missingFolderIsShownAsMissingAndRemovable() {
  const QString dir = writeRun(tmp_.filePath("to-be-moved"), "cnn", 0);
  RunsPanel panel;
  panel.remember(loadRunRecord(dir.toStdString()));
  panel.remember(loadRunRecord(cnn_.toStdString()));
  QCOMPARE(panel.model()->rowCount(), 2);
  QVERIFY(QDir().rename(dir, dir + "-moved"));
  panel.refresh();
  int missingRow = -1;
  for (int r = 0; r < panel.model()->rowCount(); ++r)
    if (panel.model()->entry(r).missing) missingRow = r;
  QVERIFY(missingRow >= 0);
  QCOMPARE(panel.model()->entry(missingRow).name, QString("to-be-moved"));
  QCOMPARE(panel.model()->index(missingRow, RunHistoryModel::Status).data().toString(),
           QString("missing (moved or deleted)"));
  QVERIFY(panel.model()->index(missingRow, RunHistoryModel::Name).data(Qt::ToolTipRole).toString()
              .contains("no longer holds"));

  // Opening it says so instead of trying.
  QSignalSpy open(&panel, &RunsPanel::openRequested);
  QSignalSpy status(&panel, &RunsPanel::statusMessage);
  panel.selectPaths({QDir(dir).absolutePath()});
  panel.openSelected();
  QCOMPARE(open.count(), 0);
  QVERIFY(status.last().at(0).toString().contains("no longer exists"));

  // Moved back, it is a run again; moved away and removed, it is gone for good.
  QVERIFY(QDir().rename(dir + "-moved", dir));
  panel.refresh();
  for (const auto& e : panel.model()->entries()) QVERIFY(!e.missing);
  QVERIFY(QDir(dir).removeRecursively());
  panel.refresh();
  panel.removeMissing();
  QCOMPARE(panel.model()->rowCount(), 1);
  QCOMPARE(panel.model()->entry(0).name, QString("acted-cnn"));
  QCOMPARE(RunHistory().entries().size(), 1);  // removed from the database, not only the view
}

void TestRunHistory::sortsNumericallyAndFilters() {
  RunsPanel panel;
  panel.remember(loadRunRecord(svm_.toStdString()));
  panel.remember(loadRunRecord(cnn_.toStdString()));
  panel.remember(loadRunRecord(resnet_.toStdString()));
  QSortFilterProxyModel* proxy = panel.proxy();
  panel.resize(1300, 400);
  testing::snapshot(&panel, QStringLiteral("runs-panel"));
  panel.view()->sortByColumn(RunHistoryModel::Wa, Qt::AscendingOrder);
  QCOMPARE(column(proxy, RunHistoryModel::Name), (QStringList{"acted-cnn", "acted-resnet", "acted-svm"}));
  panel.view()->sortByColumn(RunHistoryModel::Wa, Qt::DescendingOrder);
  QCOMPARE(column(proxy, RunHistoryModel::Name), (QStringList{"acted-svm", "acted-resnet", "acted-cnn"}));
  QVERIFY(column(proxy, RunHistoryModel::Wa).first().startsWith("87.5% ["));
  panel.view()->sortByColumn(RunHistoryModel::Model, Qt::AscendingOrder);
  QCOMPARE(column(proxy, RunHistoryModel::Model), (QStringList{"cnn", "resnet18", "svm"}));

  panel.filterEdit()->setText("SVM");  // any column, any case
  QCOMPARE(proxy->rowCount(), 1);
  QCOMPARE(proxy->index(0, RunHistoryModel::Name).data().toString(), QString("acted-svm"));
  panel.filterEdit()->setText("demo-acted");
  QCOMPARE(proxy->rowCount(), 3);
  panel.filterEdit()->setText("no such thing");
  QCOMPARE(proxy->rowCount(), 0);
  panel.filterEdit()->clear();
  QCOMPARE(proxy->rowCount(), 3);
}

void TestRunHistory::compareNeedsTwoExistingRuns() {
  const QString study = tmp_.filePath("study2");
  QVERIFY(testing::writeStudyFixture(study));
  RunsPanel panel;
  panel.remember(loadRunRecord(cnn_.toStdString()));
  panel.remember(loadRunRecord(svm_.toStdString()));
  panel.remember(loadStudy(study.toStdString()));
  QSignalSpy compare(&panel, &RunsPanel::compareRequested);
  QSignalSpy status(&panel, &RunsPanel::statusMessage);

  panel.selectPaths({QDir(cnn_).absolutePath()});
  QVERIFY(!panel.compareButton()->isEnabled());
  panel.selectPaths({QDir(cnn_).absolutePath(), QDir(study).absolutePath()});
  QVERIFY(panel.compareButton()->isEnabled());
  panel.compareSelected();  // a run and a study: only one run
  QCOMPARE(compare.count(), 0);
  QVERIFY(status.count() >= 2);

  panel.selectPaths({QDir(cnn_).absolutePath(), QDir(svm_).absolutePath()});
  QTest::mouseClick(panel.compareButton(), Qt::LeftButton);
  QCOMPARE(compare.count(), 1);
  QStringList paths = compare.first().at(0).toStringList();
  paths.sort();
  QCOMPARE(paths, (QStringList{QDir(cnn_).absolutePath(), QDir(svm_).absolutePath()}));
}

void TestRunHistory::unopenableDatabaseSaysWhyAndDoesNotCrash() {
  const QString blocker = tmp_.filePath("a-file");
  QFile f(blocker);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.close();
  const QString file = blocker + "/history.sqlite";  // its folder is a plain file
  RunHistory h(file);
  QVERIFY(!h.ok());
  QVERIFY2(h.error().contains(blocker), qPrintable(h.error()));
  QVERIFY(!h.remember(loadRunRecord(cnn_.toStdString())));
  QVERIFY(h.entries().isEmpty());

  RunsPanel panel(file);
  panel.remember(loadRunRecord(cnn_.toStdString()));
  QCOMPARE(panel.model()->rowCount(), 0);
  QVERIFY(panel.findChildren<QLabel*>().size() > 0);
  bool said = false;
  for (QLabel* l : panel.findChildren<QLabel*>()) said = said || l->text().contains(blocker);
  QVERIFY(said);
}

QTEST_MAIN(TestRunHistory)
#include "tst_run_history.moc"
