// Run folders are never lost and never silently wrong: resume refuses a changed experiment,
// finished runs are not overwritten without --overwrite (and then replaced as a whole), train.log
// grows line by line, leftovers of killed writes are cleaned, and a cancel is honoured at every
// stage. Runs a small CNN on the synthetic demo corpus (4 actors, 1 s clips, 1-2 epochs).
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/demo/demo_corpus.h"
#include "core/pipeline/experiment_runner.h"
#include "core/pipeline/output_folder.h"

// Qt after libtorch: Qt's `slots` macro breaks torch headers parsed after it.
#include <QTemporaryDir>
#include <QtTest>

using namespace ser;
namespace fs = std::filesystem;

namespace {

// Cancels the run when a stage begins.
struct CancelAtStage : RunListener {
  std::string stage;
  CancelFlag* flag = nullptr;
  void onStage(const std::string& s) override {
    if (s == stage) flag->cancel();
  }
};

std::string text(const fs::path& file) {
  try {
    return readFile(file);
  } catch (const Error&) {
    return {};
  }
}

int count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

class TestRunSafety : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  std::string corpus_;

  fs::path path(const char* name) const { return fs::path(tmp_.path().toStdString()) / name; }

  Experiment experiment(ExperimentModel model = ExperimentModel::Cnn) const {
    Experiment e;
    CorpusSpec c;
    c.reader = CorpusReader::Ravdess;
    c.path = corpus_;
    e.corpora = {c};
    e.model = model;
    e.split.testSpeakers = {"demo-acted:01", "demo-acted:02"};
    e.split.validationSpeakers = {"demo-acted:03"};
    e.frontEnd.audio.fixedSeconds = 1.0;
    e.training.epochs = 1;
    e.training.batch_size = 16;
    e.training.threads = 1;
    e.training.device = DeviceChoice::Cpu;
    e.cache = path("cache").string();
    return e;
  }

  RunOutcome run(const Experiment& e, const fs::path& out, bool resume = false, bool overwrite = false,
                 RunListener* listener = nullptr, const CancelFlag* cancel = nullptr) {
    RunOptions o;
    o.outDir = out.string();
    o.resume = resume;
    o.overwrite = overwrite;
    o.listener = listener;
    o.cancel = cancel;
    return runExperiment(e, o);
  }

  template <typename F>
  QString refusal(F&& f) {
    try {
      f();
    } catch (const Error& e) {
      return QString::fromStdString(e.what());
    }
    return {};
  }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    DemoCorpusOptions d;
    d.actedActors = 4;
    d.crowdActors = 2;
    d.crowdSentences = 1;
    const DemoCorpusSummary s = makeDemoCorpus(path("demo").string(), d);
    corpus_ = s.actedDir;
  }

  void resumeRefusesAChangedExperiment_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("key");
    QTest::newRow("seed") << "seed" << "seed (42 -> 7)";
    QTest::newRow("test speakers") << "split" << "split.test_speakers";
    QTest::newRow("learning rate") << "lr" << "training.learning_rate";
    QTest::newRow("labels") << "labels" << "labels";
    QTest::newRow("front end") << "front_end" << "front_end.n_mels";
    QTest::newRow("model") << "model" << "model";
  }
  void resumeRefusesAChangedExperiment() {
    QFETCH(QString, change);
    QFETCH(QString, key);
    const fs::path out = path("resume-refused");
    if (!fs::exists(out / "last.ckpt")) QVERIFY(!run(experiment(), out).cancelled);
    const std::string configBefore = text(out / "config.json");
    const std::string ckptBefore = text(out / "last.ckpt");
    Experiment e = experiment();
    e.training.epochs = 2;  // allowed beside the refused change
    if (change == "seed") e.seed = 7;
    if (change == "split") e.split.testSpeakers = {"demo-acted:01", "demo-acted:04"};
    if (change == "lr") e.training.learning_rate = 0.01;
    if (change == "labels") e.labels = LabelSetKind::Common6;
    if (change == "front_end") e.frontEnd.logMel.mel.nMels = 40;
    if (change == "model") e.model = ExperimentModel::ResNet18;
    const QString message = refusal([&] { run(e, out, /*resume=*/true); });
    QVERIFY2(message.contains("cannot resume") && message.contains(key), qPrintable(message));
    QVERIFY2(!message.contains("training.epochs ("), qPrintable(message));  // allowed: not listed
    QCOMPARE(text(out / "config.json"), configBefore);  // the record still describes the run
    QCOMPARE(text(out / "last.ckpt"), ckptBefore);
  }

  void resumeWithMoreEpochsAppendsTheLog() {
    const fs::path out = path("resume-more");
    QVERIFY(!run(experiment(), out).cancelled);
    const std::string firstLog = text(out / "train.log");
    QCOMPARE(count(firstLog, "epoch 1:"), 1);
    // A write killed earlier left its temporary (a pid that no process has).
    writeFileAtomic(out / "metrics.json.tmp.99999999.0", std::string("{"));
    Experiment e = experiment();
    e.training.epochs = 2;
    e.training.eval_batch_size = 8;
    e.training.data_placement = DataPlacement::Device;  // as when a GPU run moves to a CPU
    e.name = "renamed";
    const RunOutcome r = run(e, out, /*resume=*/true);
    QVERIFY(!r.cancelled);
    QVERIFY(r.record.has_value());
    QCOMPARE(r.record->training.epochs, 2);
    const std::string log = text(out / "train.log");
    QVERIFY2(log.rfind(firstLog, 0) == 0, "the earlier epochs were erased from train.log");
    QCOMPARE(count(log, "epoch 1:"), 1);
    QCOMPARE(count(log, "epoch 2:"), 1);
    QVERIFY(log.find("Resuming after epoch 1") != std::string::npos);
    QVERIFY2(log.find("resume changes training.data_placement") != std::string::npos, log.c_str());
    QVERIFY(!fs::exists(out / "metrics.json.tmp.99999999.0"));
    QVERIFY(log.find("metrics.json.tmp.99999999.0") != std::string::npos);
  }

  void resumeWithoutCheckpointIsRefused() {
    const QString message = refusal([&] { run(experiment(), path("never-ran"), true); });
    QVERIFY2(message.contains("nothing to resume"), qPrintable(message));
  }

  void finishedRunIsNotOverwritten() {
    const fs::path out = path("finished");
    QVERIFY(!run(experiment(ExperimentModel::Svm), out).cancelled);
    const std::string metrics = text(out / "metrics.json");
    const std::string model = text(out / "model.svm");
    const QString message = refusal([&] { run(experiment(), out); });
    QVERIFY2(message.contains("already holds") && message.contains("--overwrite"), qPrintable(message));
    QCOMPARE(text(out / "metrics.json"), metrics);
    QCOMPARE(text(out / "model.svm"), model);
    QVERIFY(!fs::exists(out / "best.ckpt"));

    // An evaluation pointed at the run folder is refused as well.
    EvaluateOptions eo;
    eo.checkpoint = (out / "model.svm").string();
    eo.corpora = experiment().corpora;
    eo.cache = experiment().cache;
    eo.outDir = out.string();
    const QString evalMessage = refusal([&] { evaluateCheckpoint(eo); });
    QVERIFY2(evalMessage.contains("already holds"), qPrintable(evalMessage));
    eo.overwrite = true;  // would delete the model it evaluates
    const QString deleting = refusal([&] { evaluateCheckpoint(eo); });
    QVERIFY2(deleting.contains("would delete"), qPrintable(deleting));
    QCOMPARE(text(out / "metrics.json"), metrics);

    // --overwrite replaces the folder as a whole, only once the new run is done.
    std::ofstream(out / "notes.txt") << "old";
    const RunOutcome r = run(experiment(), out, false, /*overwrite=*/true);
    QVERIFY(!r.cancelled);
    QVERIFY(fs::exists(out / "best.ckpt"));
    QVERIFY(!fs::exists(out / "model.svm"));
    QVERIFY(!fs::exists(out / "notes.txt"));
    QCOMPARE(r.dir, out.string());
    QCOMPARE(r.checkpoint, (out / "best.ckpt").string());
    for (const auto& entry : fs::directory_iterator(out.parent_path()))
      QVERIFY2(entry.path().filename().string().find(".serwb-") == std::string::npos,
               entry.path().c_str());
  }

  void failedOverwriteKeepsTheOldRun() {
    const fs::path out = path("kept");
    QVERIFY(!run(experiment(ExperimentModel::Svm), out).cancelled);
    const std::string metrics = text(out / "metrics.json");
    Experiment bad = experiment();
    bad.split.testSpeakers = {"demo-acted:99"};  // no such speaker: the run fails after the scan
    QVERIFY(!refusal([&] { run(bad, out, false, true); }).isEmpty());
    QCOMPARE(text(out / "metrics.json"), metrics);
    for (const auto& entry : fs::directory_iterator(out.parent_path()))
      QVERIFY2(entry.path().filename().string().find(".serwb-") == std::string::npos,
               entry.path().c_str());
    // A partial folder left by a killed overwrite (dead pid) is removed by the next command.
    fs::create_directories(path("kept.serwb-partial-99999999"));
    QVERIFY(!refusal([&] { run(experiment(), out); }).isEmpty());
    QVERIFY(!fs::exists(path("kept.serwb-partial-99999999")));
  }

  void cancelIsHonouredAtEveryStage_data() {
    QTest::addColumn<QString>("stage");
    QTest::addColumn<bool>("resumable");
    QTest::newRow("scan") << "scan" << false;
    QTest::newRow("preprocess") << "preprocess" << false;
    QTest::newRow("train") << "train" << false;
    QTest::newRow("evaluate") << "evaluate" << true;
  }
  void cancelIsHonouredAtEveryStage() {
    QFETCH(QString, stage);
    QFETCH(bool, resumable);
    const fs::path out = path(("cancel-" + stage.toStdString()).c_str());
    CancelFlag flag;
    CancelAtStage listener;
    listener.stage = stage.toStdString();
    listener.flag = &flag;
    RunOutcome r;
    try {
      r = run(experiment(), out, false, false, &listener, &flag);
    } catch (const Cancelled&) {
      QCOMPARE(stage, QString("scan"));  // nothing worth keeping yet: a Cancelled error
      return;
    }
    QVERIFY2(r.cancelled, "the run went on after the cancel");
    QCOMPARE(r.resumable, resumable);
    QVERIFY(!fs::exists(out / "metrics.json"));
    QVERIFY(text(out / "train.log").find("cancelled") != std::string::npos);
    if (resumable) {
      // Training was complete: resuming only evaluates.
      const RunOutcome again = run(experiment(), out, true);
      QVERIFY(!again.cancelled);
      QVERIFY(fs::exists(out / "metrics.json"));
    }
  }

  void holdsResultKnowsRunsAndStudies() {
    const fs::path dir = path("holds");
    fs::create_directories(dir / "demo-corpora");
    QVERIFY(!holdsResult(dir));
    std::ofstream(dir / "demo-corpora" / "table.json") << "{}";
    QVERIFY(holdsResult(dir));
    QVERIFY(!holdsResult(dir, {"demo-corpora"}));
    fs::create_directories(dir / "1-svm");
    std::ofstream(dir / "1-svm" / "metrics.json") << "{}";
    QVERIFY(holdsResult(dir, {"demo-corpora"}));
  }
};

QTEST_GUILESS_MAIN(TestRunSafety)
#include "tst_run_safety.moc"
