// Predicting new files in the GUI with a real checkpoint (a small CNN trained on the synthetic demo
// corpus in initTestCase): one row per file with the prediction and a bar per class, the same
// numbers as `serwb predict` (core's predictFiles), folders searched for audio, a corrupt file
// listed with its reason, CSV export; files dropped on the main window reach the panel.
#include <QDropEvent>
#include <QMimeData>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUrl>
#include <QStandardPaths>
#include <QtTest>

#include "core/base/atomic_file.h"
#include "core/base/csv.h"
#include "core/demo/demo_corpus.h"
#include "core/pipeline/experiment_runner.h"
#include "tests/fixtures/corpus_fixtures.h"
#include "ui/explore/predict_files_panel.h"
#include "ui/main_window/main_window.h"
#include "ui/main_window/workbench.h"

using namespace ser;

class TestPredictFilesPanel : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  QString checkpoint_;
  QStringList clips_;  // three demo-crowd clips

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings writes to a test location
    QVERIFY(tmp_.isValid());
    DemoCorpusOptions d;
    d.actedActors = 4;
    d.crowdActors = 2;
    d.crowdSentences = 1;
    const DemoCorpusSummary demo = makeDemoCorpus(tmp_.filePath("demo").toStdString(), d);
    Experiment e;
    CorpusSpec c;
    c.reader = CorpusReader::Ravdess;
    c.path = demo.actedDir;
    e.corpora = {c};
    e.model = ExperimentModel::Cnn;
    e.split.testSpeakers = {"demo-acted:01"};
    e.split.validationSpeakers = {"demo-acted:02"};
    e.frontEnd.audio.fixedSeconds = 1.0;
    e.training.epochs = 2;
    e.training.batch_size = 16;
    e.training.threads = 1;
    e.training.device = DeviceChoice::Cpu;
    e.cache = tmp_.filePath("cache").toStdString();
    RunOptions o;
    o.outDir = tmp_.filePath("run").toStdString();
    QVERIFY(runExperiment(e, o).record);
    checkpoint_ = tmp_.filePath("run/best.ckpt");
    QVERIFY(QFileInfo::exists(checkpoint_));
    const QDir crowd(QString::fromStdString(demo.crowdDir) + "/AudioWAV");
    for (const QString& f : crowd.entryList({"*.wav"}, QDir::Files, QDir::Name).mid(0, 3)) clips_ << crowd.filePath(f);
    QCOMPARE(clips_.size(), 3);
    // A folder with one clip in a sub-folder, a corrupt WAV and a text file (not searched).
    QDir().mkpath(tmp_.filePath("drop/sub"));
    QVERIFY(QFile::copy(clips_[2], tmp_.filePath("drop/sub/c.wav")));
    fixtures::writeBadAudio(tmp_.filePath("drop/corrupt.wav").toStdString(), fixtures::BadAudio::CorruptHeader);
    fixtures::writeTextFile(tmp_.filePath("drop/notes.txt").toStdString(), "not audio");
  }

  void predictsFilesAndFoldersAsTheEngineDoes() {
    PredictFilesPanel panel;
    panel.setCheckpoint(checkpoint_);
    QSignalSpy added(&panel, &PredictFilesPanel::predictionsAdded);
    panel.addFiles({clips_[0], clips_[1], tmp_.filePath("drop")});
    QTRY_COMPARE_WITH_TIMEOUT(added.count(), 1, 60000);
    QVERIFY(!panel.isBusy());
    // 2 files + the folder's 2 audio files (c.wav, corrupt.wav); notes.txt is not audio.
    const auto& rows = panel.predictions();
    QCOMPARE(rows.size(), std::size_t(4));
    QCOMPARE(panel.table()->rowCount(), 4);
    const std::vector<std::string> labels = panel.labels();
    QCOMPARE(labels.size(), std::size_t(8));  // native RAVDESS labels of the demo corpus
    QCOMPARE(panel.table()->columnCount(), int(2 + labels.size() + 1));

    std::vector<std::string> files;
    for (const auto& r : rows) files.push_back(r.path);
    std::vector<std::string> engineLabels;
    const auto engine = ser::predictFiles(checkpoint_.toStdString(), files, &engineLabels);
    QCOMPARE(engineLabels, labels);
    int unreadable = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const int r = int(i);
      if (!rows[i].error.empty()) {
        ++unreadable;
        QVERIFY(QString::fromStdString(rows[i].path).endsWith("corrupt.wav"));
        QVERIFY2(QString::fromStdString(rows[i].error).contains("corrupt.wav"), rows[i].error.c_str());
        QCOMPARE(panel.table()->item(r, int(2 + labels.size()))->text(), QString::fromStdString(rows[i].error));
        continue;
      }
      QCOMPARE(rows[i].probabilities, engine[i].probabilities);
      QCOMPARE(rows[i].label, engine[i].label);
      QCOMPARE(panel.table()->item(r, 1)->text(), QString::fromStdString(rows[i].label));
      double sum = 0;
      for (std::size_t k = 0; k < labels.size(); ++k) {
        const double bar = panel.table()->item(r, int(2 + k))->data(Qt::UserRole + 1).toDouble();
        QCOMPARE(float(bar), rows[i].probabilities[k]);
        sum += bar;
      }
      QVERIFY(std::abs(sum - 1.0) < 1e-4);
    }
    QCOMPARE(unreadable, 1);

    // CSV export: one row per file, the probabilities and the reason.
    QString error;
    QVERIFY2(panel.exportCsv(tmp_.filePath("out.csv"), &error), qPrintable(error));
    const CsvTable t = readCsvFile(tmp_.filePath("out.csv").toStdString());
    QCOMPARE(t.rows.size(), std::size_t(4));
    QCOMPARE(t.header.front(), std::string("path"));
    QCOMPARE(t.header.back(), std::string("error"));
    const int p0 = t.column("p_" + labels[0]);
    QVERIFY(p0 > 0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      QCOMPARE(t.rows[i][0], rows[i].path);
      QCOMPARE(t.rows[i][t.header.size() - 1], rows[i].error);
      if (rows[i].error.empty())
        QVERIFY(std::abs(std::stod(t.rows[i][std::size_t(p0)]) - rows[i].probabilities[0]) < 1e-5);
    }
    // A folder that cannot exist: its parent is a file.
    ser::writeFileAtomic(tmp_.filePath("a-file").toStdString(), "x");
    QVERIFY(!panel.exportCsv(tmp_.filePath("a-file/out.csv"), &error));
    QVERIFY(error.contains("out.csv"));
  }

  void unknownSpeakersAreNormalisedByTheTrainingSet() {
    // Each file alone is a clip of an unknown speaker: the training statistics normalise it, so its
    // probabilities do not depend on what else is predicted with it. As one speaker, the files are
    // normalised together, which changes them.
    const std::string ckpt = checkpoint_.toStdString();
    const auto alone = ser::predictFiles(ckpt, {clips_[0].toStdString()}, nullptr);
    const auto pair = ser::predictFiles(ckpt, {clips_[0].toStdString(), clips_[1].toStdString()}, nullptr);
    QVERIFY(alone[0].error.empty() && pair[0].error.empty());
    QCOMPARE(pair[0].probabilities.size(), alone[0].probabilities.size());
    for (std::size_t k = 0; k < alone[0].probabilities.size(); ++k)
      QVERIFY(std::abs(pair[0].probabilities[k] - alone[0].probabilities[k]) < 1e-5);  // batch of 2 vs 1
    ser::PredictOptions one;
    one.oneSpeaker = true;
    const auto together =
        ser::predictFiles(ckpt, {clips_[0].toStdString(), clips_[1].toStdString()}, nullptr, one);
    QVERIFY(together[0].error.empty());
    double moved = 0;
    for (std::size_t k = 0; k < alone[0].probabilities.size(); ++k)
      moved = std::max(moved, double(std::abs(together[0].probabilities[k] - alone[0].probabilities[k])));
    QVERIFY2(moved > 1e-3, qPrintable(QString::number(moved)));
  }

  void aBadModelIsReported() {
    PredictFilesPanel panel;
    panel.setCheckpoint(tmp_.filePath("missing.ckpt"));
    QSignalSpy status(&panel, &PredictFilesPanel::statusMessage);
    panel.addFiles({clips_[0]});
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 30000);
    QVERIFY(panel.predictions().empty());
    QVERIFY(!status.isEmpty());
    QVERIFY(status.last().at(0).toString().contains("missing.ckpt"));
  }

  void droppedFilesReachThePredictTab() {
    MainWindow window;
    Workbench* bench = new Workbench(&window);
    QVERIFY(bench->openFolder(tmp_.filePath("run")));
    QCOMPARE(bench->predictFiles()->checkpoint(), QFileInfo(checkpoint_).absoluteFilePath());
    QSignalSpy added(bench->predictFiles(), &PredictFilesPanel::predictionsAdded);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(clips_[0])});
    // A drag enters the window, then drops there (as the platform's drag manager delivers them).
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QSignalSpy dropped(&window, &MainWindow::filesDropped);
    QCoreApplication::sendEvent(&window, &drop);
    QCOMPARE(dropped.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(added.count(), 1, 60000);
    QCOMPARE(bench->predictFiles()->predictions().size(), std::size_t(1));
    QVERIFY(bench->predictFiles()->predictions()[0].error.empty());
  }
};

QTEST_MAIN(TestPredictFilesPanel)
#include "tst_predict_files_panel.moc"
