#pragma once
// Exports of a run or a study: a multi-page PDF report, and the metrics as CSV and JSON.
// Call from the GUI thread (the PDF renders the results widgets offscreen).
#include <QDateTime>
#include <QString>

#include "core/runs/run_record.h"
#include "core/runs/study_table.h"

class QWidget;

namespace ser {

// Options of the PDF reports (named apart from core's MetricsReportOptions).
struct PdfReportOptions {
  int maxMisclassified = 60;                       // clips listed, most confident mistakes first
  QDateTime date = QDateTime::currentDateTime();   // printed on the title page
};

// Run report: title page (SYNTHETIC label when the config says so), configuration, dataset and
// split (with the speaker-leakage warning), results and per-class table, confusion matrix,
// training curves, bias by sex and per speaker, misclassified clips. Returns the page count.
// Throws ser::Error naming the file when it cannot be written.
int exportRunReport(const RunRecord& run, const QString& pdfPath, const PdfReportOptions& options = {});

// Study report: title page, master table with WA/UAR bars, skipped experiments, then each run's
// sections (run folders are read from the study folder; unreadable ones are reported in the PDF).
int exportStudyReport(const StudyTable& study, const QString& pdfPath, const PdfReportOptions& options = {});

// Metrics as tidy CSV (see ser::metricsToCsv) and as JSON (config + metrics). Atomic writes;
// throw ser::Error naming the file on failure.
void exportMetricsCsv(const RunRecord& run, const QString& path);
void exportMetricsJson(const RunRecord& run, const QString& path);
void exportStudyCsv(const StudyTable& study, const QString& path);
void exportStudyJson(const StudyTable& study, const QString& path);

// Asks for a file name (PDF, CSV or JSON, chosen by the filter) and exports `run`, or `study`
// when it is not null. Errors go to a message box. Returns the path written, or "" if cancelled
// or failed.
QString exportWithDialog(QWidget* parent, const RunRecord* run, const StudyTable* study);

}  // namespace ser
