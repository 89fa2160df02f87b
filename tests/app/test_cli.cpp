// End-to-end tests of `serwb`: each test runs the real binary on corpora written in the test
// (the synthetic demo corpus, RAVDESS-layout fixtures) and checks its JSON, exit codes and files.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
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

// Runs `program` (serwb unless given) with `args`; `extraEnv` holds NAME=value pairs.
Result run(const QString& program, const QStringList& args, const QStringList& extraEnv = {},
           int timeoutMs = 600000) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("OPENBLAS_NUM_THREADS", "1");
  for (const QString& kv : extraEnv) env.insert(kv.section('=', 0, 0), kv.section('=', 1));
  p.setProcessEnvironment(env);
  p.start(program, args);
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished();
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
          QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

Result serwb(const QStringList& args, int timeoutMs = 600000) {
  return run(SERWB_BINARY, args, {}, timeoutMs);
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

  // The front door answers --version without libtorch; the engine asks libtorch. Same text.
  void versionEqualsTheEngines() {
    const Result front = serwb({"--version"});
    const Result engine = run(SERWB_ENGINE_BINARY, {"--version"});
    QCOMPARE(engine.code, 0);
    QCOMPARE(front.out, engine.out);
  }

  void helpListsEverySubcommandWithItsDescription() {
    const Result r = serwb({"--help"});
    QCOMPARE(r.code, 0);
    for (const char* line : {"make-demo", "scan", "preprocess", "train", "evaluate", "predict", "reproduce",
                             "train and evaluate one experiment; writes a run folder",
                             "predict the emotion of audio files with a trained model"})
      QVERIFY2(r.out.contains(line), line);
    const Result train = serwb({"train", "--help"});  // answered by serwb-engine
    QCOMPARE(train.code, 0);
    QVERIFY2(train.out.contains("--model") && train.out.contains("--epochs"), qPrintable(train.out));
  }

  // Commands that do not train start without loading libtorch (LD_DEBUG=libs lists every library
  // the dynamic loader looks for); the engine's subcommands do load it.
  void onlyTheEngineLoadsLibtorch_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("loadsTorch");
    QTest::newRow("--help") << QStringList{"--help"} << false;
    QTest::newRow("--version") << QStringList{"--version"} << false;
    QTest::newRow("scan --help") << QStringList{"scan", "--help"} << false;
    QTest::newRow("preprocess --help") << QStringList{"preprocess", "--help"} << false;
    QTest::newRow("train --help") << QStringList{"train", "--help"} << true;
  }
  void onlyTheEngineLoadsLibtorch() {
    QFETCH(QStringList, args);
    QFETCH(bool, loadsTorch);
    const Result r = run(SERWB_BINARY, args, {"LD_DEBUG=libs"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains("find library="), "LD_DEBUG gave no loader trace");
    QCOMPARE(r.err.contains("libtorch"), loadsTorch);
  }

  // serwb execs serwb-engine: its exit code and messages are the engine's own.
  void engineErrorsPassThrough() {
    const QStringList args{"train", "--no-such-option"};
    const Result front = serwb(args);
    const Result engine = run(SERWB_ENGINE_BINARY, args);
    QVERIFY(front.code != 0);
    QCOMPARE(front.code, engine.code);
    QCOMPARE(front.err, engine.err);
    QVERIFY2(front.err.contains("--no-such-option"), qPrintable(front.err));
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

  void randomSplitSaysItLeaksSpeakers() {
    const Result r = serwb({"train", "--ravdess", acted(), "--model", "svm", "--split", "random",
                            "--out", tmp_.path() + "/runs/random", "--cache", tmp_.path() + "/cache"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("WARNING:") && r.out.contains("also in training"), qPrintable(r.out));
    QFile f(tmp_.path() + "/runs/random/metrics.json");
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto m = nlohmann::json::parse(f.readAll().toStdString());
    QVERIFY(!m["split"]["speaker_independent"].get<bool>());
    QVERIFY(!m["split"]["warnings"].empty());
  }

  // The leakage warning appears exactly when a test speaker trained the model: evaluations read
  // what the model was trained on from its provenance, never from guesses.
  void evaluationRecordsProvenance() {
    const QString run = tmp_.path() + "/runs/svm-provenance";
    const QString cache = tmp_.path() + "/cache";
    const Result r = serwb({"train", "--ravdess", acted(), "--labels", "common6", "--model", "svm",
                            "--test-speakers", "demo-acted:01,demo-acted:02", "--val-speakers",
                            "demo-acted:03", "--out", run, "--cache", cache, "--json", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.json()["split"]["speaker_independent"].get<bool>());

    auto evaluate = [&](const QStringList& corpus, const QString& out) {
      QStringList args = {"evaluate", "--checkpoint", run + "/model.svm"};
      args << corpus << "--out" << tmp_.path() + "/" + out << "--cache" << cache;
      return serwb(args);
    };
    // Cross-corpus: no demo-crowd speaker was seen in training.
    const Result cross = evaluate({"--crema-d", crowd()}, "eval-cross");
    QVERIFY2(cross.code == 0, qPrintable(cross.err));
    QVERIFY2(!cross.out.contains("WARNING"), qPrintable(cross.out));
    QFile f(tmp_.path() + "/eval-cross/metrics.json");
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto m = nlohmann::json::parse(f.readAll().toStdString());
    QVERIFY(m["split"]["speaker_independent"].get<bool>());
    QVERIFY(m["split"]["cross_corpus"].get<bool>());
    QVERIFY(m["split"]["provenance_known"].get<bool>());
    QCOMPARE(m["split"]["train_corpora"], nlohmann::json({"demo-acted"}));
    QCOMPARE(m["split"]["test_corpora"], nlohmann::json({"demo-crowd"}));

    // The training corpus, all speakers: 03 (validation) and 04 (training) leak.
    const Result same = evaluate({"--ravdess", acted(), "--json"}, "eval-same");
    QVERIFY2(same.code == 0, qPrintable(same.err));
    const auto j = same.json();
    QVERIFY(!j["split"]["speaker_independent"].get<bool>());
    QCOMPARE(j["split"]["test_speakers_seen_in_training"], nlohmann::json({"demo-acted:03", "demo-acted:04"}));
    const Result sameText = evaluate({"--ravdess", acted()}, "eval-same-text");
    QVERIFY2(sameText.out.contains("WARNING: 2 test speaker(s) were also in training"), qPrintable(sameText.out));

    // Only the held-out speakers of the training corpus: clean again.
    const Result held = evaluate({"--ravdess", acted(), "--speakers", "demo-acted:01,demo-acted:02", "--json"},
                                 "eval-held");
    QVERIFY2(held.code == 0, qPrintable(held.err));
    QVERIFY(held.json()["split"]["speaker_independent"].get<bool>());
    QVERIFY(!held.json()["split"]["cross_corpus"].get<bool>());
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

  void kfoldRunsEveryFoldAndSummarises() {
    const QString out = tmp_.path() + "/runs/cv";
    const Result r = serwb({"train", "--ravdess", acted(), "--model", "svm", "--split", "kfold",
                            "--folds", "3", "--out", out, "--cache", tmp_.path() + "/cache", "--json",
                            "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto j = r.json();
    QCOMPARE(j["folds"].get<int>(), 3);
    QCOMPARE(j["folds_run"].get<int>(), 3);
    QFile f(out + "/summary.json");
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto summary = nlohmann::json::parse(f.readAll().toStdString());
    QCOMPARE(summary["wa_mean"].get<double>(), j["wa_mean"].get<double>());
    std::vector<double> wa, uar, f1;
    std::set<std::string> tested;
    int n = 0;
    for (int k = 1; k <= 3; ++k) {
      const QString dir = out + "/fold-" + QString::number(k);
      for (const char* file : {"metrics.json", "predictions.csv", "config.json", "model.svm"})
        QVERIFY2(QFileInfo::exists(dir + "/" + file), qPrintable(dir + "/" + file));
      QFile mf(dir + "/metrics.json");
      QVERIFY(mf.open(QIODevice::ReadOnly));
      const auto m = nlohmann::json::parse(mf.readAll().toStdString());
      wa.push_back(m["wa"].get<double>());
      uar.push_back(m["uar"].get<double>());
      f1.push_back(m["macro_f1"].get<double>());
      n += m["n"].get<int>();
      for (const auto& s : m["split"]["test_speakers"]) QVERIFY(tested.insert(s.get<std::string>()).second);
      QCOMPARE(summary["per_fold"][k - 1]["test_speakers"], m["split"]["test_speakers"]);
    }
    QCOMPARE(int(tested.size()), 4);  // every speaker tested once
    QCOMPARE(summary["pooled"]["n"].get<int>(), n);
    auto meanSd = [](const std::vector<double>& v) {
      double mu = 0, sq = 0;
      for (double x : v) mu += x / double(v.size());
      for (double x : v) sq += (x - mu) * (x - mu);
      return std::make_pair(mu, std::sqrt(sq / double(v.size() - 1)));
    };
    const std::vector<std::pair<const char*, std::vector<double>>> figures = {
        {"wa", wa}, {"uar", uar}, {"macro_f1", f1}};
    for (const auto& [name, values] : figures) {
      const auto [mu, sd] = meanSd(values);
      QVERIFY2(std::abs(summary[std::string(name) + "_mean"].get<double>() - mu) < 1e-12, name);
      QVERIFY2(std::abs(summary[std::string(name) + "_sd"].get<double>() - sd) < 1e-12, name);
    }

    // --fold N runs that one fold (1-based) as an ordinary run folder, with the same result.
    const Result one = serwb({"train", "--ravdess", acted(), "--model", "svm", "--split", "kfold",
                              "--folds", "3", "--fold", "2", "--out", tmp_.path() + "/runs/cv-fold2",
                              "--cache", tmp_.path() + "/cache", "--json", "--quiet"});
    QVERIFY2(one.code == 0, qPrintable(one.err));
    QCOMPARE(one.json()["wa"].get<double>(), wa[1]);
    QCOMPARE(one.json()["split"]["test_speakers"], summary["per_fold"][1]["test_speakers"]);

    // The text output names every fold and the mean +- sd; a rerun reuses the finished folds.
    const Result text = serwb({"train", "--ravdess", acted(), "--model", "svm", "--split", "kfold",
                               "--folds", "3", "--out", out, "--cache", tmp_.path() + "/cache"});
    QVERIFY2(text.code == 0, qPrintable(text.err));
    QVERIFY2(text.out.contains("mean +- sd over 3 folds") && text.out.contains("3 already finished"),
             qPrintable(text.out));
  }

  void foldsFileDrivesTheFolds() {
    const QString file = tmp_.path() + "/folds.csv";
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("speaker,fold\ndemo-acted:01,1\ndemo-acted:02,1\ndemo-acted:03,2\ndemo-acted:04,2\n");
    f.close();
    const QString out = tmp_.path() + "/runs/cv-file";
    const Result r = serwb({"train", "--ravdess", acted(), "--model", "svm", "--folds-file", file,
                            "--out", out, "--cache", tmp_.path() + "/cache", "--json", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto j = r.json();
    QCOMPARE(j["folds"].get<int>(), 2);
    QCOMPARE(j["per_fold"][0]["test_speakers"], nlohmann::json({"demo-acted:01", "demo-acted:02"}));
    QCOMPARE(j["per_fold"][1]["test_speakers"], nlohmann::json({"demo-acted:03", "demo-acted:04"}));
    QVERIFY(j["folds_source"].get<std::string>().find("folds.csv") != std::string::npos);
  }

  void foldErrorsAreOneLine_data() {
    QTest::addColumn<QString>("folds");  // folds file text; empty = use the preset
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("unknown speaker in the file")
        << "speaker,fold\ndemo-acted:01,1\ndemo-acted:02,1\ndemo-acted:03,2\ndemo-acted:04,2\nravdess:01,2\n"
        << QStringList() << QStringList{"folds.csv", "line 6", "ravdess:01"};
    QTest::newRow("duplicate row")
        << "speaker,fold\ndemo-acted:01,1\ndemo-acted:02,2\ndemo-acted:01,2\n" << QStringList()
        << QStringList{"folds.csv", "line 4", "first on line 2"};
    QTest::newRow("preset without RAVDESS actors")
        << QString() << QStringList{"--folds-preset", "emobox-ravdess"}
        << QStringList{"emobox-ravdess", "demo-acted:01"};
    QTest::newRow("unknown preset") << QString() << QStringList{"--folds-preset", "emobox"}
                                    << QStringList{"folds_preset", "emobox-ravdess"};
    QTest::newRow("fold 0") << QString() << QStringList{"--split", "kfold", "--fold", "0"}
                            << QStringList{"fold", "1-based"};
  }
  void foldErrorsAreOneLine() {
    QFETCH(QString, folds);
    QFETCH(QStringList, extra);
    QFETCH(QStringList, mentions);
    QStringList args{"train", "--ravdess", acted(), "--model", "svm", "--out",
                     tmp_.path() + "/runs/cv-bad", "--cache", tmp_.path() + "/cache",
                     "--quiet"};  // no stage lines: stderr holds the error alone
    QTemporaryDir dir;
    if (!folds.isEmpty()) {
      const QString file = dir.path() + "/folds.csv";
      QFile f(file);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(folds.toUtf8());
      f.close();
      args << "--folds-file" << file;
    }
    const Result r = serwb(args + extra);
    QVERIFY(r.code != 0);
    QVERIFY2(!r.err.trimmed().contains('\n'), qPrintable(r.err));
    for (const QString& m : mentions) QVERIFY2(r.err.contains(m), qPrintable(r.err));
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
