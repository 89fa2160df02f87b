// --pretrained for the ResNet-18 against torchvision itself: tools/export_resnet18_weights.py
// exports torchvision's resnet18 with random weights, the C++ model loads it, and a Python check
// (data/resnet18_check.py) compares every tensor the C++ model holds with torchvision's: names and
// shapes mapped, values equal, the 1-channel conv1 equal to the mean of the RGB filters, fc left
// out. Skips when /usr/bin/python3 lacks torch or torchvision (Debian: python3-torchvision).
#include "core/base/error.h"
#include "core/model/model_factory.h"
#include "core/model/resnet18.h"

// Qt after libtorch: Qt's `slots` macro breaks torch headers parsed after it.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString runPython(const QStringList& args, QString* output) {
  QProcess p;
  p.setProcessChannelMode(QProcess::MergedChannels);
  p.start(QStringLiteral("/usr/bin/python3"), args);
  if (!p.waitForFinished(300000)) return QStringLiteral("timed out");
  *output = QString::fromUtf8(p.readAll());
  return p.exitCode() == 0 ? QString() : *output;
}

}  // namespace

class TestResNet18Torchvision : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QString out;
    if (!QFile::exists(QStringLiteral("/usr/bin/python3")) ||
        !runPython({"-c", "import torch, torchvision"}, &out).isEmpty())
      QSKIP("/usr/bin/python3 with torch and torchvision is not installed (Debian: python3-torchvision)");
  }

  void everyTensorMapped() {
    QTemporaryDir dir;
    const QString exported = dir.filePath("resnet18-random.pt");
    QString out;
    QString err = runPython({QStringLiteral(SERWB_SOURCE_DIR "/tools/export_resnet18_weights.py"),
                             "--torchvision", "--random", "--seed", "11", "-o", exported},
                            &out);
    QVERIFY2(err.isEmpty(), qPrintable(err));

    ser::ModelOptions options;
    options.kind = ser::ModelKind::ResNet18;
    options.numClasses = 6;  // not ImageNet's 1000: fc is replaced
    options.dropout = 0.0;
    options.pretrainedWeights = exported.toStdString();
    torch::manual_seed(1);
    ser::SerModel model = ser::makeModel(options);
    auto* resnet = dynamic_cast<ser::ResNet18Impl*>(model.get());
    QVERIFY(resnet);
    torch::Tensor fcWeight;
    for (const auto& item : model->named_parameters())
      if (item.key() == "fc.weight") fcWeight = item.value();
    QCOMPARE(fcWeight.size(0), int64_t(6));
    QCOMPARE(fcWeight.size(1), int64_t(512));
    // The 1-channel model takes a log-mel image.
    model->eval();
    QCOMPARE(model->forward(torch::randn({2, 1, 64, 100})).size(1), int64_t(6));

    const QString loaded = dir.filePath("loaded.pt");
    ser::savePretrainedResNet18(*resnet, loaded.toStdString());
    err = runPython({QStringLiteral(SERWB_TEST_DATA "/resnet18_check.py"), "11", loaded}, &out);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QVERIFY2(out.contains(QStringLiteral("checked 100 tensors")), qPrintable(out));

    // Another seed's weights differ: the check is not blind.
    err = runPython({QStringLiteral(SERWB_TEST_DATA "/resnet18_check.py"), "12", loaded}, &out);
    QVERIFY2(!err.isEmpty() && out.contains(QStringLiteral("values: conv1.weight")), qPrintable(out));
  }
};

QTEST_GUILESS_MAIN(TestResNet18Torchvision)
#include "tst_resnet18_torchvision.moc"
