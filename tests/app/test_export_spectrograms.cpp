// End-to-end: `serwb export-spectrograms` runs in the front door (no libtorch), writes one PNG per
// clip in a folder per emotion with the feature shape, reads the cache the second time, reports a
// bad clip with its reason and goes on, and refuses bad options in one line.
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/image/png_writer.h"
#include "tests/fixtures/corpus_fixtures.h"

namespace {

struct Result {
  int code = -1;
  QString out, err;
  nlohmann::json json() const {
    try {
      return nlohmann::json::parse(out.toStdString());
    } catch (const std::exception&) {
      qWarning("not JSON: %s / %s", qPrintable(out), qPrintable(err));
      return {};
    }
  }
};

// Width and height of a PNG file.
QSize pngSize(const QString& path) {
  const ser::ArgbImage img = ser::decodePng(ser::readFile(path.toStdString()), path.toStdString());
  return QSize(img.width, img.height);
}

Result serwb(const QStringList& args, const QStringList& env = {}) {
  QProcess p;
  QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
  e.insert("OPENBLAS_NUM_THREADS", "1");
  for (const QString& kv : env) e.insert(kv.section('=', 0, 0), kv.section('=', 1));
  p.setProcessEnvironment(e);
  p.start(SERWB_BINARY, args);
  p.waitForFinished(300000);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace

class TestExportSpectrograms : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

 private slots:
  void listedAndStartsWithoutLibtorch() {
    const Result help = serwb({"--help"});
    QVERIFY(help.out.contains("export-spectrograms"));
    const Result sub = serwb({"export-spectrograms", "--help"}, {"LD_DEBUG=libs"});
    QCOMPARE(sub.code, 0);
    QVERIFY(sub.out.contains("--out") && sub.out.contains("--format") && sub.out.contains("--ravdess"));
    QVERIFY2(sub.err.contains("find library="), "LD_DEBUG gave no loader trace");
    QVERIFY(!sub.err.contains("libtorch"));
  }

  void demoCorpusFolderPerEmotion() {
    const QString demo = tmp_.filePath("demo");
    QCOMPARE(serwb({"make-demo", demo, "--acted-actors", "2", "--crowd-actors", "2", "--json"}).code, 0);
    const QString out = tmp_.filePath("spectrograms"), cache = tmp_.filePath("cache");
    const QStringList args = {"export-spectrograms", "--ravdess", demo + "/demo-acted", "--out", out,
                              "--format", "png", "--cache", cache, "--threads", "2", "--json"};
    const Result first = serwb(args);
    QCOMPARE(first.code, 0);
    const auto j = first.json();
    const int clips = j["clips"].get<int>();
    QCOMPARE(clips, 2 * 30);
    QCOMPARE(j["written"].get<int>(), clips);
    QCOMPARE(j["computed"].get<int>(), clips);
    QVERIFY(j["synthetic"].get<bool>());
    int files = 0;
    for (const auto& [label, n] : j["per_label"].items()) {
      const QStringList pngs = QDir(out + "/" + QString::fromStdString(label)).entryList({"*.png"}, QDir::Files);
      QCOMPARE(int(pngs.size()), n.get<int>());
      files += int(pngs.size());
      // 64 bands (--n-mels default) x 301 frames (3 s at a 10 ms hop, centred frames).
      QCOMPARE(pngSize(out + "/" + QString::fromStdString(label) + "/" + pngs.first()), QSize(301, 64));
    }
    QCOMPARE(files, clips);
    QCOMPARE(QDir(out).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), int(j["per_label"].size()));
    const auto again = serwb(args).json();
    QCOMPARE(again["cached"].get<int>(), clips);
    QCOMPARE(again["computed"].get<int>(), 0);
    // Other front-end options change the shape.
    const auto small = serwb({"export-spectrograms", "--ravdess", demo + "/demo-acted", "--out", tmp_.filePath("s40"),
                              "--n-mels", "40", "--seconds", "1", "--no-cache", "--json"}).json();
    QCOMPARE(small["written"].get<int>(), clips);
    const QString anyLabel = QString::fromStdString(small["per_label"].begin().key());
    const QString anyPng = QDir(tmp_.filePath("s40/") + anyLabel).entryList({"*.png"}).first();
    QCOMPARE(pngSize(tmp_.filePath("s40/") + anyLabel + "/" + anyPng), QSize(101, 40));
  }

  void badClipIsOneLineAndTheRestGoOn() {
    const std::string root = tmp_.filePath("bad-ravdess").toStdString();
    ser::fixtures::RavdessFixture spec;
    spec.samples = 8000;
    const auto paths = ser::fixtures::makeRavdessFixture(root, {1}, spec);
    ser::fixtures::writeBadAudio(paths[2], ser::fixtures::BadAudio::NanSamples);
    const Result r = serwb({"export-spectrograms", "--ravdess", QString::fromStdString(root), "--out",
                            tmp_.filePath("bad-out"), "--no-cache"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QStringLiteral("%1 of %2 clips written").arg(paths.size() - 1).arg(paths.size())),
             qPrintable(r.out));
    const QStringList failed = r.out.split('\n').filter("failed: ");
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed[0].contains(QString::fromStdString(paths[2])), qPrintable(failed[0]));
  }

  void badOptionsAreOneLine_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mention");
    QTest::newRow("format") << QStringList{"--format", "jpg"} << "format";
    QTest::newRow("labels") << QStringList{"--labels", "mine"} << "labels";
    QTest::newRow("colormap") << QStringList{"--colormap", "jet"} << "colormap";
    QTest::newRow("range") << QStringList{"--range-db", "0"} << "range_db";
  }
  void badOptionsAreOneLine() {
    QFETCH(QStringList, args);
    QFETCH(QString, mention);
    const Result r = serwb(QStringList{"export-spectrograms", "--ravdess", tmp_.path(), "--out", tmp_.filePath("x")} + args);
    QVERIFY(r.code != 0);
    QVERIFY2(!r.err.trimmed().contains('\n'), qPrintable(r.err));
    QVERIFY2(r.err.contains(mention), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestExportSpectrograms)
#include "test_export_spectrograms.moc"
