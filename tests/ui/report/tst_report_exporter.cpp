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
#include "core/runs/config_summary.h"
#include "ui/report/report_exporter.h"

class TestReportExporter : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void runReportIsMultiPagePdf();
  void studyReportIsOnePagePerRun();
  void pageOneHoldsTheHeadlinesAndFigures();
  void chartsAreVectors();
  void noKeyOrLabelIsClipped();
  void configurationGroupedWithTheFileInAnAppendix();
  void metricsCsvAndJson();
  void unwritablePathNamesFile();

 private:
  static QByteArray readAll(const QString& path);
  static int countPages(const QByteArray& pdf);
  static int pdfinfoPages(const QString& path);  // -1 when pdfinfo is unavailable
  static void keep(const QString& path, const QString& name);
  // pdftotext of pages [first, last] (0 = to the end), whitespace collapsed; null without poppler.
  static QString pdfText(const QString& path, int first = 1, int last = 0);

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

QString TestReportExporter::pdfText(const QString& path, int first, int last) {
  if (QStandardPaths::findExecutable("pdftotext").isEmpty()) return {};
  QStringList args = {"-f", QString::number(first)};
  if (last > 0) args << "-l" << QString::number(last);
  QProcess p;
  p.start("pdftotext", args << path << "-");
  if (!p.waitForFinished(20000)) return {};
  QString text = QString::fromUtf8(p.readAllStandardOutput());
  // The PDF's fonts set "fi" and "fl" as ligatures; pdftotext gives them back as one character.
  text.replace(QChar(0xfb01), QStringLiteral("fi")).replace(QChar(0xfb02), QStringLiteral("fl"));
  return text.simplified();
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

void TestReportExporter::studyReportIsOnePagePerRun() {
  QTemporaryDir dir;
  QVERIFY(ser::testing::writeStudyFixture(dir.path()));
  const auto study = ser::loadStudy(dir.path().toStdString());
  int runs = 0;
  for (const auto& r : study.rows) runs += r.runDir.empty() ? 0 : 1;
  QCOMPARE(runs, 2);
  const QString pdf = tmp_.filePath("study.pdf");
  const int pages = ser::exportStudyReport(study, pdf);
  keep(pdf, "study_report.pdf");
  QCOMPARE(pages, 1 + runs);  // the summary page, then one page per run; no appendix
  QCOMPARE(countPages(readAll(pdf)), pages);
  const int info = pdfinfoPages(pdf);
  if (info >= 0) QCOMPARE(info, pages);
  const QString summary = pdfText(pdf, 1, 1);
  if (summary.isNull()) QSKIP("pdftotext (poppler-utils) is not installed");
  QVERIFY2(summary.contains("Master table"), qPrintable(summary));
  QVERIFY(summary.contains("Female \u2212 male"));  // the master table's bias columns
  QVERIFY(summary.contains("WA by sex per experiment"));  // the bias figure
  QVERIFY(summary.contains("training diverged"));   // skipped experiments
  const QString first = pdfText(pdf, 2, 2), second = pdfText(pdf, 3, 3);
  QVERIFY2(first.contains("Row acted within-corpus: cnn, demo-acted \u2192"), qPrintable(first));
  QVERIFY(first.contains("Weighted accuracy (WA)"));
  QVERIFY(first.contains("Predicted"));  // its confusion matrix
  QVERIFY2(second.contains("Row acted -> crowd: svm, demo-acted \u2192"), qPrintable(second));
  QVERIFY(!pdfText(pdf).contains("Row crowd -> acted"));  // no run folder
}

void TestReportExporter::pageOneHoldsTheHeadlinesAndFigures() {
  const QString pdf = tmp_.filePath("page1.pdf");
  ser::exportRunReport(run_, pdf);
  keep(pdf, "run_report.pdf");
  const QString page1 = pdfText(pdf, 1, 1);
  if (page1.isNull()) QSKIP("pdftotext (poppler-utils) is not installed");
  const auto& m = run_.metrics;
  QVERIFY(m.macroF1Ci95.has_value());
  for (const QString& expected :
       {QString("Weighted accuracy (WA)"), QString("Unweighted average recall (UAR)"), QString("Macro-F1"),
        QStringLiteral("95% CI %1 to %2").arg(100 * m.overall.waCi95->lo, 0, 'f', 1).arg(100 * m.overall.waCi95->hi, 0, 'f', 1),
        QStringLiteral("95% CI %1 to %2").arg(100 * m.overall.uarCi95->lo, 0, 'f', 1).arg(100 * m.overall.uarCi95->hi, 0, 'f', 1),
        QStringLiteral("95% CI %1 to %2").arg(100 * m.macroF1Ci95->lo, 0, 'f', 1).arg(100 * m.macroF1Ci95->hi, 0, 'f', 1),
        QString("n = 24 test clips from 4 speakers"), QString("seed 1234"), QString("Model cnn"),
        QString("SYNTHETIC DATA"), QString("Speaker leakage"),
        QString("Predicted"), QString("True"),  // the confusion matrix, as text
        QString("Bias by sex"), QString("female")})  // the bias chart
    QVERIFY2(page1.contains(expected), qPrintable(expected + " not on page 1: " + page1));
  for (const auto& label : run_.labels()) QVERIFY(page1.contains(QString::fromStdString(label)));
  QVERIFY2(!page1.contains("Setting Value"), "the configuration comes after the results");
}

void TestReportExporter::chartsAreVectors() {
  const QString pdf = tmp_.filePath("vectors.pdf");
  ser::exportRunReport(run_, pdf);
  const QByteArray bytes = readAll(pdf);
  // Object dictionaries are not compressed: an embedded raster would show as an image XObject.
  QCOMPARE(bytes.count("/Subtype /Image"), 0);
  if (!QStandardPaths::findExecutable("pdfimages").isEmpty()) {
    QProcess p;
    p.start("pdfimages", {"-list", pdf});
    QVERIFY(p.waitForFinished(20000));
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);  // the header and its rule: no image
  }
}

void TestReportExporter::noKeyOrLabelIsClipped() {
  ser::RunRecord run = run_;
  // A key far wider than the key column at the table's size must shrink, not break or vanish.
  const std::string longKey = "an_unusually_long_configuration_key_that_no_column_holds_at_nine_points";
  run.config["training"][longKey] = 1;
  run.metrics.labels[1] = "happily-surprised-and-excited";
  const QString pdf = tmp_.filePath("clip.pdf");
  ser::exportRunReport(run, pdf);
  const QString text = pdfText(pdf);
  if (text.isNull()) QSKIP("pdftotext (poppler-utils) is not installed");
  int keys = 0;
  for (const auto& group : ser::configSummary(run))
    for (const auto& row : group.rows) {
      ++keys;
      QVERIFY2(text.contains(QString::fromStdString(row.key)), row.key.c_str());
    }
  QVERIFY(keys > 15);
  QVERIFY(text.contains(QString::fromStdString("training." + longKey)));
  for (const auto& label : run.labels()) {
    // Every class label whole on page 1 (confusion matrix) and in the per-class table.
    QVERIFY2(pdfText(pdf, 1, 1).contains(QString::fromStdString(label)), label.c_str());
    QVERIFY2(text.count(QString::fromStdString(label)) >= 3, label.c_str());
  }
  for (const auto& speaker : run.split.testSpeakers) QVERIFY(text.contains(QString::fromStdString(speaker)));
}

void TestReportExporter::configurationGroupedWithTheFileInAnAppendix() {
  const QString pdf = tmp_.filePath("config.pdf");
  const int pages = ser::exportRunReport(run_, pdf);
  const QString body = pdfText(pdf, 2, pages - 1);
  if (body.isNull()) QSKIP("pdftotext (poppler-utils) is not installed");
  // Groups in order of meaning, before the results' details.
  int at = body.indexOf("Configuration");
  QVERIFY(at >= 0);
  for (const QString& group : {QString("Data Setting Value"), QString("Split Setting Value"),
                               QString("Model Setting Value"), QString("Training Setting Value"),
                               QString("Evaluation Setting Value")}) {
    const int next = body.indexOf(group, at);
    QVERIFY2(next > at, qPrintable(group));
    at = next;
  }
  QVERIFY(body.indexOf("Dataset and split") > at);
  // The last page: Appendix A with config.json whole, pretty-printed.
  const QString appendix = pdfText(pdf, pages, pages);
  QVERIFY2(appendix.contains("Appendix A: configuration file"), qPrintable(appendix));
  QVERIFY(appendix.contains("\"n_mels\": 64"));
  QVERIFY(appendix.contains("\"learning_rate\": 0.001"));
  QVERIFY(!body.contains("Appendix A: configuration file"));  // on a page of its own
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
