// The clip map: a trained CNN's penultimate-layer embeddings of a run's test clips (and of
// corpora), projected and cached in the run folder; the classifier behind it agrees with the
// run's own predictions. Trains a small CNN on the synthetic demo corpus (1 s clips, 2 epochs).
#include <filesystem>
#include <thread>

#include "core/audio/audio_file.h"
#include "core/base/atomic_file.h"
#include "core/base/csv.h"
#include "core/base/error.h"
#include "core/demo/demo_corpus.h"
#include "core/pipeline/clip_classifier.h"
#include "core/pipeline/clip_map.h"
#include "core/pipeline/experiment_runner.h"

// Qt after libtorch: Qt's `slots` macro breaks torch headers parsed after it.
#include <QTemporaryDir>
#include <QtTest>

using namespace ser;
namespace fs = std::filesystem;

class TestClipMap : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  DemoCorpusSummary demo_;
  RunRecord run_;
  std::string checkpoint_;

  fs::path path(const char* name) const { return fs::path(tmp_.path().toStdString()) / name; }

  EmbedOptions options() const {
    EmbedOptions o;
    o.checkpoint = checkpoint_;
    o.cache = path("cache").string();
    o.device = DeviceChoice::Cpu;
    return o;
  }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    DemoCorpusOptions d;
    d.actedActors = 4;
    d.crowdActors = 2;
    d.crowdSentences = 1;
    demo_ = makeDemoCorpus(path("demo").string(), d);
    Experiment e;
    CorpusSpec c;
    c.reader = CorpusReader::Ravdess;
    c.path = demo_.actedDir;
    e.corpora = {c};
    e.model = ExperimentModel::Cnn;
    e.split.testSpeakers = {"demo-acted:01", "demo-acted:02"};
    e.split.validationSpeakers = {"demo-acted:03"};
    e.frontEnd.audio.fixedSeconds = 1.0;
    e.training.epochs = 2;
    e.training.batch_size = 16;
    e.training.threads = 1;
    e.training.device = DeviceChoice::Cpu;
    e.cache = path("cache").string();
    RunOptions o;
    o.outDir = path("run").string();
    const RunOutcome r = runExperiment(e, o);
    QVERIFY(r.record);
    run_ = loadRunRecord(r.dir);
    checkpoint_ = runCheckpoint(run_);
    QCOMPARE(fs::path(checkpoint_).filename().string(), std::string("best.ckpt"));
  }

  // One embedding per test clip, in the run's order, from the network's 128-wide pooled layer.
  void embeddingsOfTheRunsTestClips() {
    const ClipMap map = embedRunClips(run_, options());
    QCOMPARE(map.points.size(), run_.predictions.size());
    QVERIFY(map.failures.empty());
    QCOMPARE(map.labels, run_.labels());
    ClipClassifier classifier(checkpoint_, DeviceChoice::Cpu);
    QCOMPARE(classifier.embeddingSize(), 128);
    QCOMPARE(map.points.front().embedding.size(), std::size_t(128));
    const ClipMap again = embedRunClips(run_, options());
    for (std::size_t i = 0; i < map.points.size(); ++i) {
      QCOMPARE(map.points[i].path, run_.predictions[i].path);
      QCOMPARE(map.points[i].embedding, again.points[i].embedding);  // deterministic
      for (float v : map.points[i].embedding) QVERIFY(v >= 0.0f);   // after ReLU and pooling
    }
  }

  // embedCorpora predicts through the head on the embedding (ClipClassifier::apply): on the
  // run's test speakers its probabilities equal predictions.csv (same model, same per-speaker
  // normalisation), so the embedding is the input of the layer that made the run's predictions.
  void probabilitiesAgreeWithTheRun() {
    EmbedOptions o = options();
    CorpusSpec c;
    c.reader = CorpusReader::Ravdess;
    c.path = demo_.actedDir;
    o.corpora = {c};
    o.speakers = run_.split.testSpeakers;
    const ClipMap map = embedCorpora(o);
    QCOMPARE(map.points.size(), run_.predictions.size());
    std::map<std::string, const Prediction*> byPath;
    for (const auto& p : run_.predictions) byPath[p.path] = &p;
    int agree = 0;
    for (const MapPoint& p : map.points) {
      const Prediction* r = byPath.at(p.path);
      QCOMPARE(p.truth, r->truth);
      for (std::size_t k = 0; k < p.probabilities.size(); ++k)
        QVERIFY2(std::abs(p.probabilities[k] - r->probabilities[k]) < 2e-3,
                 qPrintable(QString("%1: %2 vs %3").arg(QString::fromStdString(p.path)).arg(p.probabilities[k]).arg(r->probabilities[k])));
      agree += p.predicted == r->predicted;
    }
    QVERIFY(agree >= int(map.points.size()) - 1);  // ties may break either way
    QVERIFY(map.synthetic);
  }

  void cachedInTheRunFolder() {
    const fs::path pcaFile = clipMapCacheFile(run_.path, ProjectionMethod::Pca);
    fs::remove(pcaFile);
    fs::remove(clipMapCacheFile(run_.path, ProjectionMethod::Tsne));
    const ClipMap first = clipMapForRun(run_, options());
    QVERIFY(!first.fromCache);
    QVERIFY(fs::exists(pcaFile));
    const ClipMap second = clipMapForRun(run_, options());
    QVERIFY(second.fromCache);
    QCOMPARE(second.points.size(), first.points.size());
    for (std::size_t i = 0; i < first.points.size(); ++i) {
      QVERIFY(std::abs(second.points[i].x - first.points[i].x) < 1e-6 * (1 + std::abs(first.points[i].x)));
      QCOMPARE(second.points[i].truth, first.points[i].truth);
      QCOMPARE(second.points[i].embedding.size(), first.points[i].embedding.size());
    }
    // t-SNE reuses the cached embeddings and writes its own cache.
    EmbedOptions t = options();
    t.method = ProjectionMethod::Tsne;
    t.tsne.iterations = 250;
    t.tsne.exaggerationIterations = 100;
    const ClipMap tsne = clipMapForRun(run_, t);
    QVERIFY(!tsne.fromCache);
    QVERIFY(tsne.method == ProjectionMethod::Tsne);
    QVERIFY(fs::exists(clipMapCacheFile(run_.path, ProjectionMethod::Tsne)));
    QVERIFY(clipMapForRun(run_, t).fromCache);
    // A cache older than the checkpoint is stale: recomputed.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    fs::last_write_time(checkpoint_, fs::file_time_type::clock::now());
    QVERIFY(!loadCachedClipMap(run_, ProjectionMethod::Pca, checkpoint_));
    // A damaged cache is recomputed, never an error.
    writeFileAtomic(pcaFile, std::string("clip,x\n\"unterminated\n"));
    QVERIFY(!clipMapForRun(run_, options()).fromCache);
  }

  void csvHasTheDocumentedColumns() {
    ClipMap map = embedRunClips(run_, options());
    const std::string text = clipMapCsv(map, true);
    const CsvTable t = parseCsv(text, "map");
    QCOMPARE(t.header[0], std::string("clip"));
    QCOMPARE(t.column("x"), 7);
    QVERIFY(t.column("p_" + map.labels.front()) > 8);
    QVERIFY(t.column("e127") > 0);
    QCOMPARE(t.rows.size(), map.points.size());
    QCOMPARE(CsvTable::value(t.rows[0], t.column("true")), map.labels[std::size_t(map.points[0].truth)]);
    QVERIFY(parseCsv(clipMapCsv(map, false), "m").column("e0") < 0);
  }

  void refusesWhatHasNoEmbedding() {
    auto message = [](auto&& f) {
      try {
        f();
      } catch (const Error& e) {
        return QString::fromStdString(e.what());
      }
      return QString();
    };
    writeFileAtomic(path("model.svm"), std::string("x"));
    QVERIFY(message([&] { ClipClassifier c(path("model.svm").string()); }).contains("SVM"));
    writeFileAtomic(path("broken.ckpt"), std::string("not a checkpoint"));
    QVERIFY(message([&] { ClipClassifier c(path("broken.ckpt").string()); }).contains("broken.ckpt"));
    QVERIFY_THROWS_EXCEPTION(ParameterError, projectionMethodFromString("umap"));
  }

  void classifiesSamplesAtAnyRate() {
    ClipClassifier c(checkpoint_, DeviceChoice::Cpu);
    QCOMPARE(c.windowSamples(), std::size_t(c.frontEnd().audio.sampleRate));  // 1 s clips
    const MonoAudio a = loadMono(run_.predictions.front().path);
    const std::vector<float> p = c.classifySamples(a.samples, a.sampleRate);
    QCOMPARE(p.size(), c.labels().size());
    float sum = 0;
    for (float v : p) sum += v;
    QVERIFY(std::abs(sum - 1.0f) < 1e-4);
    // The same clip at another rate gives nearly the same answer (resampled by the front end).
    std::vector<float> doubled;
    for (float v : a.samples) {
      doubled.push_back(v);
      doubled.push_back(v);
    }
    const std::vector<float> q = c.classifySamples(doubled, a.sampleRate * 2);
    QCOMPARE(q.size(), p.size());
    // Silence is classified too (no NaN from the per-clip normalisation).
    for (float v : c.classifySamples(std::vector<float>(8000, 0.0f), 16000)) QVERIFY(std::isfinite(v));
  }

  void cancels() {
    CancelFlag flag;
    flag.cancel();
    EmbedOptions o = options();
    o.cancel = &flag;
    QVERIFY_THROWS_EXCEPTION(Cancelled, embedRunClips(run_, o));
  }
};

QTEST_GUILESS_MAIN(TestClipMap)
#include "tst_clip_map.moc"
