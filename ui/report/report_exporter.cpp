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

// Renders a widget offscreen at `size` logical pixels, twice the density for print.
QImage renderWidget(QWidget* widget, QSize size) {
  constexpr qreal kDpr = 2.0;
  widget->setAttribute(Qt::WA_DontShowOnScreen);
  widget->resize(size);
  widget->show();
  QCoreApplication::sendPostedEvents();  // let layouts and chart scenes settle at the new size
  QImage image(size * kDpr, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(kDpr);
  image.fill(Qt::white);
  widget->render(&image);
  widget->hide();
  return image;
}

QStringList labelList(const RunRecord& run) {
  QStringList out;
  for (const auto& l : run.labels()) out << QString::fromStdString(l);
  return out;
}

QString scalarText(const nlohmann::json& v) {
  if (v.is_string()) return QString::fromStdString(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? QStringLiteral("yes") : QStringLiteral("no");
  if (v.is_null()) return QStringLiteral("\u2013");
  return QString::fromStdString(dumpJson(v));
}

// config.json flattened to "front_end.n_mels = 64" rows; arrays of scalars are joined.
void flatten(const nlohmann::json& j, const QString& prefix, std::vector<QStringList>& rows) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items())
      flatten(value, prefix.isEmpty() ? QString::fromStdString(key) : prefix + "." + QString::fromStdString(key), rows);
  } else if (j.is_array() && std::all_of(j.begin(), j.end(), [](const auto& v) { return !v.is_structured(); })) {
    QStringList parts;
    for (const auto& v : j) parts << scalarText(v);
    rows.push_back({prefix, parts.join(QStringLiteral(", "))});
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) flatten(j[i], prefix + QStringLiteral("[%1]").arg(i), rows);
  } else {
    rows.push_back({prefix, scalarText(j)});
  }
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

QString recallBySexText(const MetricsReport& m, std::size_t c, Sex sex) {
  if (c >= m.perClassBySex.size()) return QStringLiteral("\u2013");
  const auto it = m.perClassBySex[c].find(sex);
  if (it == m.perClassBySex[c].end() || !it->second) return QStringLiteral("\u2013");
  return formatPercentCi(it->second->recall, it->second->ci95);
}

void writeRunTitle(ReportDocument& doc, const RunRecord& run, const PdfReportOptions& options) {
  doc.vspace(45);
  doc.title(QStringLiteral("SER Workbench"), 30, QColor(0x1f, 0x3a, 0x5f));
  doc.title(QObject::tr("Speech emotion recognition experiment report"), 14, QColor(0x50, 0x50, 0x50));
  doc.vspace(12);
  doc.title(QObject::tr("Run: %1").arg(QString::fromStdString(run.name())), 18);
  doc.title(options.date.toString(QStringLiteral("d MMMM yyyy, HH:mm")), 11, QColor(0x50, 0x50, 0x50), true);
  doc.vspace(10);
  if (run.synthetic) {
    doc.title(QObject::tr("SYNTHETIC DATA"), 26, QColor(0xe6, 0x7e, 0x22));
    doc.title(QObject::tr("This run used the generated demo corpus. Its numbers exercise the pipeline and say "
                          "nothing about real emotional speech."),
              10, QColor(0xe6, 0x7e, 0x22));
    doc.vspace(6);
  }
  const MetricsReport& m = run.metrics;
  doc.title(QObject::tr("WA %1    UAR %2")
                .arg(formatPercentCi(m.overall.wa, m.overall.waCi95, m.overall.speakers),
                     formatPercentCi(m.overall.uar, m.overall.uarCi95, m.overall.speakers)),
            13);
  doc.title(QObject::tr("Protocol: %1").arg(protocolText(run)), 11,
            leakageWarningText(run).isEmpty() ? QColor(Qt::black) : warningColor());
  doc.vspace(20);
  doc.paragraph(QObject::tr("Run folder: %1").arg(QString::fromStdString(run.path.string())), QColor(0x60, 0x60, 0x60),
                false, 9);
}

void writeRunSections(ReportDocument& doc, const RunRecord& run, const PdfReportOptions& options,
                      const QString& prefix) {
  const MetricsReport& m = run.metrics;
  const SplitProvenance& split = run.split;
  const QString warning = leakageWarningText(run);
  const QString provenanceNote = provenanceNoteText(run);

  doc.heading(prefix + QObject::tr("Configuration"));
  if (run.synthetic) doc.banner(QObject::tr("SYNTHETIC DATA: generated demo corpus."), QColor(0xe6, 0x7e, 0x22));
  std::vector<QStringList> config;
  flatten(run.config, QString(), config);
  config.push_back({QObject::tr("(run) seed"), QString::number(run.seed)});
  if (!run.training.device.empty())
    config.push_back({QObject::tr("(run) device"), QString::fromStdString(run.training.device)});
  if (run.training.trainSeconds >= 0)
    config.push_back({QObject::tr("(run) train seconds"), QString::number(run.training.trainSeconds, 'f', 1)});
  if (run.training.samplesPerSecond >= 0)
    config.push_back({QObject::tr("(run) train samples per second"),
                      QString::number(run.training.samplesPerSecond, 'f', 1)});
  doc.table({QObject::tr("Setting"), QObject::tr("Value")}, config, {0.38, 0.62});

  doc.heading(prefix + QObject::tr("Dataset and split"));
  if (!warning.isEmpty()) doc.banner(QStringLiteral("\u26a0 ") + warning, warningColor());
  if (!provenanceNote.isEmpty()) doc.banner(provenanceNote, QColor(0x80, 0x80, 0x80));
  std::vector<QStringList> splitRows = {
      {QObject::tr("Protocol"), protocolText(run)},
      {QObject::tr("Test clips"), QString::number(m.overall.n)},
      {QObject::tr("Classes (order)"), labelList(run).join(QStringLiteral(", "))},
      {QObject::tr("Train speakers"), speakersText(split.trainSpeakers)},
      {QObject::tr("Validation speakers"), speakersText(split.validationSpeakers)},
      {QObject::tr("Test speakers"), speakersText(split.testSpeakers)}};
  for (const auto& w : split.warnings) splitRows.push_back({QObject::tr("Warning"), QString::fromStdString(w)});
  doc.table({QObject::tr("Item"), QObject::tr("Value")}, splitRows, {0.25, 0.75});
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
              groups, {0.22, 0.1, 0.12, 0.28, 0.28}, {1, 2, 3, 4});
  }

  doc.heading(prefix + QObject::tr("Results"));
  doc.table({QObject::tr("Metric"), QObject::tr("Value [95% interval]")},
            {{QObject::tr("Weighted accuracy (WA)"), formatPercentCi(m.overall.wa, m.overall.waCi95, m.overall.speakers)},
             {QObject::tr("Unweighted average recall (UAR)"),
              formatPercentCi(m.overall.uar, m.overall.uarCi95, m.overall.speakers)},
             {QObject::tr("Macro F1"), formatPercent(m.macroF1)},
             {QObject::tr("Chance (1 / classes)"), formatPercent(m.chance())}},
            {0.5, 0.5});
  doc.subheading(QObject::tr("Per class"));
  std::vector<QStringList> perClassRows;
  for (std::size_t c = 0; c < m.labels.size(); ++c) {
    const ClassStats& s = m.perClass[c];
    perClassRows.push_back({QString::fromStdString(m.labels[c]), formatPercent(s.precision),
                            formatPercent(s.recall), formatPercent(s.f1), QString::number(s.support),
                            recallBySexText(m, c, Sex::Female), recallBySexText(m, c, Sex::Male)});
  }
  doc.table({QObject::tr("Class"), QObject::tr("Precision"), QObject::tr("Recall"), QObject::tr("F1"),
             QObject::tr("Support"), QObject::tr("Recall F"), QObject::tr("Recall M")},
            perClassRows, {0.16, 0.1, 0.1, 0.1, 0.1, 0.22, 0.22}, {1, 2, 3, 4, 5, 6});

  {
    ConfusionMatrixView view;
    view.setMatrix(labelList(run), confusionCounts(run));
    const QSize size(440, 400);
    const QImage counts = renderWidget(&view, size);
    view.setNormalized(true);
    const QImage shares = renderWidget(&view, size);
    QImage both(QSize(size.width() * 2, size.height()) * counts.devicePixelRatio(),
                QImage::Format_ARGB32_Premultiplied);
    both.setDevicePixelRatio(counts.devicePixelRatio());
    both.fill(Qt::white);
    QPainter p(&both);
    p.drawImage(QPoint(0, 0), counts);
    p.drawImage(QPoint(size.width(), 0), shares);
    p.end();
    doc.subheading(QObject::tr("Confusion matrix: counts (left) and row-normalised shares (right)"),
                   doc.imageHeightMm(both));
    doc.image(both, 1.0);
  }

  {
    TrainingCurvesView curves;
    curves.setRun(run);
    const QImage image = curves.hasCurves() ? renderWidget(&curves, QSize(900, 340)) : QImage();
    doc.heading(prefix + QObject::tr("Training curves"), image.isNull() ? 10 : doc.imageHeightMm(image));
    if (curves.hasCurves())
      doc.image(image, 1.0);
    else
      doc.paragraph(QObject::tr("No training curves: curves.csv is absent (SVM runs train without epochs)."));
  }
  {
    BiasChartView bias;
    bias.setRun(run);
    const QImage image = renderWidget(&bias, QSize(900, 400));
    doc.heading(prefix + QObject::tr("Bias by sex"), doc.imageHeightMm(image));
    doc.image(image, 1.0);
  }
  {
    SpeakerAccuracyChart speakers;
    speakers.setRun(run);
    const QImage image = renderWidget(&speakers, QSize(900, 320));
    doc.subheading(QObject::tr("Accuracy per test speaker"), doc.imageHeightMm(image));
    doc.image(image, 1.0);
  }

  doc.heading(prefix + QObject::tr("Misclassified clips"));
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
              rows, {0.34, 0.1, 0.08, 0.09, 0.1, 0.07, 0.22}, {5}, 7);
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
  writeRunTitle(doc, run, options);
  doc.newPage();
  writeRunSections(doc, run, options, QString());
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
  doc.vspace(45);
  doc.title(QStringLiteral("SER Workbench"), 30, QColor(0x1f, 0x3a, 0x5f));
  doc.title(QObject::tr("Cross-corpus study report"), 14, QColor(0x50, 0x50, 0x50));
  doc.vspace(12);
  doc.title(QObject::tr("Study: %1").arg(name), 18);
  doc.title(options.date.toString(QStringLiteral("d MMMM yyyy, HH:mm")), 11, QColor(0x50, 0x50, 0x50));
  doc.vspace(10);
  if (study.synthetic) {
    doc.title(QObject::tr("SYNTHETIC DATA"), 26, QColor(0xe6, 0x7e, 0x22));
    doc.title(QObject::tr("This study ran on the generated demo corpora."), 10, QColor(0xe6, 0x7e, 0x22));
  }
  doc.title(QObject::tr("%1 experiments, %2 skipped").arg(study.rows.size()).arg(study.skipped.size()), 12);
  doc.newPage();

  doc.heading(QObject::tr("Master table"));
  std::vector<QStringList> rows;
  for (const auto& r : study.rows) rows.push_back(studyTableCells(r));
  doc.paragraph(QObject::tr("WA = accuracy, UAR = unweighted average recall; 95% intervals in brackets "
                            "come from a bootstrap over speakers (none with fewer than 3 speakers). "
                            "Rows whose id ends in r use the random split, which lets test speakers "
                            "into training: their figures are optimistic."),
                QColor(0x50, 0x50, 0x50), false, 8);
  doc.table(studyTableHeaders(), rows, {0.04, 0.07, 0.1, 0.08, 0.11, 0.04, 0.13, 0.13, 0.07, 0.07, 0.16},
            {5, 6, 7, 8, 9, 10}, 7);
  {
    StudyTablePanel panel;
    panel.setStudy(study);
    // Taken out of the panel's layout so it renders at the report's size.
    std::unique_ptr<QChartView> chart(panel.chart());
    chart->setParent(nullptr);
    doc.image(renderWidget(chart.get(), QSize(900, 360)), 1.0);
  }
  if (!study.skipped.empty()) {
    doc.subheading(QObject::tr("Skipped experiments"));
    for (const auto& s : study.skipped) doc.paragraph(QStringLiteral("\u2022 ") + QString::fromStdString(s));
  }

  int index = 0;
  for (const auto& r : study.rows) {
    ++index;
    if (r.runDir.empty()) continue;
    doc.newPage();
    const QString prefix = QStringLiteral("%1. ").arg(index);
    doc.title(QObject::tr("Row %1: %2, %3 (%4)")
                  .arg(QString::fromStdString(r.id), QString::fromStdString(r.model),
                       QString::fromStdString(r.train + " \u2192 " + r.test), QString::fromStdString(r.protocol)),
              16, QColor(0x1f, 0x3a, 0x5f), false);
    try {
      const RunRecord run = loadRunRecord(study.runPath(r).string());
      writeRunSections(doc, run, options, prefix);
    } catch (const Error& e) {
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
