// End-to-end tests of `serwb`: each test runs the real binary on corpora written in the test
// (the synthetic demo corpus, RAVDESS-layout fixtures) and checks its JSON, exit codes and files.
#include <signal.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace {

struct Result {
  int code = -1;
  QString out;
  QString err;
  nlohmann::json json() const {
    try {
      return nlohmann::json::parse(out.toStdString());
    } catch (const std::exception& e) {
      qWarning("not JSON: %s\nstdout: %s\nstderr: %s", e.what(), qPrintable(out), qPrintable(err));
      return {};
    }
  }
};

Result serwb(const QStringList& args, int timeoutMs = 600000) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("OPENBLAS_NUM_THREADS", "1");
  p.setProcessEnvironment(env);
  p.start(SERWB_BINARY, args);
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished();
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
          QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QByteArray fileBytes(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Starts `serwb args`, waits until its stderr shows `marker`, then sends `signal`.
Result signalWhenSeen(const QStringList& args, const QString& marker, int signal) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("OPENBLAS_NUM_THREADS", "1");
  p.setProcessEnvironment(env);
  p.start(SERWB_BINARY, args);
  QByteArray err;
  QElapsedTimer timer;
  timer.start();
  while (!err.contains(marker.toUtf8()) && p.state() != QProcess::NotRunning && timer.elapsed() < 300000) {
    p.waitForReadyRead(200);
    err += p.readAllStandardError();
  }
  if (p.state() != QProcess::NotRunning) ::kill(pid_t(p.processId()), signal);
  p.waitForFinished(300000);
  err += p.readAllStandardError();
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
          QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(err)};
}

}  // namespace

class TestCli : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  QString demo_;  // small demo corpora, made once
  QString acted() const { return demo_ + "/demo-acted"; }
  QString crowd() const { return demo_ + "/demo-crowd"; }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    demo_ = tmp_.path() + "/demo";
    const Result r = serwb({"make-demo", demo_, "--acted-actors", "4", "--crowd-actors", "4", "--json"});
    QCOMPARE(r.code, 0);
    const auto j = r.json();
    QCOMPARE(j["acted_clips"].get<int>(), 4 * 30);
    QVERIFY(j["synthetic"].get<bool>());
  }

  void everySubcommandHasHelp_data() {
    QTest::addColumn<QString>("sub");
    for (const char* s : {"make-demo", "scan", "preprocess", "train", "evaluate", "predict", "reproduce"})
      QTest::newRow(s) << s;
  }
  void everySubcommandHasHelp() {
    QFETCH(QString, sub);
    const Result r = serwb({sub, "--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("--"));
  }

  void versionNamesTheProjectVersion() {
    const Result r = serwb({"--version"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("serwb 0."), qPrintable(r.out));
  }

  void scanDemoReportsCountsAndSynthetic() {
    const Result r = serwb({"scan", "--ravdess", acted(), "--crema-d", crowd(), "--json"});
    QCOMPARE(r.code, 0);
    const auto j = r.json();
    QCOMPARE(j["clips"].get<int>(), 4 * 30 + 4 * 6 * 3);
    QCOMPARE(j["speakers"].get<int>(), 8);
    QCOMPARE(j["speaker_ids"].size(), std::size_t(8));
    QCOMPARE(j["by_corpus"]["demo-acted"].get<int>(), 120);
    QCOMPARE(j["by_sex"]["male"].get<int>() + j["by_sex"]["female"].get<int>(), j["clips"].get<int>());
    QCOMPARE(j["by_sex"]["unknown"].get<int>(), 0);
    QVERIFY(j["synthetic"].get<bool>());
    QVERIFY(j["skipped"].empty());
  }

  void scanRealRavdess() {
    const QString dir = QString(SERWB_SHARED_DATA) + "/ravdess-dev";
    if (!QFileInfo::exists(dir)) QSKIP("real RAVDESS data not present");
    const Result r = serwb({"scan", "--ravdess", dir, "--json"});
    QCOMPARE(r.code, 0);
    const auto j = r.json();
    QCOMPARE(j["clips"].get<int>(), 720);
    QCOMPARE(j["speakers"].get<int>(), 12);
    QCOMPARE(j["by_sex"]["male"].get<int>(), 360);
    QCOMPARE(j["by_sex"]["female"].get<int>(), 360);
    QCOMPARE(j["by_emotion"]["neutral"].get<int>(), 48);
    for (const char* e : {"calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"})
      QCOMPARE(j["by_emotion"][e].get<int>(), 96);
    QVERIFY(!j["synthetic"].get<bool>());
  }

  void scanKeepsGoingPastBadFiles() {
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString();
    std::filesystem::create_directories(root + "/Actor_01");
    std::filesystem::copy_file(acted().toStdString() + "/Actor_01/03-01-01-01-01-01-01.wav",
                               root + "/Actor_01/03-01-01-01-01-01-01.wav");
    std::ofstream(root + "/Actor_01/03-01-05-01-01-01-01.wav") << "not audio";
    std::ofstream(root + "/Actor_01/hello-there.wav") << "x";
    const Result r = serwb({"scan", "--ravdess", dir.path(), "--json"});
    QCOMPARE(r.code, 0);
    const auto j = r.json();
    QCOMPARE(j["clips"].get<int>(), 1);
    QCOMPARE(j["skipped"].size(), std::size_t(2));
    for (const auto& s : j["skipped"]) {
      QVERIFY(!s["path"].get<std::string>().empty());
      QVERIFY(!s["reason"].get<std::string>().empty());
    }
  }

  void userErrorsAreOneLineAndNonZero_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mention");
    QTest::newRow("missing folder") << QStringList{"scan", "--ravdess", "/nonexistent/corpus"}
                                    << "/nonexistent/corpus";
    QTest::newRow("no corpus") << QStringList{"scan"} << "corpus";
    QTest::newRow("bad parameter") << QStringList{"preprocess", "--ravdess", "X", "--cache", "/tmp/c",
                                                  "--n-mels", "0"}
                                   << "n_mels";
    QTest::newRow("bad label policy") << QStringList{"scan", "--ravdess", "X", "--label-policy", "keep"}
                                      << "label_policy";
    QTest::newRow("missing checkpoint") << QStringList{"predict", "--checkpoint", "/nonexistent/best.ckpt",
                                                       "a.wav"}
                                        << "/nonexistent/best.ckpt";
  }
  void userErrorsAreOneLineAndNonZero() {
    QFETCH(QStringList, args);
    QFETCH(QString, mention);
    const Result r = serwb(args);
    QVERIFY(r.code != 0);
    const QString err = r.err.trimmed();
    QVERIFY2(!err.contains('\n'), qPrintable(err));
    QVERIFY2(err.contains(mention), qPrintable(err));
  }

  void preprocessFillsThenReadsCache() {
    const QString cache = tmp_.path() + "/cache-pp";
    const Result first = serwb({"preprocess", "--ravdess", acted(), "--cache", cache, "--json"});
    QCOMPARE(first.code, 0);
    const auto a = first.json();
    QCOMPARE(a["clips"].get<int>(), 120);
    QCOMPARE(a["computed"].get<int>(), 120);
    QCOMPARE(a["cached"].get<int>(), 0);
    QCOMPARE(a["failed"].get<int>(), 0);
    QVERIFY(a["clips_per_second"].get<double>() > 0);
    QVERIFY(a["audio_seconds_per_second"].get<double>() > 0);
    const auto b = serwb({"preprocess", "--ravdess", acted(), "--cache", cache, "--json"}).json();
    QCOMPARE(b["cached"].get<int>(), 120);
    QCOMPARE(b["computed"].get<int>(), 0);
    const auto c = serwb({"preprocess", "--ravdess", acted(), "--cache", cache, "--n-mels", "40",
                          "--json"}).json();
    QCOMPARE(c["computed"].get<int>(), 120);
  }

  void svmTrainEvaluatePredict() {
    const QString run = tmp_.path() + "/runs/svm";
    const QString cache = tmp_.path() + "/cache";
    const Result r = serwb({"train", "--ravdess", acted(), "--model", "svm", "--split", "speakers",
                            "--test-speakers", "demo-acted:01,demo-acted:02", "--val-speakers",
                            "demo-acted:03", "--out", run, "--cache", cache, "--json", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto m = r.json();
    QCOMPARE(m["labels"].size(), std::size_t(8));  // native RAVDESS labels
    QCOMPARE(m["n"].get<int>(), 60);
    QVERIFY(m["split"]["speaker_independent"].get<bool>());
    QVERIFY(m.contains("per_sex"));
    QVERIFY(m["per_sex"].contains("male") && m["per_sex"].contains("female"));
    for (const char* f : {"config.json", "experiment.json", "metrics.json", "predictions.csv",
                          "train.log", "model.svm"})
      QVERIFY2(QFileInfo::exists(run + "/" + f), f);

    // The run folder's experiment.json reproduces the run.
    const Result again = serwb({"train", "--experiment", run + "/experiment.json", "--out",
                                tmp_.path() + "/runs/svm2", "--json", "--quiet"});
    QVERIFY2(again.code == 0, qPrintable(again.err));
    QCOMPARE(again.json()["wa"].get<double>(), m["wa"].get<double>());

    const Result ev = serwb({"evaluate", "--checkpoint", run + "/model.svm", "--ravdess", acted(),
                             "--speakers", "demo-acted:01,demo-acted:02", "--out",
                             tmp_.path() + "/eval", "--cache", cache, "--json", "--quiet"});
    QVERIFY2(ev.code == 0, qPrintable(ev.err));
    QCOMPARE(ev.json()["wa"].get<double>(), m["wa"].get<double>());

    const QString clip = acted() + "/Actor_01/03-01-05-02-01-01-01.wav";
    const Result pr = serwb({"predict", "--checkpoint", run + "/model.svm", clip, "--json"});
    QVERIFY2(pr.code == 0, qPrintable(pr.err));
    const auto p = pr.json();
    QCOMPARE(p["predictions"].size(), std::size_t(1));
    double sum = 0;
    for (const auto& [k, v] : p["predictions"][0]["probabilities"].items()) sum += v.get<double>();
    QVERIFY(std::abs(sum - 1.0) < 1e-3);
  }

  void finishedRunsAreNotOverwritten() {
    const QString run = tmp_.path() + "/runs/svm";  // written by svmTrainEvaluatePredict
    QVERIFY(QFileInfo::exists(run + "/model.svm"));
    const QByteArray metrics = fileBytes(run + "/metrics.json");
    const QByteArray config = fileBytes(run + "/config.json");
    const Result ev = serwb({"evaluate", "--checkpoint", run + "/model.svm", "--ravdess", acted(),
                             "--out", run, "--cache", tmp_.path() + "/cache", "--quiet"});
    QCOMPARE(ev.code, 1);
    QVERIFY2(ev.err.contains("already holds") && ev.err.contains("--overwrite"), qPrintable(ev.err));
    const Result tr = serwb({"train", "--ravdess", acted(), "--model", "svm", "--out", run,
                             "--cache", tmp_.path() + "/cache", "--quiet"});
    QCOMPARE(tr.code, 1);
    QVERIFY2(tr.err.contains("already holds") && tr.err.contains("--resume"), qPrintable(tr.err));
    QCOMPARE(fileBytes(run + "/metrics.json"), metrics);
    QCOMPARE(fileBytes(run + "/config.json"), config);

    // reproduce refuses a folder holding a study before writing demo corpora into it.
    const QString study = tmp_.path() + "/study";
    QVERIFY(QDir().mkpath(study));
    QFile table(study + "/table.json");
    QVERIFY(table.open(QIODevice::WriteOnly));
    table.write("{}");
    table.close();
    const Result re = serwb({"reproduce", "--demo", "--out", study, "--quiet"});
    QCOMPARE(re.code, 1);
    QVERIFY2(re.err.contains("--overwrite"), qPrintable(re.err));
    QVERIFY(!QFileInfo::exists(study + "/demo-corpora"));
  }

  void resumeRefusesAnotherExperiment() {
    const QString run = tmp_.path() + "/runs/resume";
    const QStringList common = {"--cache", tmp_.path() + "/cache", "--json", "--quiet"};
    const Result first = serwb(QStringList{"train", "--ravdess", acted(), "--model", "cnn", "--epochs", "1",
                                           "--seconds", "1.0", "--batch-size", "16", "--test-speakers",
                                           "demo-acted:01", "--val-speakers", "demo-acted:02", "--out", run} +
                               common);
    QVERIFY2(first.code == 0, qPrintable(first.err));
    const QByteArray config = fileBytes(run + "/config.json");
    // Without --experiment, --resume continues the run's own experiment.json with the flags over it.
    const Result seed = serwb(QStringList{"train", "--out", run, "--resume", "--seed", "7"} + common);
    QCOMPARE(seed.code, 1);
    QVERIFY2(seed.err.contains("cannot resume") && seed.err.contains("seed (42 -> 7)"), qPrintable(seed.err));
    const Result split = serwb(QStringList{"train", "--out", run, "--resume", "--test-speakers",
                                           "demo-acted:03", "--epochs", "2"} + common);
    QCOMPARE(split.code, 1);
    QVERIFY2(split.err.contains("split.test_speakers"), qPrintable(split.err));
    QCOMPARE(fileBytes(run + "/config.json"), config);
    const Result more = serwb(QStringList{"train", "--out", run, "--resume", "--epochs", "2"} + common);
    QVERIFY2(more.code == 0, qPrintable(more.err));
    QCOMPARE(more.json()["epochs"].get<int>(), 2);
    const QByteArray log = fileBytes(run + "/train.log");
    QVERIFY2(log.contains("epoch 1:") && log.contains("epoch 2:"), log.constData());
  }

  void ctrlCExits130AndSaysWhatToResume() {
    const QString run = tmp_.path() + "/runs/interrupted";
    const Result r = signalWhenSeen({"train", "--ravdess", acted(), "--model", "cnn", "--epochs", "200",
                                     "--seconds", "1.0", "--batch-size", "16", "--patience", "0",
                                     "--out", run, "--cache", tmp_.path() + "/cache"},
                                    "epoch   1 ", SIGINT);
    QCOMPARE(r.code, 130);
    QVERIFY2(r.out.contains("continue with --resume"), qPrintable(r.out + r.err));
    QVERIFY(QFileInfo::exists(run + "/last.ckpt"));
    QVERIFY(!QFileInfo::exists(run + "/metrics.json"));
  }

  void killedRunLeavesItsLog() {
    const QString run = tmp_.path() + "/runs/killed";
    const Result r = signalWhenSeen({"train", "--ravdess", acted(), "--model", "cnn", "--epochs", "200",
                                     "--seconds", "1.0", "--batch-size", "16", "--patience", "0",
                                     "--out", run, "--cache", tmp_.path() + "/cache"},
                                    "epoch   1 ", SIGKILL);
    QCOMPARE(r.code, -1);
    const QByteArray log = fileBytes(run + "/train.log");
    QVERIFY2(log.contains("== train") && log.contains("epoch 1:"), log.constData());
    // A killed run in the folder: a new one needs --resume or --overwrite.
    const Result again = serwb({"train", "--ravdess", acted(), "--out", run, "--quiet"});
    QCOMPARE(again.code, 1);
    QVERIFY2(again.err.contains("--overwrite"), qPrintable(again.err));
  }

  void randomSplitSaysItLeaksSpeakers() {
    const Result r = serwb({"train", "--ravdess", acted(), "--model", "svm", "--split", "random",
                            "--out", tmp_.path() + "/runs/random", "--cache", tmp_.path() + "/cache"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("WARNING: random split"), qPrintable(r.out));
    QFile f(tmp_.path() + "/runs/random/metrics.json");
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto m = nlohmann::json::parse(f.readAll().toStdString());
    QVERIFY(!m["split"]["speaker_independent"].get<bool>());
    QVERIFY(!m["split"]["warnings"].empty());
  }

  void networkTrainsAndCheckpointPredicts() {
    const QString run = tmp_.path() + "/runs/cnn";
    const Result r = serwb({"train", "--ravdess", acted(), "--crema-d", crowd(), "--labels", "common6",
                            "--model", "cnn", "--epochs", "1", "--seconds", "1.0", "--batch-size", "16",
                            "--test-speakers", "demo-crowd:1001,demo-crowd:1002", "--out", run,
                            "--cache", tmp_.path() + "/cache", "--json", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto m = r.json();
    QCOMPARE(m["labels"].size(), std::size_t(6));
    QVERIFY(m["per_corpus"].contains("demo-crowd"));
    QVERIFY(!m["per_corpus"].contains("demo-acted"));
    QVERIFY(m["train_samples_per_second"].get<double>() > 0);
    QVERIFY(QFileInfo::exists(run + "/best.ckpt"));
    QVERIFY(QFileInfo::exists(run + "/curves.csv"));
    const Result pr = serwb({"predict", "--checkpoint", run + "/best.ckpt",
                             crowd() + "/AudioWAV/" + QDir(crowd() + "/AudioWAV").entryList({"*.wav"}).first(),
                             "/nonexistent.wav", "--json"});
    QCOMPARE(pr.code, 1);  // one file failed; the other was predicted
    const auto p = pr.json();
    QVERIFY(p["predictions"][0].contains("label"));
    QVERIFY(p["predictions"][1].contains("error"));
  }

  void badExperimentFileIsRefusedNamingTheKey() {
    const QString file = tmp_.path() + "/bad.json";
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"corpora": [{"reader": "ravdess", "path": "x"}], "epochz": 3})");
    f.close();
    const Result r = serwb({"train", "--experiment", file, "--out", tmp_.path() + "/runs/bad"});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains("epochz") && r.err.contains("bad.json"), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
