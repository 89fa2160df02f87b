#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "core/base/error.h"
#include "core/base/csv.h"
#include "core/runs/run_record.h"
#include "core/runs/study_table.h"
#include "tests/core/runs/run_fixture.h"
#include "ui/report/report_exporter.h"

class TestReportExporter : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void runReportIsMultiPagePdf();
  void studyReportCoversEveryRun();
  void metricsCsvAndJson();
  void unwritablePathNamesFile();

 private:
  static QByteArray readAll(const QString& path);
  static int countPages(const QByteArray& pdf);
  static int pdfinfoPages(const QString& path);  // -1 when pdfinfo is unavailable
  static void keep(const QString& path, const QString& name);

  QTemporaryDir tmp_;
  ser::RunRecord run_;
};

void TestReportExporter::initTestCase() {
  QVERIFY(ser::testing::writeRunFixture(tmp_.filePath("acted-cnn")));
  run_ = ser::loadRunRecord(tmp_.filePath("acted-cnn").toStdString());
}

QByteArray TestReportExporter::readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

int TestReportExporter::countPages(const QByteArray& pdf) {
  // Page objects are "/Type /Page" not followed by "s" (that would be the page tree).
  static const QRegularExpression page(QStringLiteral("/Type\\s*/Page(?![s])"));
  return static_cast<int>(QString::fromLatin1(pdf).count(page));
}

int TestReportExporter::pdfinfoPages(const QString& path) {
  if (QStandardPaths::findExecutable("pdfinfo").isEmpty()) return -1;
  QProcess p;
  p.start("pdfinfo", {path});
  if (!p.waitForFinished(20000) || p.exitCode() != 0) return 0;
  const auto m = QRegularExpression("Pages:\\s+(\\d+)").match(QString::fromLatin1(p.readAllStandardOutput()));
  return m.hasMatch() ? m.captured(1).toInt() : 0;
}

void TestReportExporter::keep(const QString& path, const QString& name) {
  const QString dir = qEnvironmentVariable("SERWB_SNAPSHOT_DIR");
  if (dir.isEmpty()) return;
  QDir().mkpath(dir);
  QFile::remove(dir + "/" + name);
  QFile::copy(path, dir + "/" + name);
}

void TestReportExporter::runReportIsMultiPagePdf() {
  const QString pdf = tmp_.filePath("run.pdf");
  const int pages = ser::exportRunReport(run_, pdf);
  const QByteArray bytes = readAll(pdf);
  QVERIFY(bytes.startsWith("%PDF-"));
  QVERIFY(bytes.trimmed().endsWith("%%EOF"));
  QVERIFY2(pages >= 3, qPrintable(QString::number(pages)));
  QCOMPARE(countPages(bytes), pages);
  const int info = pdfinfoPages(pdf);
  if (info >= 0) QCOMPARE(info, pages);
  QVERIFY(!QFile::exists(pdf + ".part"));
  keep(pdf, "run_report.pdf");
}

void TestReportExporter::studyReportCoversEveryRun() {
  QTemporaryDir dir;
  QVERIFY(ser::testing::writeStudyFixture(dir.path()));
  const auto study = ser::loadStudy(dir.path().toStdString());
  const QString runPdf = tmp_.filePath("single.pdf");
  const int runPages = ser::exportRunReport(run_, runPdf);
  const QString pdf = tmp_.filePath("study.pdf");
  const int pages = ser::exportStudyReport(study, pdf);
  keep(pdf, "study_report.pdf");
  const QByteArray bytes = readAll(pdf);
  QVERIFY(bytes.startsWith("%PDF-"));
  QCOMPARE(countPages(bytes), pages);
  // Title, master table, then both runs' sections: more than one run report.
  QVERIFY2(pages > runPages + 1, qPrintable(QStringLiteral("%1 vs %2").arg(pages).arg(runPages)));
  if (!QStandardPaths::findExecutable("pdftotext").isEmpty()) {
    QProcess p;
    p.start("pdftotext", {pdf, "-"});
    QVERIFY(p.waitForFinished(20000));
    const QString text = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY(text.contains("Master table"));
    const QString flat = text.simplified();  // titles and cells wrap
    QVERIFY2(flat.contains("Row acted within-corpus: cnn, demo-acted \u2192"), qPrintable(flat));
    QVERIFY(flat.contains("Row acted -> crowd: svm, demo-acted \u2192"));
    QVERIFY(flat.contains("Female \u2212 male"));  // the master table's bias columns
    QVERIFY(flat.contains("No training curves"));  // the SVM run
    QVERIFY(!flat.contains("Row crowd -> acted"));   // no run folder
  }
}

void TestReportExporter::metricsCsvAndJson() {
  const QString csv = tmp_.filePath("metrics.csv"), json = tmp_.filePath("metrics.json");
  ser::exportMetricsCsv(run_, csv);
  ser::exportMetricsJson(run_, json);
  const auto table = ser::parseCsv(readAll(csv).toStdString(), "metrics.csv");
  QCOMPARE(table.header.size(), std::size_t(7));
  bool found = false;
  for (const auto& row : table.rows)
    if (row[1] == "overall" && row[3] == "uar")
      found = row[4] == "0.75" && std::stod(row[5]) == std::stod(QString::number(run_.metrics.overall.uarCi95->lo, 'g', 6).toStdString());
  QVERIFY(found);
  const auto j = nlohmann::json::parse(readAll(json).toStdString());
  QCOMPARE(j["run"].get<std::string>(), std::string("acted-cnn"));
  QCOMPARE(j["metrics"]["confusion"][1][3].get<int>(), 2);
  QCOMPARE(j["config"]["seed"].get<int>(), 1234);

  QTemporaryDir dir;
  QVERIFY(ser::testing::writeStudyFixture(dir.path()));
  const auto study = ser::loadStudy(dir.path().toStdString());
  ser::exportStudyCsv(study, tmp_.filePath("study.csv"));
  const auto st = ser::parseCsv(readAll(tmp_.filePath("study.csv")).toStdString(), "study.csv");
  QCOMPARE(st.rows.size(), std::size_t(3));
  QCOMPARE(QString::fromStdString(st.rows[1][st.column("uar")]), QString("0.386"));
}

void TestReportExporter::unwritablePathNamesFile() {
  const QString bad = tmp_.filePath("no-such-dir/sub/report.pdf");
  try {
    ser::exportRunReport(run_, bad);
    QFAIL("no exception");
  } catch (const ser::Error& e) {
    QVERIFY2(QString(e.what()).contains(bad), e.what());
  }
  // A parent that is a file cannot hold the CSV.
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::exportMetricsCsv(run_, tmp_.filePath("acted-cnn/config.json/m.csv")));
}

QTEST_MAIN(TestReportExporter)
#include "tst_report_exporter.moc"
