// The Training panel end to end on a tiny demo corpus: a run started from the panel draws its
// curves while it trains and ends loaded in Results; Stop cancels and Resume continues; engine
// errors reach the user without a crash. (The GUI thread's latency during training is a speed
// goal, measured by benchmarks/bench_gui_latency, not asserted here.)
#include <algorithm>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QDoubleSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QProgressBar>
#include <QMessageBox>
#include <QTimer>
#include <QApplication>
#include <QAbstractButton>
#include <QtTest>

#include "core/corpus/corpus_summary.h"
#include "core/demo/demo_corpus.h"
#include "core/runs/run_record.h"
#include "ui/dataset/corpus_loader.h"
#include "ui/main_window/main_window.h"
#include "ui/main_window/misclassified_view.h"
#include "ui/main_window/workbench.h"
#include "ui/results/misclassified_panel.h"
#include "ui/results/results_panel.h"
#include "ui/training/live_curves_view.h"
#include "ui/training/training_panel.h"
#include "ui/training/training_settings_form.h"

using namespace ser;

class TestTrainingPanel : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void trainingRunDrawsCurvesAndLoadsResults();
  void stopCancelsAndResumeContinues();
  void engineErrorsReachTheUser();
  void loadedCorporaKeepTheTabChosenMeanwhile();

 private:
  // A main window with the workbench and the demo dataset, the panel set to tiny settings.
  struct Bench {
    MainWindow window;
    Workbench* workbench = new Workbench(&window);
    TrainingPanel* panel() const { return workbench->training(); }
  };
  void configure(TrainingPanel* panel, int epochs, const QString& out) const;

  QTemporaryDir tmp_;
  Experiment dataset_;  // the wizard's default experiment on the demo corpus
  std::shared_ptr<const Corpus> corpus_;
};

void TestTrainingPanel::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QVERIFY(tmp_.isValid());
  qputenv("XDG_CACHE_HOME", tmp_.filePath(QStringLiteral("cache")).toUtf8());  // feature cache
  DemoCorpusOptions o;
  o.actedActors = 3;
  o.crowdActors = 3;
  o.crowdSentences = 1;
  const QString demo = tmp_.filePath(QStringLiteral("demo"));
  makeDemoCorpus(demo.toStdString(), o);
  dataset_.corpora = demoCorpusSpecs(demo);
  auto corpus = std::make_shared<Corpus>(loadCorpora(dataset_.corpora, dataset_.labelPolicy));
  const std::vector<std::string> speakers = speakerIds(corpus->clips);
  QCOMPARE(speakers.size(), std::size_t(6));
  dataset_.split = defaultHeldOut(dataset_, corpus->clips);
  QCOMPARE(dataset_.split.testSpeakers.size(), std::size_t(2));        // one per corpus
  QCOMPARE(dataset_.split.validationSpeakers.size(), std::size_t(2));  // one per corpus
  corpus_ = corpus;
}

void TestTrainingPanel::configure(TrainingPanel* panel, int epochs, const QString& out) const {
  panel->settings()->epochsSpin()->setValue(epochs);
  panel->settings()->batchSizeSpin()->setValue(8);
  panel->settings()->clipSecondsSpin()->setValue(1.0);
  panel->setOutputDir(out);
}

void TestTrainingPanel::trainingRunDrawsCurvesAndLoadsResults() {
  Bench bench;
  TrainingPanel* panel = bench.panel();
  QVERIFY(!panel->startButton()->isEnabled());  // no dataset yet
  bench.window.setDataset(dataset_, corpus_);
  QVERIFY(panel->hasDataset());
  QVERIFY(panel->startButton()->isEnabled());
  const QString out = tmp_.filePath(QStringLiteral("run-train"));
  configure(panel, 2, out);
  bench.window.resize(1280, 860);
  bench.window.show();
  bench.window.showPanel(MainWindow::Panel::Training);
  QVERIFY(QTest::qWaitForWindowExposed(&bench.window));

  QSignalSpy finished(panel, &TrainingPanel::runFinished);
  QSignalSpy failed(panel, &TrainingPanel::runFailed);
  QElapsedTimer clock;
  clock.start();
  QTest::mouseClick(panel->startButton(), Qt::LeftButton);
  QVERIFY(panel->isRunning());
  QVERIFY(!panel->startButton()->isEnabled());
  QVERIFY(panel->stopButton()->isEnabled());

  QTRY_VERIFY_WITH_TIMEOUT(panel->curves()->batchPointCount() > 0 || !failed.isEmpty(), 45000);
  QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 50000);
  if (!failed.isEmpty()) QFAIL(qPrintable(failed.at(0).at(1).toString()));
  const qint64 runMs = clock.elapsed();

  // Curves: every batch of both epochs, one point per epoch, redrawn at most every 100 ms.
  QCOMPARE(panel->curves()->epochPointCount(), 2);
  QVERIFY(panel->curves()->batchPointCount() >= 2);
  QVERIFY2(panel->curves()->replotCount() <= runMs / LiveCurvesView::kReplotIntervalMs + 2,
           qPrintable(QStringLiteral("%1 replots in %2 ms").arg(panel->curves()->replotCount()).arg(runMs)));

  // The finished run is loaded in Results and Misclassified.
  QCOMPARE(finished.at(0).at(0).toString(), out);
  QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("metrics.json"))));
  QVERIFY(bench.workbench->currentRun());
  QCOMPARE(QFileInfo(QString::fromStdString(bench.workbench->currentRun()->path.string())).canonicalFilePath(),
           QFileInfo(out).canonicalFilePath());
  QCOMPARE(bench.window.panel(MainWindow::Panel::Results), static_cast<QWidget*>(bench.workbench->results()));
  QVERIFY(bench.workbench->results()->isVisible());
  const RunRecord& run = *bench.workbench->currentRun();
  const int wrong = int(std::count_if(run.predictions.begin(), run.predictions.end(),
                                      [](const Prediction& r) { return r.truth != r.predicted; }));
  QCOMPARE(bench.workbench->misclassified()->list()->misclassifiedCount(), wrong);
  QVERIFY(panel->logView()->toPlainText().contains(QStringLiteral("Finished")));
  QVERIFY(panel->startButton()->isEnabled());
  QVERIFY(!panel->resumeButton()->isEnabled());  // a finished run has nothing to resume
}

void TestTrainingPanel::stopCancelsAndResumeContinues() {
  Bench bench;
  TrainingPanel* panel = bench.panel();
  bench.window.setDataset(dataset_, corpus_);
  const QString out = tmp_.filePath(QStringLiteral("run-stop"));
  configure(panel, 200, out);
  QSignalSpy stopped(panel, &TrainingPanel::runStopped);
  QSignalSpy failed(panel, &TrainingPanel::runFailed);
  QSignalSpy finished(panel, &TrainingPanel::runFinished);
  panel->start();
  QTRY_VERIFY_WITH_TIMEOUT(panel->curves()->epochPointCount() >= 1 || !failed.isEmpty(), 45000);
  QVERIFY(failed.isEmpty());

  // Closing the window while it trains asks first; "Keep training" keeps the window and the run.
  QString question;
  QTimer::singleShot(0, [&question] {
    auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
    if (!box) return;
    question = box->text();
    for (QAbstractButton* b : box->buttons())
      if (b->text() == QStringLiteral("Keep training")) b->click();
  });
  QVERIFY(!bench.window.close());
  QVERIFY2(question.contains(QStringLiteral("Quitting stops it")), qPrintable(question));
  QVERIFY(panel->isRunning());

  panel->stopButton()->click();
  QTRY_VERIFY_WITH_TIMEOUT(!stopped.isEmpty(), 20000);
  QVERIFY(!panel->isRunning());
  QVERIFY(finished.isEmpty());
  const QDir dir(out);
  QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("best.ckpt"))));
  QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("last.ckpt"))));
  QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("metrics.json"))));
  QVERIFY(panel->stateLabel()->text().contains(QStringLiteral("Stopped")));
  QVERIFY(panel->resumeButton()->isEnabled());
  const int epochsBefore = panel->curves()->epochPointCount();

  // Resume continues the same folder after the last finished epoch, and says so at once:
  // progress and epoch count start from the epochs done, not from 0.
  panel->resumeButton()->click();
  QVERIFY(panel->isRunning());
  QCOMPARE(panel->progressBar()->value(), epochsBefore);
  QCOMPARE(panel->progressBar()->maximum(), 200);
  QVERIFY2(panel->epochLabel()->text().startsWith(QStringLiteral("%1 of 200").arg(epochsBefore)),
           qPrintable(panel->epochLabel()->text()));
  QCOMPARE(panel->curves()->epochPointCount(), epochsBefore);
  QTRY_VERIFY_WITH_TIMEOUT(panel->curves()->epochPointCount() > epochsBefore || !failed.isEmpty(), 45000);
  QVERIFY(failed.isEmpty());
  QVERIFY(panel->logView()->toPlainText().contains(QStringLiteral("Resuming after epoch")));
  panel->stop();
  QTRY_VERIFY_WITH_TIMEOUT(stopped.count() == 2, 20000);

  // A new session (another panel) resuming the folder shows the earlier epochs from curves.csv.
  const int epochsDone = int(readCurvesCsv(dir.filePath(QStringLiteral("curves.csv")).toStdString()).size());
  QVERIFY(epochsDone > epochsBefore);
  Bench later;
  TrainingPanel* again = later.panel();
  // The new session's form holds the hyper-parameters of the last Start.
  QCOMPARE(again->settings()->epochsSpin()->value(), 200);
  QCOMPARE(again->settings()->batchSizeSpin()->value(), 8);
  QCOMPARE(again->settings()->clipSecondsSpin()->value(), 1.0);
  again->setOutputDir(out);
  QSignalSpy stoppedAgain(again, &TrainingPanel::runStopped);
  QVERIFY(again->resumeButton()->isEnabled());
  again->resumeButton()->click();
  QVERIFY(again->isRunning());
  QCOMPARE(again->curves()->epochPointCount(), epochsDone);
  QCOMPARE(again->progressBar()->value(), epochsDone);
  QVERIFY(again->epochLabel()->text().startsWith(QStringLiteral("%1 of 200").arg(epochsDone)));
  again->stop();
  QTRY_VERIFY_WITH_TIMEOUT(stoppedAgain.count() == 1, 20000);
}

void TestTrainingPanel::engineErrorsReachTheUser() {
  Bench bench;
  TrainingPanel* panel = bench.panel();
  Experiment missing = dataset_;
  for (CorpusSpec& spec : missing.corpora) spec.path += "-missing";
  bench.window.setDataset(missing, corpus_);
  configure(panel, 1, tmp_.filePath(QStringLiteral("run-error")));
  QSignalSpy failed(panel, &TrainingPanel::runFailed);
  panel->start();
  QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 20000);
  const QString message = failed.at(0).at(1).toString();
  QVERIFY2(message.contains(QStringLiteral("-missing")), qPrintable(message));
  QVERIFY(panel->logView()->toPlainText().contains(QStringLiteral("Error: ")));
  QVERIFY(!panel->isRunning());
  QVERIFY(panel->startButton()->isEnabled());
}

// Opening corpora brings the Dataset tab to the front when they are loaded, unless another tab
// was chosen while they loaded (serwb-gui --demo DIR --show training, or --run DIR).
void TestTrainingPanel::loadedCorporaKeepTheTabChosenMeanwhile() {
  Bench bench;
  auto* tabs = bench.window.findChild<QTabWidget*>();
  QSignalSpy loaded(&bench.window, &MainWindow::datasetChanged);

  bench.window.showPanel(MainWindow::Panel::Training);
  bench.window.openCorpora(dataset_.corpora);
  QVERIFY(loaded.wait(30000));
  QCOMPARE(tabs->currentWidget(), bench.window.panel(MainWindow::Panel::Dataset));
  QVERIFY(bench.panel()->hasDataset());

  bench.window.openCorpora(dataset_.corpora);
  QVERIFY(bench.workbench->showTab(QStringLiteral("training")));  // chosen while it loads
  QVERIFY(loaded.wait(30000));
  QCOMPARE(loaded.count(), 2);
  QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(bench.panel()));
}

QTEST_MAIN(TestTrainingPanel)
#include "tst_training_panel.moc"
