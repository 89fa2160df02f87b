// End-to-end tests of `serwb`: each test runs the real binary on corpora written in the test
// (the synthetic demo corpus, RAVDESS-layout fixtures) and checks its JSON, exit codes and files.
#include <signal.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <nlohmann/json.hpp>

#include "tests/fixtures/corpus_fixtures.h"

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

// Runs serwb with arguments as raw bytes (QProcess arguments are QStrings, which cannot carry
// a Latin-1 file name): through /bin/sh, every argument single-quoted.
struct ByteResult {
  int code = -1;
  std::string out;
  std::string err;
};
ByteResult serwbBytes(const std::vector<std::string>& args, const std::string& scratch) {
  auto quote = [](const std::string& a) {
    std::string q = "'";
    for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  std::string command = "OPENBLAS_NUM_THREADS=1 " + quote(SERWB_BINARY);
  for (const auto& a : args) command += " " + quote(a);
  const std::string errFile = scratch + "/stderr.txt";
  command += " 2>" + quote(errFile);
  ByteResult r;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) r.out.append(buf, n);
  const int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(errFile, std::ios::binary);
  r.err.assign(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>());
  return r;
}

// The original bytes of a string from serwb's JSON: U+F780..U+F7FF stand for bytes 0x80..0xFF
// (the README's rule, implemented here independently of core/base/json_text).
std::string jsonBytes(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    if (i + 2 < s.size() && b(i) == 0xEF && (b(i + 1) == 0x9E || b(i + 1) == 0x9F)) {
      const unsigned cp = 0xF000u | ((b(i + 1) & 0x3Fu) << 6) | (b(i + 2) & 0x3Fu);
      if (cp >= 0xF780 && cp <= 0xF7FF) {
        out += static_cast<char>(cp - 0xF700);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A cache folder whose entries cannot be written: each entry's sub-folder name is taken by a
// file (a real write failure, even for root, who ignores permissions).
void blockCache(const std::string& dir) {
  std::filesystem::create_directories(dir);
  for (int i = 0; i < 256; ++i) {
    char name[3];
    std::snprintf(name, sizeof name, "%02x", i);
    std::ofstream(dir + "/" + name) << "x";
  }
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
    for (const char* s : {"make-demo", "scan", "preprocess", "train", "evaluate", "predict", "embed", "reproduce"})
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
    for (const char* line : {"make-demo", "scan", "preprocess", "train", "evaluate", "predict", "embed", "reproduce",
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
    const QStringList args{"train", "--out", tmp_.path() + "/runs/none", "--no-such-option"};
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

    // A per-speaker SVM keeps no statistics for a speaker it has not seen: one clip alone is
    // refused with the file and the way out...
    const QString clip = acted() + "/Actor_01/03-01-05-02-01-01-01.wav";
    const Result alone = serwb({"predict", "--checkpoint", run + "/model.svm", clip, "--json"});
    QCOMPARE(alone.code, 1);
    const auto refused = alone.json();
    const std::string why = refused["predictions"][0].value("error", std::string());
    QVERIFY2(why.find(clip.toStdString()) != std::string::npos && why.find("--one-speaker") != std::string::npos,
             why.c_str());
    // ... and all of that speaker's clips, predicted as one speaker, get exactly evaluate's answers.
    QStringList clips;
    const QDir actor(acted() + "/Actor_01");
    for (const QString& f : actor.entryList({"*.wav"}, QDir::Files, QDir::Name)) clips << actor.filePath(f);
    QCOMPARE(clips.size(), 30);
    const Result pr = serwb(QStringList{"predict", "--checkpoint", run + "/model.svm", "--one-speaker", "--json"} + clips);
    QVERIFY2(pr.code == 0, qPrintable(pr.err));
    const auto p = pr.json();
    QCOMPARE(p["predictions"].size(), std::size_t(30));
    std::map<std::string, std::string> evaluated;  // path -> predicted, from evaluate's predictions.csv
    std::istringstream csv(readAll((tmp_.path() + "/eval/predictions.csv").toStdString()));
    std::string line;
    std::getline(csv, line);  // header: path,corpus,speaker,sex,true,predicted,...
    while (std::getline(csv, line)) {
      std::vector<std::string> cells;
      std::stringstream row(line);
      for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
      if (cells.size() > 5) evaluated[cells[0]] = cells[5];
    }
    for (const auto& one : p["predictions"]) {
      const std::string path = one["path"].get<std::string>();
      QVERIFY2(evaluated.count(path), path.c_str());
      QCOMPARE(QString::fromStdString(one["label"].get<std::string>()), QString::fromStdString(evaluated[path]));
      double sum = 0;
      for (const auto& [k, v] : one["probabilities"].items()) sum += v.get<double>();
      QVERIFY(std::abs(sum - 1.0) < 1e-3);
    }
  }

  // Bad-input classes at the command line: each row either refuses with a message naming the
  // file, or goes on with the clip counts of what was actually used.
  void cacheWriteFailureKeepsEveryClip() {
    const std::string cache = (tmp_.path() + "/cache-blocked").toStdString();
    blockCache(cache);
    const Result pp = serwb({"preprocess", "--ravdess", acted(), "--cache",
                             QString::fromStdString(cache), "--json"});
    QCOMPARE(pp.code, 0);
    const auto p = pp.json();
    QCOMPARE(p["computed"].get<int>(), 120);
    QCOMPARE(p["failed"].get<int>(), 0);
    QCOMPARE(p["cache_write_failures"].get<int>(), 120);
    QCOMPARE(p["warnings"].size(), std::size_t(1));
    QVERIFY(p["warnings"][0].get<std::string>().find("could not write 120 feature cache entries") !=
            std::string::npos);

    const QString run = tmp_.path() + "/runs/svm-blocked-cache";
    const Result r = serwb({"train", "--ravdess", acted(), "--model", "svm", "--split", "speakers",
                            "--test-speakers", "demo-acted:01,demo-acted:02", "--val-speakers",
                            "demo-acted:03", "--out", run, "--cache", QString::fromStdString(cache),
                            "--json", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto m = r.json();
    QCOMPARE(m["n"].get<int>(), 60);  // every test clip, none dropped
    QCOMPARE(m["split"]["train_clips"].get<int>(), 30);
    QCOMPARE(m["split"]["test_clips"].get<int>(), 60);
    QCOMPARE(m["failed_clips"].get<int>(), 0);
    const std::string log = readAll((run + "/train.log").toStdString());
    QVERIFY2(log.find("warning: could not write 120 feature cache entries") != std::string::npos,
             log.c_str());

    // A cache folder that cannot even be made: the run goes on without a cache, and says so.
    ser::fixtures::writeTextFile((tmp_.path() + "/a-file").toStdString(), "x");
    const QString run2 = tmp_.path() + "/runs/svm-no-cache";
    const Result r2 = serwb({"train", "--ravdess", acted(), "--model", "svm", "--split", "speakers",
                             "--test-speakers", "demo-acted:01,demo-acted:02", "--val-speakers",
                             "demo-acted:03", "--out", run2, "--cache", tmp_.path() + "/a-file/cache",
                             "--json", "--quiet"});
    QVERIFY2(r2.code == 0, qPrintable(r2.err));
    QCOMPARE(r2.json()["n"].get<int>(), 60);
    QCOMPARE(r2.json()["wa"].get<double>(), m["wa"].get<double>());
    const std::string log2 = readAll((run2 + "/train.log").toStdString());
    QVERIFY2(log2.find("warning: cannot create cache folder") != std::string::npos, log2.c_str());
  }

  void nonFiniteAudioIsLeftOutNamingTheFile() {
    // A copy of the demo corpus with a NaN clip (test speaker) and an overflowing clip (training).
    const std::string root = (tmp_.path() + "/acted-damaged").toStdString();
    std::filesystem::copy(acted().toStdString(), root, std::filesystem::copy_options::recursive);
    const std::string nanClip = root + "/Actor_01/03-01-05-02-01-01-01.wav";
    const std::string hugeClip = root + "/Actor_04/03-01-05-02-01-01-04.wav";
    ser::fixtures::writeBadAudio(nanClip, ser::fixtures::BadAudio::NanSamples);
    ser::fixtures::writeBadAudio(hugeClip, ser::fixtures::BadAudio::HugeSamples);
    const QString cache = tmp_.path() + "/cache";

    const auto pp = serwb({"preprocess", "--ravdess", QString::fromStdString(root), "--cache",
                           cache, "--json"}).json();
    QCOMPARE(pp["failed"].get<int>(), 2);
    QCOMPARE(pp["computed"].get<int>() + pp["cached"].get<int>(), 118);

    const QString run = tmp_.path() + "/runs/svm-nan";
    const Result r = serwb({"train", "--ravdess", QString::fromStdString(root), "--model", "svm",
                            "--test-speakers", "demo-acted:01,demo-acted:02", "--val-speakers",
                            "demo-acted:03", "--out", run, "--cache", cache, "--json", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto m = r.json();
    QCOMPARE(m["n"].get<int>(), 59);
    QCOMPARE(m["split"]["test_clips"].get<int>(), 59);
    QCOMPARE(m["split"]["train_clips"].get<int>(), 29);
    QCOMPARE(m["failed_clips"].get<int>(), 2);
    QVERIFY(std::isfinite(m["wa"].get<double>()) && std::isfinite(m["uar"].get<double>()));
    const std::string log = readAll((run + "/train.log").toStdString());
    QVERIFY2(log.find("left out: '" + nanClip + "': sample 800 is not a finite number (NaN)") !=
                 std::string::npos, log.c_str());
    QVERIFY2(log.find("left out: '" + hugeClip + "': features are not finite") != std::string::npos,
             log.c_str());
    const std::string csv = readAll((run + "/predictions.csv").toStdString());
    QVERIFY(csv.find(",nan") == std::string::npos && csv.find(",inf") == std::string::npos);

    const Result ev = serwb({"evaluate", "--checkpoint", run + "/model.svm", "--ravdess",
                             QString::fromStdString(root), "--speakers", "demo-acted:01",
                             "--out", tmp_.path() + "/eval-nan", "--cache", cache, "--json",
                             "--quiet"});
    QVERIFY2(ev.code == 0, qPrintable(ev.err));
    QCOMPARE(ev.json()["n"].get<int>(), 29);
    QCOMPARE(ev.json()["failed_clips"].get<int>(), 1);

    const Result pr = serwb({"predict", "--checkpoint", run + "/model.svm", "--one-speaker",
                             QString::fromStdString(nanClip), QString::fromStdString(hugeClip),
                             QString::fromStdString(root + "/Actor_01/03-01-05-01-01-01-01.wav"),
                             "--json"});
    QCOMPARE(pr.code, 1);
    const auto p = pr.json()["predictions"];
    QVERIFY(!p[0].contains("probabilities"));
    QVERIFY2(p[0]["error"].get<std::string>().find("not a finite number") != std::string::npos,
             p[0].dump().c_str());
    QVERIFY(!p[1].contains("probabilities"));
    QVERIFY2(p[1]["error"].get<std::string>().find("features are not finite") != std::string::npos,
             p[1].dump().c_str());
    QVERIFY(p[2].contains("probabilities"));
  }

  void predictOnAFifoDoesNotBlock() {
    const std::string fifo = (tmp_.path() + "/pipe.wav").toStdString();
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    const Result pr = serwb({"predict", "--checkpoint", tmp_.path() + "/runs/svm/model.svm",
                             QString::fromStdString(fifo), "--json"},
                            60000);
    QCOMPARE(pr.code, 1);  // -1 if it had to be killed
    std::filesystem::remove(fifo);
    QVERIFY2(pr.json()["predictions"][0]["error"].get<std::string>().find("is a FIFO") !=
                 std::string::npos,
             qPrintable(pr.out));
  }

  void oneFileUnderTwoSpeakersIsRefusedBySpeakerSplit() {
    QTemporaryDir dir;
    const std::string a = acted().toStdString();
    std::string csv = "path,emotion,speaker,sex\n";
    for (const char* actor : {"01", "02", "03", "04"})
      for (const auto& [code, emotion] : {std::pair{"01", "neutral"}, std::pair{"03", "happy"},
                                          std::pair{"05", "angry"}})
        csv += a + "/Actor_" + actor + "/03-01-" + code + "-01-01-01-" + actor + ".wav," +
               emotion + "," + actor + ",f\n";
    const std::string dup = a + "/Actor_01/03-01-05-01-01-01-01.wav";
    csv += dup + ",angry,04,f\n";  // actor 01's clip again, as actor 04's
    ser::fixtures::writeTextFile(dir.path().toStdString() + "/m.csv", csv);
    const QString manifest = dir.path() + "/m.csv";

    const Result scan = serwb({"scan", "--manifest", manifest, "--json"});
    QCOMPARE(scan.code, 0);
    QVERIFY2(scan.json()["warnings"].dump().find("listed twice") != std::string::npos,
             qPrintable(scan.out));

    const Result r = serwb({"train", "--manifest", manifest, "--model", "svm", "--test-speakers",
                            "m:01", "--val-speakers", "m:02", "--out", dir.path() + "/run",
                            "--cache", tmp_.path() + "/cache", "--quiet"});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains(QString::fromStdString(dup)) && r.err.contains("'m:01' (test)") &&
                 r.err.contains("'m:04' (training)"),
             qPrintable(r.err));
  }

  // Non-UTF-8 names end to end: a Latin-1 corpus folder, file name, run folder and CSV field.
  // JSON output escapes the bytes reversibly (README); CSV keeps them raw; serwb reads its own
  // JSON back (experiment.json, config.json) to the original bytes.
  void latin1NamesWorkEndToEnd() {
    const std::string base = tmp_.path().toStdString();
    const std::string root = base + "/corpus-caf\xe9";
    // QTemporaryDir cannot remove names that are not UTF-8 (a QString cannot hold them).
    struct RemoveOnExit {
      std::vector<std::string> paths;
      ~RemoveOnExit() {
        std::error_code ec;
        for (const auto& p : paths) std::filesystem::remove_all(p, ec);
      }
    } cleanup{{root, base + "/runs-\xe9t\xe9"}};
    std::filesystem::copy(acted().toStdString(), root, std::filesystem::copy_options::recursive);
    ser::fixtures::writeTextFile(root + "/Actor_01/not-a-clip-\xe9.wav", "text");
    const std::string cache = base + "/cache";

    const ByteResult scan = serwbBytes({"scan", "--ravdess", root, "--json"}, base);
    QVERIFY2(scan.code == 0, scan.err.c_str());
    const auto sj = nlohmann::json::parse(scan.out);  // valid UTF-8 JSON
    QCOMPARE(sj["clips"].get<int>(), 120);
    QCOMPARE(jsonBytes(sj["skipped"][0]["path"].get<std::string>()),
             root + "/Actor_01/not-a-clip-\xe9.wav");

    const ByteResult pp = serwbBytes({"preprocess", "--ravdess", root, "--cache", cache, "--json"}, base);
    QVERIFY2(pp.code == 0, pp.err.c_str());
    QCOMPARE(nlohmann::json::parse(pp.out)["failed"].get<int>(), 0);

    const std::string run = base + "/runs-\xe9t\xe9/svm";
    const ByteResult tr = serwbBytes({"train", "--ravdess", root, "--model", "svm",
                                      "--test-speakers", "demo-acted:01,demo-acted:02",
                                      "--val-speakers", "demo-acted:03", "--out", run, "--cache",
                                      cache, "--json", "--quiet"}, base);
    QVERIFY2(tr.code == 0, tr.err.c_str());
    const auto m = nlohmann::json::parse(tr.out);
    QCOMPARE(m["n"].get<int>(), 60);
    const auto config = nlohmann::json::parse(readAll(run + "/config.json"));
    QCOMPARE(jsonBytes(config["corpora"][0]["path"].get<std::string>()), root);
    QVERIFY(!nlohmann::json::parse(readAll(run + "/metrics.json")).empty());
    QVERIFY(readAll(run + "/predictions.csv").find(root + "/Actor_01/") != std::string::npos);

    const ByteResult again = serwbBytes({"train", "--experiment", run + "/experiment.json", "--out",
                                         run + "-again", "--json", "--quiet"}, base);
    QVERIFY2(again.code == 0, again.err.c_str());
    QCOMPARE(nlohmann::json::parse(again.out)["wa"].get<double>(), m["wa"].get<double>());

    const ByteResult ev = serwbBytes({"evaluate", "--checkpoint", run + "/model.svm", "--ravdess",
                                      root, "--speakers", "demo-acted:01,demo-acted:02", "--out",
                                      run + "-eval", "--cache", cache, "--json", "--quiet"}, base);
    QVERIFY2(ev.code == 0, ev.err.c_str());
    QCOMPARE(nlohmann::json::parse(ev.out)["wa"].get<double>(), m["wa"].get<double>());

    const std::string clip = root + "/Actor_01/03-01-05-02-01-01-01.wav";
    const std::string latinClip = root + "/Actor_01/voix-\xe9mue.wav";
    std::filesystem::copy_file(clip, latinClip);
    // With another clip of the speaker: this SVM normalises per speaker.
    const ByteResult pr = serwbBytes({"predict", "--checkpoint", run + "/model.svm", "--one-speaker", latinClip,
                                      clip, "--json"}, base);
    QVERIFY2(pr.code == 0, pr.err.c_str());
    const auto p = nlohmann::json::parse(pr.out)["predictions"][0];
    QCOMPARE(jsonBytes(p["path"].get<std::string>()), latinClip);
    QVERIFY(p.contains("probabilities"));

    // A CSV field (speaker) in Latin-1.
    ser::fixtures::writeTextFile(base + "/latin.csv",
                                 "path,emotion,speaker\n" + clip + ",angry,Jos\xe9\n" + latinClip +
                                     ",sad,Jos\xe9\n");
    const ByteResult ms = serwbBytes({"scan", "--manifest", base + "/latin.csv", "--json"}, base);
    QVERIFY2(ms.code == 0, ms.err.c_str());
    QCOMPARE(jsonBytes(nlohmann::json::parse(ms.out)["speaker_ids"][0].get<std::string>()),
             std::string("latin:Jos\xe9"));
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

  // serwb embed on the demo corpora with the CNN of networkTrainsAndCheckpointPredicts: one row
  // per clip with a common-6 label, both corpora, finite coordinates; t-SNE too; bad input named.
  void embedWritesTheClipMap() {
    const QString ckpt = tmp_.path() + "/runs/cnn/best.ckpt";
    QVERIFY2(QFileInfo::exists(ckpt), "networkTrainsAndCheckpointPredicts runs first");
    const QString out = tmp_.path() + "/map.csv";
    const Result r = serwb({"embed", "--checkpoint", ckpt, "--ravdess", acted(), "--crema-d", crowd(),
                            "--out", out, "--with-embedding", "--cache", tmp_.path() + "/cache", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto j = r.json();
    QCOMPARE(j["dimensions"].get<int>(), 128);
    QCOMPARE(j["method"].get<std::string>(), std::string("pca"));
    QVERIFY(j["synthetic"].get<bool>());
    // 4 acted actors x 30 clips, of which calm and surprised (4 each per actor) have no common-6
    // label; every crowd clip has one.
    const Result scan = serwb({"scan", "--crema-d", crowd(), "--json"});
    const int crowdClips = scan.json()["clips"].get<int>();
    QCOMPARE(j["clips"].get<int>(), 4 * 22 + crowdClips);
    QCOMPARE(j["left_out_labels"].get<int>(), 4 * 8);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1 + j["clips"].get<int>());
    QVERIFY2(lines[0].startsWith("clip,speaker,sex,corpus,true,predicted,correct,x,y,p_"), qPrintable(lines[0]));
    QVERIFY(lines[0].endsWith(",e127"));
    QSet<QString> corpora;
    for (int i = 1; i < lines.size(); ++i) {
      const QStringList cells = lines[i].split(',');
      corpora.insert(cells[3]);
      bool ok = false;
      QVERIFY(std::isfinite(cells[7].toDouble(&ok)) && ok);
      QVERIFY(std::isfinite(cells[8].toDouble(&ok)) && ok);
    }
    QCOMPARE(corpora, (QSet<QString>{"demo-acted", "demo-crowd"}));

    const Result tsne = serwb({"embed", "--checkpoint", ckpt, "--crema-d", crowd(), "--out",
                               tmp_.path() + "/map-tsne.csv", "--method", "tsne", "--perplexity", "5",
                               "--cache", tmp_.path() + "/cache", "--json"});
    QVERIFY2(tsne.code == 0, qPrintable(tsne.err));
    QCOMPARE(tsne.json()["method"].get<std::string>(), std::string("tsne"));

    const Result bad = serwb({"embed", "--checkpoint", ckpt, "--crema-d", crowd(), "--out",
                              tmp_.path() + "/x.csv", "--method", "umap"});
    QCOMPARE(bad.code, 1);
    QVERIFY2(bad.err.contains("method") && bad.err.contains("umap"), qPrintable(bad.err));
    const Result noModel = serwb({"embed", "--checkpoint", tmp_.path() + "/nope.ckpt", "--crema-d", crowd(),
                                  "--out", tmp_.path() + "/x.csv"});
    QCOMPARE(noModel.code, 1);
    QVERIFY2(noModel.err.contains("nope.ckpt"), qPrintable(noModel.err));
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
