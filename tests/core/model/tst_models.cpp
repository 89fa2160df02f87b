// Model construction, forward shapes, parameter counts and pretrained-weight loading.

#include <fstream>

#include "core/base/error.h"
#include "core/model/compact_cnn.h"
#include "core/model/model_factory.h"
#include "core/model/resnet18.h"
#include "core/model/time_pooling.h"

// Qt after libtorch: Qt's `slots` macro breaks torch headers parsed after it.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace ser;

namespace {
std::string pathIn(const QTemporaryDir& dir, const char* name) {
  return dir.filePath(QString::fromLatin1(name)).toStdString();
}

torch::Tensor namedParameter(torch::nn::Module& m, const std::string& name) {
  for (const auto& item : m.named_parameters())
    if (item.key() == name) return item.value();
  return {};
}
}  // namespace

class TestModels : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { torch::set_num_threads(2); }

  void forwardShape_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<int>("classes");
    QTest::newRow("cnn 64x301 (default front end)") << "cnn" << 64 << 301 << 6;
    QTest::newRow("cnn 16x32") << "cnn" << 16 << 32 << 4;
    QTest::newRow("cnn 5x7 (odd, tiny)") << "cnn" << 5 << 7 << 2;
    QTest::newRow("resnet18 64x301 (default front end)") << "resnet18" << 64 << 301 << 6;
    QTest::newRow("resnet18 16x32") << "resnet18" << 16 << 32 << 4;
    for (const char* kind : {"cnn", "resnet18"})
      for (const char* variant : {"stats", "attentive", "avg+deltas", "attentive+deltas"})
        QTest::newRow((std::string(kind) + " 64x301 " + variant).c_str()) << QString(kind) + " " + variant << 64 << 301 << 6;
    QTest::newRow("cnn 5x7 attentive+deltas (one frame left)") << "cnn attentive+deltas" << 5 << 7 << 2;
  }
  // kind is "cnn" or "resnet18", optionally followed by " POOLING" and "+deltas".
  void forwardShape() {
    QFETCH(QString, kind);
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(int, classes);
    ModelOptions options;
    const QStringList words = kind.split(' ');
    options.kind = modelKindFromString(words[0].toStdString());
    if (words.size() > 1) {
      const QStringList variant = words[1].split('+');
      options.pooling = poolingFromString(variant[0].toStdString());
      options.inputDeltas = variant.contains("deltas");
    }
    options.numClasses = classes;
    SerModel model = makeModel(options);
    const int width = options.kind == ModelKind::CompactCnn ? 128 : 512;
    QCOMPARE(model->embeddingSize(), options.pooling == Pooling::Average ? width : 2 * width);
    QVERIFY(model->kind() == options.kind);
    QCOMPARE(model->numClasses(), classes);
    model->eval();
    torch::NoGradGuard noGrad;
    torch::Tensor out = model->forward(torch::randn({3, 1, rows, cols}));
    QCOMPARE(out.dim(), 2L);
    QCOMPARE(out.size(0), 3L);
    QCOMPARE(out.size(1), long(classes));
    QVERIFY(torch::isfinite(out).all().item<bool>());
    const torch::Tensor x = torch::randn({2, 1, rows, cols});
    const torch::Tensor e = model->embedding(x);
    QCOMPARE(e.size(1), long(model->embeddingSize()));
    QVERIFY(torch::allclose(model->head(e), model->forward(x), 1e-5, 1e-5));
  }

  // Expected counts computed by hand from the layer shapes (see the header comments); the
  // ResNet-18 figure is torchvision's 11,689,512 minus 2/3 of conv1 (6,272) minus the
  // 1000-class head (513,000) plus a 4-class head (2,052).
  void parameterCounts_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<qlonglong>("expected");
    QTest::newRow("resnet18, 4 classes") << "resnet18" << 11172292LL;
    QTest::newRow("cnn, 4 classes") << "cnn" << 97908LL;
    // stats: the classifier reads 256 values, + 128 * 4 weights.
    QTest::newRow("cnn stats, 4 classes") << "cnn stats" << 97908LL + 512;
    // attentive: + the attention layers 128 -> 64 -> 1 (8256 + 65).
    QTest::newRow("cnn attentive, 4 classes") << "cnn attentive" << 97908LL + 512 + 8256 + 65;
    // deltas: the first conv reads 3 channels, + 2 * 16 * 9 weights.
    QTest::newRow("cnn deltas, 4 classes") << "cnn avg+deltas" << 97908LL + 288;
    QTest::newRow("resnet18 attentive+deltas, 4 classes")
        << "resnet18 attentive+deltas" << 11172292LL + 512 * 4 + (512 * 64 + 64) + 65 + 2 * 64 * 49;
  }
  void parameterCounts() {
    QFETCH(QString, kind);
    QFETCH(qlonglong, expected);
    ModelOptions options;
    const QStringList words = kind.split(' ');
    options.kind = modelKindFromString(words[0].toStdString());
    if (words.size() > 1) {
      options.pooling = poolingFromString(words[1].split('+')[0].toStdString());
      options.inputDeltas = words[1].contains("deltas");
    }
    options.numClasses = 4;
    QCOMPARE(qlonglong(countParameters(*makeModel(options))), expected);
  }

  void kindNames() {
    QCOMPARE(toString(ModelKind::ResNet18), std::string("resnet18"));
    QCOMPARE(toString(ModelKind::CompactCnn), std::string("cnn"));
    QVERIFY(modelKindFromString("resnet18") == ModelKind::ResNet18);
    QVERIFY(modelKindFromString("cnn") == ModelKind::CompactCnn);
    QVERIFY_THROWS_EXCEPTION(ParameterError, modelKindFromString("vgg"));
  }

  void poolingNames() {
    for (Pooling p : {Pooling::Average, Pooling::Statistics, Pooling::Attentive})
      QVERIFY(poolingFromString(toString(p)) == p);
    QCOMPARE(toString(Pooling::Attentive), std::string("attentive"));
    try {
      poolingFromString("max");
      QFAIL("no exception");
    } catch (const ParameterError& e) {
      QCOMPARE(QString::fromStdString(e.parameter()), QString("pooling"));
    }
  }

  // Statistics pooling is the mean over frequency, then the population mean and sd over time.
  void statisticsPoolingByHand() {
    const torch::Tensor x = torch::randn({2, 3, 4, 5}, torch::kDouble);
    TimePooling pool(3, Pooling::Statistics);
    const torch::Tensor out = pool(x);
    const torch::Tensor f = x.mean(2);  // [2, 3, 5]
    const torch::Tensor expected = torch::cat({f.mean(2), f.std(2, /*unbiased=*/false)}, 1);
    QVERIFY(torch::allclose(out, expected, 1e-9, 1e-9));
    QCOMPARE(TimePooling(3, Pooling::Average)(x).size(1), 3L);
    QVERIFY(torch::allclose(TimePooling(3, Pooling::Average)(x), x.mean({2, 3}), 1e-9, 1e-9));
  }

  // Attentive pooling: weights over frames sum to 1; on input whose frames are all equal the
  // weighted mean is that frame and the sd is the floor sqrt(1e-6), whatever the weights.
  void attentivePoolingWeights() {
    torch::manual_seed(3);
    TimePooling pool(8, Pooling::Attentive);
    QCOMPARE(pool->outputSize(), 16);
    const torch::Tensor x = torch::randn({4, 8, 3, 11});
    const torch::Tensor w = pool->frameWeights(x);
    QCOMPARE(w.size(1), 11L);
    QVERIFY(torch::allclose(w.sum(1), torch::ones({4}), 1e-5, 1e-6));
    QVERIFY(!torch::allclose(w, torch::full_like(w, 1.0 / 11.0), 1e-4, 1e-4));  // not uniform
    const torch::Tensor frame = torch::randn({4, 8, 3, 1});
    const torch::Tensor out = pool(frame.expand({4, 8, 3, 11}).contiguous());
    QVERIFY(torch::allclose(out.slice(1, 0, 8), frame.mean(2).squeeze(2), 1e-5, 1e-5));
    QVERIFY(torch::allclose(out.slice(1, 8, 16), torch::full({4, 8}, 1e-3), 1e-5, 1e-4));
    // The attention is trainable: its parameters get gradients.
    pool(x).sum().backward();
    int withGrad = 0;
    for (const auto& p : pool->parameters()) withGrad += p.grad().defined() && p.grad().abs().sum().item<float>() > 0;
    QCOMPARE(withGrad, 4);
  }

  // Deltas as torchaudio's compute_deltas (window 5, replicated edges): on a ramp x_t = t the
  // first derivative is 1 inside and smaller at the replicated edges; values worked out by hand.
  void deltasByHand() {
    const torch::Tensor ramp = torch::arange(8, torch::kFloat).view({1, 1, 1, 8});
    const torch::Tensor out = withDeltas(ramp);
    QCOMPARE(out.size(1), 3L);
    QVERIFY(torch::equal(out.select(1, 0), ramp.select(1, 0)));
    // padded ramp: 0 0 0 1 2 3 4 5 6 7 7 7; d_t = (x_{t+1} - x_{t-1} + 2 (x_{t+2} - x_{t-2})) / 10
    const std::vector<float> d1 = {0.5f, 0.8f, 1.f, 1.f, 1.f, 1.f, 0.8f, 0.5f};
    for (int t = 0; t < 8; ++t) QVERIFY(std::abs(out[0][1][0][t].item<float>() - d1[t]) < 1e-6f);
    // d2 from d1 padded: 0.5 0.5 | 0.5 0.8 1 1 1 1 0.8 0.5 | 0.5 0.5
    const std::vector<float> d2 = {0.13f, 0.15f, 0.12f, 0.04f, -0.04f, -0.12f, -0.15f, -0.13f};
    for (int t = 0; t < 8; ++t) QVERIFY2(std::abs(out[0][2][0][t].item<float>() - d2[t]) < 1e-6f,
                                        std::to_string(out[0][2][0][t].item<float>()).c_str());
    // Along frequency nothing changes: a constant-in-time input has zero deltas.
    const torch::Tensor flat = torch::randn({2, 1, 5, 1}).expand({2, 1, 5, 9}).contiguous();
    QVERIFY(withDeltas(flat).slice(1, 1, 3).abs().max().item<float>() < 1e-6f);
  }

  void invalidOptions_data() {
    QTest::addColumn<int>("classes");
    QTest::addColumn<double>("dropout");
    QTest::addColumn<bool>("pretrainedOnCnn");
    QTest::addColumn<QString>("parameter");
    QTest::newRow("one class") << 1 << 0.3 << false << "num_classes";
    QTest::newRow("dropout 1") << 4 << 1.0 << false << "dropout";
    QTest::newRow("pretrained cnn") << 4 << 0.3 << true << "pretrained_weights";
  }
  void invalidOptions() {
    QFETCH(int, classes);
    QFETCH(double, dropout);
    QFETCH(bool, pretrainedOnCnn);
    QFETCH(QString, parameter);
    ModelOptions options;
    options.numClasses = classes;
    options.dropout = dropout;
    if (pretrainedOnCnn) options.pretrainedWeights = "/nonexistent.pt";
    try {
      makeModel(options);
      QFAIL("no exception");
    } catch (const ParameterError& e) {
      QCOMPARE(QString::fromStdString(e.parameter()), parameter);
    }
  }

  void pretrainedRoundTripSkipsHead() {
    QTemporaryDir dir;
    torch::manual_seed(1);
    ResNet18Impl source(10, 0.0);
    const std::string path = pathIn(dir, "weights.pt");
    savePretrainedResNet18(source, path);

    torch::manual_seed(2);
    ResNet18Impl target(4, 0.0);
    const auto loaded = loadPretrainedResNet18(target, path);
    QVERIFY(std::find(loaded.begin(), loaded.end(), "layer4.1.bn2.weight") != loaded.end());
    QVERIFY(std::find(loaded.begin(), loaded.end(), "layer3.0.downsample.0.weight") != loaded.end());
    for (const auto& item : target.named_parameters()) {
      if (item.key().rfind("fc.", 0) == 0) continue;
      QVERIFY2(torch::equal(item.value(), namedParameter(source, item.key())), item.key().c_str());
    }
    for (const auto& item : target.named_buffers()) {
      if (item.key().find("running_") == std::string::npos) continue;
      bool found = false;
      for (const auto& s : source.named_buffers())
        if (s.key() == item.key()) found = torch::equal(item.value(), s.value());
      QVERIFY2(found, item.key().c_str());
    }
    QCOMPARE(namedParameter(target, "fc.weight").size(0), 4L);
  }

  void pretrainedThreeChannelStemIsAveraged() {
    QTemporaryDir dir;
    torch::manual_seed(3);
    ResNet18Impl source(1000, 0.0);
    torch::Tensor w = namedParameter(source, "conv1.weight").detach().clone();  // [64, 1, 7, 7]
    {
      torch::NoGradGuard noGrad;
      namedParameter(source, "conv1.weight").set_data(torch::cat({w, w + 1.0, w + 2.0}, 1));
    }
    QCOMPARE(namedParameter(source, "conv1.weight").size(1), 3L);
    const std::string path = pathIn(dir, "torchvision_like.pt");
    savePretrainedResNet18(source, path);

    ResNet18Impl target(6, 0.0);
    loadPretrainedResNet18(target, path);
    QVERIFY(torch::allclose(namedParameter(target, "conv1.weight"), w + 1.0, 1e-5, 1e-6));
  }

  void pretrainedBadFiles_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing file") << "missing" << "";
    QTest::newRow("not an archive") << "text" << "not a readable torch archive";
    QTest::newRow("other network's weights") << "cnn" << "is missing";
  }
  void pretrainedBadFiles() {
    QFETCH(QString, kind);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const std::string path = pathIn(dir, "bad.pt");
    if (kind == "text") {
      std::ofstream(path) << "this is not a weights file\n";
    } else if (kind == "cnn") {
      CompactCnnImpl cnn(4, 0.0);
      torch::serialize::OutputArchive archive;
      cnn.save(archive);
      archive.save_to(path);
    }
    ResNet18Impl target(4, 0.0);
    try {
      loadPretrainedResNet18(target, path);
      QFAIL("no exception");
    } catch (const Error& e) {
      const QString message = QString::fromStdString(e.what());
      QVERIFY2(message.contains(QString::fromStdString(path)), e.what());
      QVERIFY2(message.contains(reason), e.what());
    }
  }

  // Agreement with the Python side: tools/export_resnet18_weights.py writes a file from a
  // torchvision-layout state_dict (made here by the Python benchmark's ResNet18 with a 3-channel
  // stem and a 1000-class head) and this loader reads it.
  void pythonExportedWeights() {
    if (!QFile::exists("/usr/bin/python3")) QSKIP("/usr/bin/python3 not available");
    QTemporaryDir dir;
    const QString stateDict = dir.filePath("state.pth");
    const QString exported = dir.filePath("exported.pt");
    const QString script = QString(R"(
import sys, json, torch
sys.path.insert(0, '%1/benchmarks')
from bench_train_throughput import ResNet18
torch.manual_seed(0)
m = ResNet18(1000)
sd = m.state_dict()
sd['conv1.weight'] = torch.randn(64, 3, 7, 7)
torch.save(sd, '%2')
print(json.dumps({'conv1': sd['conv1.weight'].mean(1).sum().item(),
                  'layer3.1.conv2.weight': sd['layer3.1.conv2.weight'].sum().item(),
                  'layer2.0.downsample.1.running_var': sd['layer2.0.downsample.1.running_var'].sum().item()}))
)").arg(SERWB_SOURCE_DIR, stateDict);
    QProcess python;
    python.start("/usr/bin/python3", {"-c", script});
    QVERIFY(python.waitForFinished(120000));
    if (python.exitCode() != 0) QSKIP(qPrintable("Python PyTorch unavailable: " + python.readAllStandardError()));
    const QByteArray expected = python.readAllStandardOutput();
    QProcess exporter;
    exporter.start("/usr/bin/python3", {QString(SERWB_SOURCE_DIR) + "/tools/export_resnet18_weights.py",
                                        "--state-dict", stateDict, "-o", exported});
    QVERIFY(exporter.waitForFinished(120000));
    QVERIFY2(exporter.exitCode() == 0, exporter.readAllStandardError().constData());

    ResNet18Impl model(5, 0.0);
    const auto loaded = loadPretrainedResNet18(model, exported.toStdString());
    QCOMPARE(int(loaded.size()), 122 - 2 - 20);  // all but fc.* and the 20 num_batches_tracked
    const QJsonObject sums = QJsonDocument::fromJson(expected).object();
    QVERIFY(std::abs(namedParameter(model, "conv1.weight").sum().item<double>() - sums["conv1"].toDouble()) < 1e-3);
    QVERIFY(std::abs(namedParameter(model, "layer3.1.conv2.weight").sum().item<double>() -
                     sums["layer3.1.conv2.weight"].toDouble()) < 1e-3);
    double runningVar = 0;
    for (const auto& item : model.named_buffers())
      if (item.key() == "layer2.0.downsample.1.running_var") runningVar = item.value().sum().item<double>();
    QVERIFY(std::abs(runningVar - sums["layer2.0.downsample.1.running_var"].toDouble()) < 1e-3);
  }

  void factoryLoadsPretrained() {
    QTemporaryDir dir;
    torch::manual_seed(4);
    ResNet18Impl source(7, 0.0);
    const std::string path = pathIn(dir, "w.pt");
    savePretrainedResNet18(source, path);
    ModelOptions options;
    options.kind = ModelKind::ResNet18;
    options.numClasses = 3;
    options.pretrainedWeights = path;
    SerModel model = makeModel(options);
    QVERIFY(torch::equal(namedParameter(*model, "layer2.1.conv2.weight"),
                         namedParameter(source, "layer2.1.conv2.weight")));
  }
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"

