#include "ui/report/report_exporter.h"

#include <QApplication>
#include <QChartView>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <algorithm>
#include <memory>
#include <cmath>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/json_text.h"
#include "core/runs/metrics_export.h"
#include "core/runs/config_summary.h"
#include "ui/report/report_document.h"
#include "ui/results/bias_chart_view.h"
#include "ui/results/confusion_matrix_view.h"
#include "ui/results/metrics_format.h"
#include "ui/results/misclassified_panel.h"
#include "ui/results/run_summary_header.h"
#include "ui/results/speaker_accuracy_chart.h"
#include "ui/results/study_table_panel.h"
#include "ui/results/training_curves_view.h"

namespace ser {
namespace {

QStringList labelList(const RunRecord& run) {
  QStringList out;
  for (const auto& l : run.labels()) out << QString::fromStdString(l);
  return out;
}

QString speakersText(const std::vector<std::string>& speakers) {
  if (speakers.empty()) return QStringLiteral("\u2013");
  QStringList s;
  for (const auto& v : speakers) s << QString::fromStdString(v);
  return QStringLiteral("%1: %2").arg(s.size()).arg(s.join(QStringLiteral(", ")));
}

std::vector<std::vector<double>> confusionCounts(const RunRecord& run) {
  std::vector<std::vector<double>> counts;
  for (const auto& row : run.metrics.confusion) counts.emplace_back(row.begin(), row.end());
  return counts;
}

QString intervalText(const std::optional<Interval>& ci, std::size_t speakers) {
  if (ci) return QObject::tr("95% CI %1 to %2").arg(percentNumberText(ci->lo), percentNumberText(ci->hi));
  return QObject::tr("no interval: %1 speakers").arg(speakers);
}

QString joinedText(const std::vector<std::string>& items) {
  QStringList out;
  for (const auto& s : items) out << QString::fromStdString(s);
  return out.isEmpty() ? QStringLiteral("\u2013") : out.join(QStringLiteral(" + "));
}

// One line saying where the numbers come from: model, data, split, seed, device, folder.
QString provenanceLine(const RunRecord& run) {
  const SplitProvenance& s = run.split;
  QStringList parts;
  parts << QObject::tr("Model %1").arg(QString::fromStdString(run.model.empty() ? std::string("\u2013") : run.model));
  if (run.evaluation)
    parts << QObject::tr("evaluated checkpoint %1").arg(QString::fromStdString(run.evaluation->checkpoint));
  if (s.known)
    parts << (s.trainClips > 0 ? QObject::tr("trained on %1 (%2 clips, %3 speakers; %4 validation speakers)")
                                     .arg(joinedText(s.trainCorpora))
                                     .arg(s.trainClips)
                                     .arg(s.trainSpeakers.size())
                                     .arg(s.validationSpeakers.size())
                               : QObject::tr("trained on %1 (%2 speakers; %3 validation speakers)")
                                     .arg(joinedText(s.trainCorpora))
                                     .arg(s.trainSpeakers.size())
                                     .arg(s.validationSpeakers.size()));
  parts << QObject::tr("tested on %1").arg(joinedText(s.testCorpora));
  parts << QObject::tr("protocol %1").arg(protocolText(run));
  parts << QObject::tr("seed %1").arg(run.seed);
  if (!run.training.device.empty()) parts << QString::fromStdString(run.training.device);
  parts << QObject::tr("run folder %1").arg(QString::fromStdString(run.path.string()));
  return parts.join(QStringLiteral(" \u00b7 "));
}

// Page 1 of a run report, and a study's page per run: what a reader came for.
void writeRunSummary(ReportDocument& doc, const RunRecord& run, const QString& heading, const QString& subtitle) {
  const MetricsReport& m = run.metrics;
  doc.title(heading, 17, QColor(0x1f, 0x3a, 0x5f), false);
  doc.paragraph(subtitle, QColor(0x50, 0x50, 0x50), false, 9);
  if (run.synthetic)
    doc.banner(QObject::tr("SYNTHETIC DATA: this run used the generated demo corpus; its numbers exercise the "
                           "pipeline and say nothing about real emotional speech."),
               QColor(0xe6, 0x7e, 0x22));
  const QString warning = leakageWarningText(run);
  if (!warning.isEmpty()) doc.banner(QStringLiteral("\u26a0 ") + warning, warningColor());
  const QString note = provenanceNoteText(run);
  if (!note.isEmpty()) doc.banner(note, QColor(0x80, 0x80, 0x80));
  doc.headlines({{QObject::tr("Weighted accuracy (WA)"), formatPercent(m.overall.wa),
                  intervalText(m.overall.waCi95, m.overall.speakers)},
                 {QObject::tr("Unweighted average recall (UAR)"), formatPercent(m.overall.uar),
                  intervalText(m.overall.uarCi95, m.overall.speakers)},
                 {QObject::tr("Macro-F1"), formatPercent(m.macroF1),
                  m.macroF1Ci95 ? intervalText(m.macroF1Ci95, m.overall.speakers)
                                : QObject::tr("no interval recorded")}});
  doc.paragraph(QObject::tr("n = %1 test clips from %2 speakers; %3 classes (chance %4); intervals: percentile "
                            "bootstrap over speakers, each speaker keeping its clips.")
                    .arg(m.overall.n)
                    .arg(m.overall.speakers)
                    .arg(m.labels.size())
                    .arg(formatPercent(m.chance())),
                Qt::black, false, 9);
  doc.paragraph(provenanceLine(run), QColor(0x40, 0x40, 0x40), false, 8);

  ConfusionMatrixView counts, shares;
  counts.setMatrix(labelList(run), confusionCounts(run));
  shares.setMatrix(labelList(run), confusionCounts(run));
  shares.setNormalized(true);
  BiasChartView bias;
  bias.setRun(run);
  doc.subheading(QObject::tr("Confusion matrix: counts (left) and row shares (right); rows are the true class"), 60);
  doc.figures({{&counts, QSize(440, 400), 0.47}, {&shares, QSize(440, 400), 0.47}});
  doc.subheading(QObject::tr("Bias by sex: WA, UAR and recall per emotion with 95% intervals"), 60);
  doc.figures({{&bias, QSize(900, 420), 1.0}});
}

void writeConfiguration(ReportDocument& doc, const RunRecord& run) {
  doc.heading(QObject::tr("Configuration"));
  doc.paragraph(QObject::tr("Grouped by meaning; keys are config.json's. Settings that do not apply to this model "
                            "and the cache folder are left out here; Appendix A holds the whole file."),
                QColor(0x50, 0x50, 0x50), false, 8.5);
  for (const ConfigGroup& group : configSummary(run)) {
    std::vector<QStringList> rows;
    for (const ConfigRow& r : group.rows) rows.push_back({QString::fromStdString(r.key), QString::fromStdString(r.value)});
    doc.subheading(QString::fromStdString(group.title), 12);
    doc.table({QObject::tr("Setting"), QObject::tr("Value")}, rows, {0.42, 0.58}, {}, 8.5, {0});
  }
}

void writeRunDetails(ReportDocument& doc, const RunRecord& run, const PdfReportOptions& options) {
  const MetricsReport& m = run.metrics;
  const SplitProvenance& split = run.split;

  doc.heading(QObject::tr("Dataset and split"));
  std::vector<QStringList> splitRows = {
      {QObject::tr("Protocol"), protocolText(run)},
      {QObject::tr("Test clips"), QString::number(m.overall.n)},
      {QObject::tr("Classes (order)"), labelList(run).join(QStringLiteral(", "))},
      {QObject::tr("Train speakers"), speakersText(split.trainSpeakers)},
      {QObject::tr("Validation speakers"), speakersText(split.validationSpeakers)},
      {QObject::tr("Test speakers"), speakersText(split.testSpeakers)}};
  for (const auto& w : split.warnings) splitRows.push_back({QObject::tr("Warning"), QString::fromStdString(w)});
  doc.table({QObject::tr("Item"), QObject::tr("Value")}, splitRows, {0.25, 0.75}, {}, 9, {0});
  std::vector<QStringList> groups;
  auto groupRow = [](const QString& name, const GroupMetrics& g) {
    return QStringList{name, QString::number(g.n), QString::number(g.speakers),
                       formatPercentCi(g.wa, g.waCi95, g.speakers), formatPercentCi(g.uar, g.uarCi95, g.speakers)};
  };
  for (const auto& [name, g] : m.perCorpus)
    groups.push_back(groupRow(QObject::tr("corpus %1").arg(QString::fromStdString(name)), g));
  for (const auto& [sex, g] : m.perSex)
    groups.push_back(groupRow(QObject::tr("sex %1").arg(QString::fromStdString(toString(sex))), g));
  if (!groups.empty()) {
    doc.subheading(QObject::tr("Test set by corpus and by sex (95% intervals over speakers)"));
    doc.table({QObject::tr("Group"), QObject::tr("Clips"), QObject::tr("Speakers"), QObject::tr("WA [95% CI]"),
               QObject::tr("UAR [95% CI]")},
              groups, {0.22, 0.1, 0.12, 0.28, 0.28}, {1, 2, 3, 4}, 9, {0});
  }

  doc.heading(QObject::tr("Per class"));
  std::vector<QStringList> perClassRows;
  for (std::size_t c = 0; c < m.labels.size(); ++c) {
    const ClassStats& s = m.perClass[c];
    perClassRows.push_back({QString::fromStdString(m.labels[c]), formatPercent(s.precision),
                            formatPercent(s.recall), formatPercent(s.f1), QString::number(s.support),
                            recallBySexText(m, c, Sex::Female), recallBySexText(m, c, Sex::Male)});
  }
  doc.table({QObject::tr("Class"), QObject::tr("Precision"), QObject::tr("Recall"), QObject::tr("F1"),
             QObject::tr("Support"), QObject::tr("Recall F"), QObject::tr("Recall M")},
            perClassRows, {0.13, 0.1, 0.09, 0.09, 0.09, 0.25, 0.25}, {1, 2, 3, 4, 5, 6}, 9, {0, 1, 2, 3, 4});

  {
    TrainingCurvesView curves;
    curves.setRun(run);
    const std::vector<ReportDocument::Figure> row = {{&curves, QSize(900, 340), 1.0}};
    doc.heading(QObject::tr("Training curves"), curves.hasCurves() ? doc.figuresHeightMm(row) : 10);
    if (curves.hasCurves())
      doc.figures(row);
    else
      doc.paragraph(QObject::tr("No training curves: curves.csv is absent (SVM runs train without epochs)."));
  }
  {
    SpeakerAccuracyChart speakers;
    speakers.setRun(run);
    const std::vector<ReportDocument::Figure> row = {{&speakers, QSize(900, 320), 1.0}};
    doc.heading(QObject::tr("Accuracy per test speaker"), doc.figuresHeightMm(row));
    doc.figures(row);
  }

  doc.heading(QObject::tr("Misclassified clips"));
  std::vector<std::pair<double, const Prediction*>> wrong;
  for (const auto& p : run.predictions)
    if (p.truth != p.predicted) wrong.emplace_back(run.confidence(p), &p);
  std::stable_sort(wrong.begin(), wrong.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  const int listed = std::min<int>(static_cast<int>(wrong.size()), std::max(0, options.maxMisclassified));
  doc.paragraph(QObject::tr("%1 of %2 test clips were misclassified; %3 listed, most confident mistakes first.")
                    .arg(wrong.size())
                    .arg(run.predictions.size())
                    .arg(listed));
  std::vector<QStringList> rows;
  for (int i = 0; i < listed; ++i) {
    const Prediction& p = *wrong[i].second;
    rows.push_back({QString::fromStdString(p.path), QString::fromStdString(p.speaker),
                    p.sex == Sex::Unknown ? QString() : QString::fromStdString(toString(p.sex)),
                    QString::fromStdString(run.labels()[std::size_t(p.truth)]),
                    QString::fromStdString(run.labels()[std::size_t(p.predicted)]),
                    QString::number(wrong[i].first, 'f', 2), topProbabilitiesText(run.labels(), p)});
  }
  if (!rows.empty())
    doc.table({QObject::tr("Path"), QObject::tr("Speaker"), QObject::tr("Sex"), QObject::tr("True"),
               QObject::tr("Predicted"), QObject::tr("Conf."), QObject::tr("Top probabilities")},
              rows, {0.34, 0.1, 0.08, 0.09, 0.1, 0.07, 0.22}, {5}, 7, {1, 2, 3, 4});
}

void writeConfigAppendix(ReportDocument& doc, const RunRecord& run, const QString& title) {
  doc.heading(title, 20);
  doc.paragraph(QObject::tr("The run folder's config.json, whole: %1")
                    .arg(QString::fromStdString((run.path / "config.json").string())),
                QColor(0x50, 0x50, 0x50), false, 8.5);
  doc.preformatted(QString::fromStdString(dumpJson(run.config, 2)));
}

void finishOrThrow(ReportDocument& doc, const QString& partPath, const QString& pdfPath) {
  if (!doc.finish()) {
    QFile::remove(partPath);
    throw Error("Cannot write PDF report: " + pdfPath.toStdString());
  }
  QFile::remove(pdfPath);
  if (!QFile::rename(partPath, pdfPath)) {
    QFile::remove(partPath);
    throw Error("Cannot write PDF report: " + pdfPath.toStdString() + ": rename failed");
  }
}

ReportDocument* openDocument(std::unique_ptr<ReportDocument>& holder, const QString& partPath,
                             const QString& pdfPath, const QString& title) {
  holder = std::make_unique<ReportDocument>(partPath, title);
  if (!holder->ok()) throw Error("Cannot write PDF report: " + pdfPath.toStdString());
  return holder.get();
}

void writeText(const QString& path, const std::string& text) {
  writeFileAtomic(std::filesystem::path(path.toStdString()), text);
}

}  // namespace

int exportRunReport(const RunRecord& run, const QString& pdfPath, const PdfReportOptions& options) {
  const QString part = pdfPath + QStringLiteral(".part");
  std::unique_ptr<ReportDocument> holder;
  ReportDocument& doc = *openDocument(holder, part, pdfPath,
                                      QObject::tr("SER Workbench \u2014 run %1").arg(QString::fromStdString(run.name())));
  doc.fitOnPage([&](ReportDocument& d) {
    writeRunSummary(d, run, QObject::tr("Run %1").arg(QString::fromStdString(run.name())),
                    QObject::tr("SER Workbench experiment report \u00b7 %1")
                        .arg(options.date.toString(QStringLiteral("d MMMM yyyy, HH:mm"))));
  });
  doc.newPage();
  writeConfiguration(doc, run);
  writeRunDetails(doc, run, options);
  doc.newPage();
  writeConfigAppendix(doc, run, QObject::tr("Appendix A: configuration file"));
  const int pages = doc.pageCount();
  finishOrThrow(doc, part, pdfPath);
  return pages;
}

int exportStudyReport(const StudyTable& study, const QString& pdfPath, const PdfReportOptions& options) {
  const QString part = pdfPath + QStringLiteral(".part");
  std::unique_ptr<ReportDocument> holder;
  const QString name = QString::fromStdString(study.path.filename().empty() ? study.path.parent_path().filename().string()
                                                                            : study.path.filename().string());
  ReportDocument& doc = *openDocument(holder, part, pdfPath, QObject::tr("SER Workbench \u2014 study %1").arg(name));
  doc.fitOnPage([&](ReportDocument& d) {
    d.title(QObject::tr("Study %1").arg(name), 17, QColor(0x1f, 0x3a, 0x5f), false);
    d.paragraph(QObject::tr("SER Workbench cross-corpus study report \u00b7 %1 \u00b7 %2 experiments, %3 skipped")
                    .arg(options.date.toString(QStringLiteral("d MMMM yyyy, HH:mm")))
                    .arg(study.rows.size())
                    .arg(study.skipped.size()),
                QColor(0x50, 0x50, 0x50), false, 9);
    if (study.synthetic)
      d.banner(QObject::tr("SYNTHETIC DATA: this study ran on the generated demo corpora; its numbers say nothing "
                           "about real speech."),
               QColor(0xe6, 0x7e, 0x22));
    d.subheading(QObject::tr("Master table"), 30);
    std::vector<QStringList> rows;
    for (const auto& r : study.rows) rows.push_back(studyTableCells(r));
    d.paragraph(QObject::tr("WA = accuracy, UAR = unweighted average recall; 95% intervals in brackets "
                            "come from a bootstrap over speakers (none with fewer than 3 speakers). "
                            "Rows whose id ends in r use the random split, which lets test speakers "
                            "into training: their figures are optimistic. One page per run follows."),
                QColor(0x50, 0x50, 0x50), false, 8);
    d.table(studyTableHeaders(), rows, {0.04, 0.07, 0.1, 0.08, 0.11, 0.04, 0.13, 0.13, 0.07, 0.07, 0.16},
            {5, 6, 7, 8, 9, 10}, 7, {0, 1, 5});
    StudyTablePanel panel;
    panel.setStudy(study);
    // Taken out of the panel so they lay out at the report's size.
    std::unique_ptr<QChartView> chart(panel.chart());
    std::unique_ptr<QChartView> bias(panel.biasChart());
    chart->setParent(nullptr);
    bias->setParent(nullptr);
    d.subheading(QObject::tr("WA and UAR (left) and WA by sex (right) per experiment"), 40);
    d.figures({{chart.get(), QSize(520, 380), 0.49}, {bias.get(), QSize(520, 380), 0.49}});
    if (!study.skipped.empty()) {
      d.subheading(QObject::tr("Skipped experiments"), 8);
      for (const auto& s : study.skipped) d.paragraph(QStringLiteral("\u2022 ") + QString::fromStdString(s), Qt::black, false, 9);
    }
  });

  for (const auto& r : study.rows) {
    if (r.runDir.empty()) continue;
    doc.newPage();
    const QString heading = QObject::tr("Row %1: %2, %3 (%4)")
                                .arg(QString::fromStdString(r.id), QString::fromStdString(r.model),
                                     QString::fromStdString(r.train + " \u2192 " + r.test),
                                     QString::fromStdString(r.protocol));
    try {
      const RunRecord run = loadRunRecord(study.runPath(r).string());
      doc.fitOnPage([&](ReportDocument& d) {
        writeRunSummary(d, run, heading,
                        QObject::tr("Run folder %1; its own report holds the configuration, the per-class "
                                    "table, curves and misclassified clips.")
                            .arg(QString::fromStdString(run.path.string())));
      }, 0.0);
    } catch (const Error& e) {
      doc.title(heading, 17, QColor(0x1f, 0x3a, 0x5f), false);
      doc.banner(QObject::tr("Run folder could not be read: %1").arg(QString::fromUtf8(e.what())), warningColor());
    }
  }
  const int pages = doc.pageCount();
  finishOrThrow(doc, part, pdfPath);
  return pages;
}

void exportMetricsCsv(const RunRecord& run, const QString& path) { writeText(path, metricsToCsv(run)); }
void exportMetricsJson(const RunRecord& run, const QString& path) { writeText(path, dumpJson(metricsToJson(run), 2) + "\n"); }
void exportStudyCsv(const StudyTable& study, const QString& path) { writeText(path, studyToCsv(study)); }
void exportStudyJson(const StudyTable& study, const QString& path) {
  writeText(path, dumpJson(studyToJson(study), 2) + "\n");
}

QString exportWithDialog(QWidget* parent, const RunRecord* run, const StudyTable* study) {
  if (!run && !study) return {};
  const QString pdf = QObject::tr("PDF report (*.pdf)"), csv = QObject::tr("Metrics CSV (*.csv)"),
                json = QObject::tr("Metrics JSON (*.json)");
  QString filter = pdf;
  const QString base = QString::fromStdString(study ? study->path.filename().string() : run->name());
  QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export report"), base + ".pdf",
                                              pdf + ";;" + csv + ";;" + json, &filter);
  if (path.isEmpty()) return {};
  const QString ext = filter == csv ? "csv" : filter == json ? "json" : "pdf";
  if (QFileInfo(path).suffix().compare(ext, Qt::CaseInsensitive) != 0) path += "." + ext;
  try {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    if (ext == "pdf")
      study ? exportStudyReport(*study, path) : exportRunReport(*run, path);
    else if (ext == "csv")
      study ? exportStudyCsv(*study, path) : exportMetricsCsv(*run, path);
    else
      study ? exportStudyJson(*study, path) : exportMetricsJson(*run, path);
    QApplication::restoreOverrideCursor();
    return path;
  } catch (const Error& e) {
    QApplication::restoreOverrideCursor();
    QMessageBox::warning(parent, QObject::tr("Export failed"), QString::fromUtf8(e.what()));
    return {};
  }
}

}  // namespace ser
