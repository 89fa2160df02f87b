// ser::versionText and friends: what `serwb --version` and the About dialog print.
#include <torch/cuda.h>

#include <QRegularExpression>
#include <QtTest>
#include <thread>

#include "core/about/about.h"

class TestAbout : public QObject {
  Q_OBJECT

 private slots:
  void projectVersionIsCMakes() { QCOMPARE(QString::fromStdString(ser::projectVersion()), QStringLiteral(SERWB_EXPECTED_VERSION)); }

  void torchVersionIsDotted() {
    const QString v = QString::fromStdString(ser::torchVersion());
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d+\\.\\d+\\.\\d+")).match(v).hasMatch(), qPrintable(v));
  }

  void computeDeviceNamesWhatTheEngineUses() {
    const QString device = QString::fromStdString(ser::computeDevice());
    if (torch::cuda::is_available()) {
      QVERIFY2(device.startsWith(QStringLiteral("cuda:0 (")), qPrintable(device));
    } else {
      const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
      const QString expected = QStringLiteral("cpu (%1 %2)").arg(threads).arg(threads == 1 ? "thread" : "threads");
      QCOMPARE(device, expected);
    }
  }

  void versionTextHasTwoLines_data() {
    QTest::addColumn<QString>("program");
    QTest::newRow("cli") << QStringLiteral("serwb");
    QTest::newRow("gui") << QStringLiteral("serwb-gui");
  }

  void versionTextHasTwoLines() {
    QFETCH(QString, program);
    const QStringList lines = QString::fromStdString(ser::versionText(program.toStdString())).split('\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0], program + ' ' + QStringLiteral(SERWB_EXPECTED_VERSION));
    // "libtorch 1.13.0 (cpu, 2 threads)": the device of computeDevice() with a comma for the parenthesis.
    QString device = QString::fromStdString(ser::computeDevice());
    device.replace(QStringLiteral(" ("), QStringLiteral(", "));
    QCOMPARE(lines[1], QStringLiteral("libtorch %1 (%2").arg(QString::fromStdString(ser::torchVersion()), device));
  }
};

QTEST_GUILESS_MAIN(TestAbout)
#include "test_about.moc"
