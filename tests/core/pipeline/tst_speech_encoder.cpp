// Pretrained speech encoders (core/model/speech_encoder.h, core/pipeline/encoder_features.h,
// model encoder): files exported by tools/export_encoder.py with random weights, their hidden
// states against Python's on a real clip, the clear errors for files that break the contract, the
// per-clip cache, and `model encoder` trained, evaluated and used for prediction end to end.
// Needs /usr/bin/python3 with torch and torchaudio (Debian's python3-torchaudio); skips otherwise.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/audio/front_end.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/demo/demo_corpus.h"
#include "core/model/encoder_head.h"
#include "core/pipeline/encoder_features.h"
#include "core/pipeline/experiment_runner.h"
#include "core/runs/run_record.h"

// Qt after libtorch: Qt's `slots` macro breaks torch headers parsed after it.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace fs = std::filesystem;

namespace {

QString python() {
  return QFile::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3")
                                                           : QStringLiteral("python3");
}

// Runs python with `args`; returns "" on success, else its output.
QString runPython(const QStringList& args, int timeoutMs = 300000) {
  QProcess p;
  p.setProcessChannelMode(QProcess::MergedChannels);
  p.start(python(), args);
  if (!p.waitForFinished(timeoutMs)) return QStringLiteral("timed out: ") + args.join(' ');
  if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
    return QString::fromUtf8(p.readAll()) + QStringLiteral(" (exit ") + QString::number(p.exitCode()) + ")";
  return {};
}

QString exporter() { return QStringLiteral(SERWB_SOURCE_DIR "/tools/export_encoder.py"); }
QString helper() { return QStringLiteral(SERWB_TEST_DATA "/encoder_helper.py"); }

std::vector<float> readFloats(const std::string& path) {
  const std::string bytes = ser::readFile(path);
  std::vector<float> v(bytes.size() / sizeof(float));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  return v;
}

// A real 16 kHz clip: RAVDESS actor 03 (16 kHz FLAC in ravdess-dev) when present, else `fallback`.
std::string realClip(const std::string& fallback) {
  const fs::path actor = fs::path(SERWB_SHARED_DATA) / "ravdess-dev" / "Actor_03";
  std::error_code ec;
  if (fs::is_directory(actor, ec)) {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(actor, ec)) files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    if (!files.empty()) return files.front();
  }
  return fallback;
}

}  // namespace

class TestSpeechEncoder : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  std::string tiny_, acted_;
  std::vector<ser::Clip> clips_;  // a few demo clips

  std::string path(const std::string& name) const { return tmp_.path().toStdString() + "/" + name; }

  // C++ hidden states of `clip` against Python's for the encoder file `model` (max abs difference
  // relative to the largest magnitude).
  void agreeWithPython(const std::string& model, const std::string& clip, const std::string& tag) {
    ser::SpeechEncoder encoder(model);
    ser::AudioFrontEndParams audio;
    audio.fixedSeconds = 2.0;
    ser::AudioFrontEnd frontEnd(audio);
    const std::vector<float> samples = frontEnd.load(clip);
    const std::string raw = path(tag + "-samples.f32"), ref = path(tag + "-ref.f32");
    ser::writeFileAtomic(raw, std::string(reinterpret_cast<const char*>(samples.data()),
                                          samples.size() * sizeof(float)));
    const QString err = runPython({helper(), "reference", QString::fromStdString(model),
                                   QString::fromStdString(raw), QString::fromStdString(ref)});
    QVERIFY2(err.isEmpty(), qPrintable(err));
    const torch::Tensor ours = encoder.hiddenStates(samples);
    std::istringstream shape(ser::readFile(ref + ".shape"));
    int64_t layers = 0, frames = 0, dim = 0;
    shape >> layers >> frames >> dim;
    QCOMPARE(ours.size(0), layers);
    QCOMPARE(ours.size(1), frames);
    QCOMPARE(ours.size(2), dim);
    QCOMPARE(layers, int64_t(encoder.info().numLayers));
    QCOMPARE(dim, int64_t(encoder.info().hiddenDim));
    QCOMPARE(frames, int64_t(99));  // 2 s at 16 kHz: (32000 - 400) / 320 + 1 frames
    const std::vector<float> theirs = readFloats(ref);
    QCOMPARE(int64_t(theirs.size()), ours.numel());
    const float* p = ours.data_ptr<float>();
    double maxAbs = 0, maxDiff = 0;
    for (std::size_t i = 0; i < theirs.size(); ++i) {
      maxAbs = std::max(maxAbs, double(std::abs(theirs[i])));
      maxDiff = std::max(maxDiff, double(std::abs(theirs[i] - p[i])));
    }
    QVERIFY(maxAbs > 0.01);  // the states are not all zero
    QVERIFY2(maxDiff <= 1e-4 * std::max(1.0, maxAbs),
             qPrintable(QStringLiteral("max |C++ - Python| = %1 (max |x| %2)").arg(maxDiff).arg(maxAbs)));
  }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    if (!runPython({"-c", "import torch, torchaudio"}, 120000).isEmpty())
      QSKIP("python3 with torch and torchaudio is not installed (Debian: python3-torchaudio)");
    tiny_ = path("tiny.pt");
    QString err = runPython({exporter(), "--arch", "tiny", "--random", "--out", QString::fromStdString(tiny_)});
    QVERIFY2(err.isEmpty(), qPrintable(err));
    err = runPython({helper(), "bad", tmp_.path()});
    QVERIFY2(err.isEmpty(), qPrintable(err));
    ser::DemoCorpusOptions o;
    o.actedActors = 4;
    o.crowdActors = 2;
    o.crowdSentences = 1;
    acted_ = ser::makeDemoCorpus(path("demo"), o).actedDir;
    for (int actor = 1; actor <= 2; ++actor)
      for (const auto& entry : fs::directory_iterator(acted_ + "/Actor_0" + std::to_string(actor))) {
        if (entry.path().extension() != ".wav") continue;
        ser::Clip c;
        c.path = entry.path().string();
        clips_.push_back(c);
        if (clips_.size() % 4 == 0) break;
      }
    std::sort(clips_.begin(), clips_.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    QCOMPARE(clips_.size(), std::size_t(8));
  }

  void openingChecksTheContract() {
    ser::SpeechEncoder encoder(tiny_);
    const ser::SpeechEncoderInfo& info = encoder.info();
    QCOMPARE(info.arch, std::string("tiny-random"));
    QCOMPARE(info.sampleRate, 16000);
    QCOMPARE(info.numLayers, 2);
    QCOMPARE(info.hiddenDim, 48);
    QCOMPARE(info.fileName, std::string("tiny.pt"));
    QCOMPARE(info.hash, ser::hashFileContents(tiny_));
    QCOMPARE(info.hash.size(), std::size_t(16));
    QCOMPARE(encoder.forwardCalls(), std::int64_t(1));  // the opening check
  }

  void badFiles_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing file") << "nothing-here.pt" << "no such file";
    QTest::newRow("not TorchScript") << "garbage.pt" << "not a TorchScript file";
    QTest::newRow("wrong input rank") << "rank3.pt" << "must take a rank-2 [batch, samples] input";
    QTest::newRow("sample rate 8000") << "rate8k.pt" << "declares sample rate 8000 Hz";
    QTest::newRow("no attributes") << "noattrs.pt" << "missing attribute 'sample_rate'";
    QTest::newRow("tuple output") << "tuple.pt" << "forward returns a Tuple";
  }
  void badFiles() {
    QFETCH(QString, file);
    QFETCH(QString, reason);
    ser::writeFileAtomic(path("garbage.pt"), "this is not a zip archive\n");
    const std::string p = path(file.toStdString());
    try {
      ser::SpeechEncoder encoder(p);
      QFAIL("opened a file that breaks the contract");
    } catch (const ser::Error& e) {
      const std::string what = e.what();
      QVERIFY2(what.find("encoder '" + p + "'") != std::string::npos, e.what());
      QVERIFY2(what.find(reason.toStdString()) != std::string::npos, e.what());
    }
  }

  void hiddenStatesMatrixLayout() {
    const torch::Tensor states = torch::arange(2 * 3 * 4, torch::kFloat).view({2, 3, 4});  // [L, F, D]
    const ser::FeatureMatrix m = ser::hiddenStatesMatrix(states);
    QCOMPARE(m.rows, 8);
    QCOMPARE(m.cols, 3);
    for (int l = 0; l < 2; ++l)
      for (int f = 0; f < 3; ++f)
        for (int d = 0; d < 4; ++d) QCOMPARE(m.at(l * 4 + d, f), states[l][f][d].item<float>());
  }

  void tinyAgreesWithPython() { agreeWithPython(tiny_, realClip(clips_.front().path), "tiny"); }

  // The real wav2vec 2.0 base architecture (12 layers x 768, ~95M random weights).
  void wav2vec2BaseAgreesWithPython() {
    const std::string base = path("wav2vec2_base.pt");
    const QString err = runPython({exporter(), "--arch", "wav2vec2_base", "--random", "--out",
                                   QString::fromStdString(base)});
    QVERIFY2(err.isEmpty(), qPrintable(err));
    ser::SpeechEncoder encoder(base);
    QCOMPARE(encoder.info().numLayers, 12);
    QCOMPARE(encoder.info().hiddenDim, 768);
    QCOMPARE(encoder.info().arch, std::string("wav2vec2_base-random"));
    agreeWithPython(base, realClip(clips_.front().path), "base");
    fs::remove(base);
  }

  void secondRunReadsTheCache() {
    ser::AudioFrontEndParams audio;
    audio.fixedSeconds = 1.0;
    const std::string cache = path("cache");
    ser::SpeechEncoder first(tiny_);
    const ser::EncoderFeatures a = ser::extractEncoderFeatures(clips_, audio, first, cache);
    QCOMPARE(a.computed, clips_.size());
    QCOMPARE(a.cached, std::size_t(0));
    QVERIFY(a.failures.empty());
    QCOMPARE(first.forwardCalls(), std::int64_t(1 + clips_.size()));
    QVERIFY(fs::is_directory(ser::encoderCacheDir(cache, first.info())));

    ser::SpeechEncoder second(tiny_);
    const ser::EncoderFeatures b = ser::extractEncoderFeatures(clips_, audio, second, cache);
    QCOMPARE(b.cached, clips_.size());
    QCOMPARE(b.computed, std::size_t(0));
    QCOMPARE(second.forwardCalls(), std::int64_t(1));  // only the opening check: no clip recomputed
    for (std::size_t i = 0; i < clips_.size(); ++i) {
      QCOMPARE(b.features[i].logMel.rows, 2 * 48);
      QCOMPARE(b.features[i].logMel.cols, 49);  // 1 s
      QVERIFY(b.features[i].logMel.data == a.features[i].logMel.data);
    }

    // Another encoder file (other weights): another cache folder, everything computed again.
    const std::string other = path("tiny-seed7.pt");
    const QString err = runPython({exporter(), "--arch", "tiny", "--random", "--seed", "7", "--out",
                                   QString::fromStdString(other)});
    QVERIFY2(err.isEmpty(), qPrintable(err));
    ser::SpeechEncoder third(other);
    QVERIFY(third.info().hash != first.info().hash);
    const ser::EncoderFeatures c = ser::extractEncoderFeatures(clips_, audio, third, cache);
    QCOMPARE(c.computed, clips_.size());
    QVERIFY(c.features[0].logMel.data != a.features[0].logMel.data);

    // An unreadable clip is a failure; the rest goes on.
    std::vector<ser::Clip> withBad = clips_;
    ser::Clip bad;
    bad.path = path("missing.wav");
    withBad.push_back(bad);
    const ser::EncoderFeatures d = ser::extractEncoderFeatures(withBad, audio, second, cache);
    QCOMPARE(d.failures.size(), std::size_t(1));
    QCOMPARE(d.cached, clips_.size());
    QVERIFY(d.features.back().logMel.empty());
  }

  void headLayerWeightsStartEqual() {
    ser::EncoderHeadImpl head(3, 8, 4, 0.0);
    const torch::Tensor w = head.layerWeights();
    QCOMPARE(w.size(0), int64_t(3));
    QVERIFY(torch::allclose(w, torch::full({3}, 1.0 / 3)));
    const torch::Tensor out = head.forward(torch::randn({5, 1, 24, 7}));
    QCOMPARE(out.size(0), int64_t(5));
    QCOMPARE(out.size(1), int64_t(4));
  }

  void trainEvaluatePredictEndToEnd() {
    ser::Experiment e;
    ser::CorpusSpec c;
    c.path = acted_;
    e.corpora = {c};
    e.model = ser::ExperimentModel::Encoder;
    e.training.encoder = tiny_;
    e.training.epochs = 8;
    e.training.patience = 0;
    e.training.batch_size = 16;
    e.training.spec_augment.time_masks = 0;
    e.training.spec_augment.freq_masks = 0;
    e.training.threads = 1;
    e.split.testSpeakerCount = 1;
    e.split.validationSpeakerCount = 1;
    e.frontEnd.audio.fixedSeconds = 2.0;
    e.cache = path("run-cache");
    e.name = "encoder";
    ser::RunOptions ro;
    ro.outDir = path("run");
    const ser::RunOutcome r = ser::runExperiment(e, ro);
    QVERIFY(r.record.has_value());
    const ser::RunRecord& rec = *r.record;
    QCOMPARE(rec.model, std::string("encoder"));
    QCOMPARE(rec.training.encoderFile, std::string("tiny.pt"));
    QCOMPARE(rec.training.encoderHash, ser::hashFileContents(tiny_));
    QCOMPARE(int(rec.curves.size()), 8);
    QVERIFY2(rec.curves.back().train_loss < rec.curves.front().train_loss,
             qPrintable(QStringLiteral("train loss %1 -> %2").arg(rec.curves.front().train_loss)
                            .arg(rec.curves.back().train_loss)));
    // The record read back from disk carries the encoder too; config.json names the file.
    const ser::RunRecord back = ser::loadRunRecord(ro.outDir);
    QCOMPARE(back.training.encoderHash, rec.training.encoderHash);
    QCOMPARE(back.config["resolved"]["encoder"]["num_layers"].get<int>(), 2);
    QVERIFY(fs::is_regular_file(fs::path(ro.outDir) / "best.ckpt"));

    // Evaluate the checkpoint on the test speaker: the cache answers every clip.
    ser::EvaluateOptions eo;
    eo.checkpoint = r.checkpoint;
    eo.corpora = {c};
    eo.speakers = rec.split.testSpeakers;
    eo.outDir = path("eval");
    eo.cache = e.cache;
    const ser::RunOutcome ev = ser::evaluateCheckpoint(eo);
    QVERIFY(ev.record.has_value());
    QCOMPARE(ev.record->training.encoderHash, rec.training.encoderHash);
    QCOMPARE(ev.record->predictions.size(), rec.predictions.size());
    QCOMPARE(ev.record->metrics.overall.uar, rec.metrics.overall.uar);
    const std::string evalLog = ser::readFile(fs::path(eo.outDir) / "evaluate.log");
    QVERIFY2(evalLog.find(" 0 computed, " + std::to_string(rec.predictions.size()) + " from cache") !=
                 std::string::npos,
             evalLog.c_str());

    // Predict one file.
    std::vector<std::string> labels;
    const auto preds = ser::predictFiles(r.checkpoint, {clips_.front().path}, &labels);
    QCOMPARE(preds.size(), std::size_t(1));
    QVERIFY2(preds[0].error.empty(), preds[0].error.c_str());
    QCOMPARE(preds[0].probabilities.size(), labels.size());
    double sum = 0;
    for (float p : preds[0].probabilities) sum += p;
    QVERIFY(std::abs(sum - 1.0) < 1e-4);

    // A changed encoder file is refused with the reason.
    fs::copy_file(path("tiny-seed7.pt"), tiny_, fs::copy_options::overwrite_existing);
    eo.outDir = path("eval2");
    try {
      ser::evaluateCheckpoint(eo);
      QFAIL("evaluated with another encoder file");
    } catch (const ser::Error& err) {
      QVERIFY2(std::string(err.what()).find("contents changed since the model was trained") !=
                   std::string::npos,
               err.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestSpeechEncoder)
#include "tst_speech_encoder.moc"
