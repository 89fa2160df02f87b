// Checkpoint files: round trip of weights, optimiser state and metadata; clear errors for bad files.

#include <fstream>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/model/compact_cnn.h"
#include "core/train/checkpoint.h"
#include "core/train/checkpoint_meta.h"
#include "core/train/predictor.h"

// Qt after libtorch: Qt's `slots` macro breaks torch headers parsed after it.
#include <QTemporaryDir>
#include <QtTest>

using namespace ser;

namespace {
std::string pathIn(const QTemporaryDir& dir, const char* name) {
  return dir.filePath(QString::fromLatin1(name)).toStdString();
}

// Flips the highest exponent bit of the first float of `tensor` where its bytes occur in the file
// (a single bit error turning a weight into a huge but finite number). False when not found.
bool flipExponentInFile(const std::string& path, const torch::Tensor& tensor) {
  const torch::Tensor t = tensor.detach().contiguous();
  const std::string needle(static_cast<const char*>(t.data_ptr()), t.nbytes());
  std::string bytes = readFile(path);
  const std::size_t at = bytes.find(needle);
  if (at == std::string::npos || bytes.find(needle, at + 1) != std::string::npos) return false;
  bytes[at + 3] = char(bytes[at + 3] ^ 0x40);  // little-endian float: byte 3 = sign + exponent
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), std::streamsize(bytes.size()));
  return true;
}

// One Adam step so the optimiser has state worth saving.
void step(CompactCnnImpl& model, torch::optim::Adam& adam) {
  adam.zero_grad();
  model.forward(torch::randn({4, 1, 8, 8})).sum().backward();
  adam.step();
}
}  // namespace

class TestCheckpoint : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { torch::set_num_threads(2); }

  void roundTrip() {
    QTemporaryDir dir;
    torch::manual_seed(1);
    CompactCnnImpl model(4, 0.2);
    torch::optim::Adam adam(model.parameters(), torch::optim::AdamOptions(1e-3));
    step(model, adam);
    const nlohmann::json meta = {{"labels", {"neutral", "happy", "sad", "angry"}}, {"answer", 42}};
    const std::string path = pathIn(dir, "c.ckpt");
    writeCheckpoint(path, model, &adam, meta);
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));

    CheckpointFile file(path);
    QCOMPARE(file.meta().dump(), meta.dump());
    QVERIFY(file.hasOptimizer());

    torch::manual_seed(2);
    CompactCnnImpl copy(4, 0.2);
    torch::optim::Adam copyAdam(copy.parameters(), torch::optim::AdamOptions(1e-3));
    file.loadModel(copy, torch::kCPU);
    file.loadOptimizer(copyAdam, torch::kCPU);
    const auto a = model.named_parameters();
    const auto b = copy.named_parameters();
    for (const auto& item : a) QVERIFY2(torch::equal(item.value(), b[item.key()]), item.key().c_str());
    const auto ba = model.named_buffers();
    for (const auto& item : copy.named_buffers())
      QVERIFY2(torch::equal(item.value(), ba[item.key()]), item.key().c_str());

    // The same further step from identical states gives identical weights.
    torch::manual_seed(3);
    step(model, adam);
    torch::manual_seed(3);
    step(copy, copyAdam);
    for (const auto& item : model.named_parameters())
      QVERIFY2(torch::equal(item.value(), copy.named_parameters()[item.key()]), item.key().c_str());
  }

  void withoutOptimizer() {
    QTemporaryDir dir;
    CompactCnnImpl model(3, 0.0);
    const std::string path = pathIn(dir, "m.ckpt");
    writeCheckpoint(path, model, nullptr, nlohmann::json::object());
    CheckpointFile file(path);
    QVERIFY(!file.hasOptimizer());
    torch::optim::Adam adam(model.parameters());
    QVERIFY_THROWS_EXCEPTION(Error, file.loadOptimizer(adam, torch::kCPU));
  }

  void badFiles_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing") << "missing" << "not found";
    QTest::newRow("empty") << "empty" << "corrupt";
    QTest::newRow("truncated") << "truncated" << "corrupt";
    QTest::newRow("text") << "text" << "corrupt";
    QTest::newRow("plain torch archive") << "archive" << "not a SER Workbench checkpoint";
  }
  void badFiles() {
    QFETCH(QString, kind);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const std::string path = pathIn(dir, "bad.ckpt");
    if (kind == "empty") {
      std::ofstream(path).flush();
    } else if (kind == "text") {
      std::ofstream(path) << "epoch,loss\n1,0.5\n";
    } else if (kind == "truncated") {
      CompactCnnImpl model(4, 0.0);
      writeCheckpoint(path, model, nullptr, nlohmann::json::object());
      const std::string bytes = readFile(path);
      writeFileAtomic(path, bytes.substr(0, bytes.size() / 2));
    } else if (kind == "archive") {
      CompactCnnImpl model(4, 0.0);
      torch::serialize::OutputArchive archive;
      model.save(archive);
      archive.save_to(path);
    }
    try {
      CheckpointFile file(path);
      QFAIL("no exception");
    } catch (const Error& e) {
      const QString message = QString::fromStdString(e.what());
      QVERIFY2(message.contains(QString::fromStdString(path)), e.what());
      QVERIFY2(message.contains(reason), e.what());
    }
  }

  void wrongArchitecture() {
    QTemporaryDir dir;
    CompactCnnImpl model(4, 0.0);
    const std::string path = pathIn(dir, "c4.ckpt");
    writeCheckpoint(path, model, nullptr, nlohmann::json::object());
    CompactCnnImpl other(3, 0.0);
    try {
      CheckpointFile(path).loadModel(other, torch::kCPU);
      QFAIL("no exception");
    } catch (const Error& e) {
      QVERIFY2(QString::fromStdString(e.what()).contains("do not fit"), e.what());
    }
  }

  void flippedExponentIsDamage() {
    QTemporaryDir dir;
    torch::manual_seed(4);
    CompactCnnImpl model(4, 0.0);
    const std::string path = pathIn(dir, "flip.ckpt");
    writeCheckpoint(path, model, nullptr, nlohmann::json::object());
    QVERIFY(CheckpointFile(path).integrityNote().empty());
    const auto params = model.named_parameters();
    QVERIFY(flipExponentInFile(path, params[params.keys().front()]));
    CompactCnnImpl copy(4, 0.0);
    try {
      CheckpointFile(path).loadModel(copy, torch::kCPU);
      QFAIL("a damaged checkpoint loaded");
    } catch (const Error& e) {
      const QString message = QString::fromStdString(e.what());
      QVERIFY2(message.contains(QString::fromStdString(path)), e.what());
      QVERIFY2(message.contains("damaged") && message.contains("checksum"), e.what());
    }
  }

  void nonFiniteWeightsAreDamage() {
    QTemporaryDir dir;
    CompactCnnImpl model(4, 0.0);
    {
      torch::NoGradGuard noGrad;
      model.named_parameters()[model.named_parameters().keys().back()][0] = NAN;
    }
    const std::string path = pathIn(dir, "nan.ckpt");
    writeCheckpoint(path, model, nullptr, nlohmann::json::object());  // checksum of NaN weights
    CompactCnnImpl copy(4, 0.0);
    try {
      CheckpointFile(path).loadModel(copy, torch::kCPU);
      QFAIL("NaN weights loaded");
    } catch (const Error& e) {
      const QString message = QString::fromStdString(e.what());
      QVERIFY2(message.contains("damaged") && message.contains("NaN"), e.what());
      QVERIFY2(message.contains(QString::fromStdString(model.named_parameters().keys().back())), e.what());
    }
  }

  void checkpointWithoutChecksumLoadsWithNote() {
    // Written as serwb wrote checkpoints before the checksum.
    QTemporaryDir dir;
    torch::manual_seed(6);
    CompactCnnImpl model(4, 0.0);
    const std::string path = pathIn(dir, "old.ckpt");
    {
      torch::serialize::OutputArchive archive;
      archive.write("format", c10::IValue(std::string("serwb-checkpoint")));
      archive.write("version", c10::IValue(std::int64_t(1)));
      archive.write("meta", c10::IValue(std::string("{}")));
      torch::serialize::OutputArchive nested(archive.compilation_unit());
      model.save(nested);
      archive.write("model", nested);
      archive.save_to(path);
    }
    const CheckpointFile file(path);
    QVERIFY(file.integrityNote().find("no weights checksum") != std::string::npos);
    CompactCnnImpl copy(4, 0.0);
    file.loadModel(copy, torch::kCPU);
    for (const auto& item : model.named_parameters())
      QVERIFY(torch::equal(item.value(), copy.named_parameters()[item.key()]));
    QCOMPARE(weightsChecksum(copy), weightsChecksum(model));
  }

  // Checkpoints written before pooling and deltas existed lack the keys: they hold an
  // average-pooled one-channel network. Present keys are read; a bad one is named.
  void modelMetaPoolingAndDeltas() {
    nlohmann::json meta = nlohmann::json::parse(R"({
      "model": {"kind": "cnn", "num_classes": 4, "dropout": 0.3, "input_rows": 16, "input_cols": 32},
      "normalisation": {"mode": "none", "mean": [], "stddev": []}})");
    CheckpointModelMeta m = checkpointModelMeta(meta);
    QVERIFY(m.model.pooling == Pooling::Average);
    QVERIFY(!m.model.inputDeltas);
    meta["model"]["pooling"] = "attentive";
    meta["model"]["deltas"] = true;
    m = checkpointModelMeta(meta);
    QVERIFY(m.model.pooling == Pooling::Attentive);
    QVERIFY(m.model.inputDeltas);
    meta["model"]["pooling"] = "max";
    try {
      checkpointModelMeta(meta);
      QFAIL("no exception");
    } catch (const ParameterError& e) {
      QCOMPARE(QString::fromStdString(e.parameter()), QString("pooling"));
    }
    meta["model"]["pooling"] = 3;
    QVERIFY_THROWS_EXCEPTION(Error, checkpointModelMeta(meta));
  }

  void trainedModelNeedsMetadata() {
    QTemporaryDir dir;
    CompactCnnImpl model(4, 0.0);
    const std::string path = pathIn(dir, "nometa.ckpt");
    writeCheckpoint(path, model, nullptr, nlohmann::json{{"experiment", "x"}});
    try {
      loadTrainedModel(path, DeviceChoice::Cpu, 2);
      QFAIL("no exception");
    } catch (const Error& e) {
      QVERIFY2(QString::fromStdString(e.what()).contains("metadata incomplete"), e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"

