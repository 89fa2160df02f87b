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

// Run report. Page 1 holds what a reader came for: WA, UAR and macro-F1 with their 95% intervals,
// n and speakers, a provenance line, the confusion matrix and the bias chart (shrunk to fit the
// page when needed). Then the configuration grouped by meaning (core/runs/config_summary.h), the
// dataset and split, the per-class table, training curves, accuracy per speaker and the
// misclassified clips; Appendix A, on a page of its own, holds config.json whole. Charts are
// vectors. Returns the page count. Throws ser::Error naming the file when it cannot be written.
int exportRunReport(const RunRecord& run, const QString& pdfPath, const PdfReportOptions& options = {});

// Study report: one summary page (master table, WA/UAR and WA-by-sex charts, skipped experiments),
// then exactly one page per row with a run folder (that run's page 1; a folder that cannot be
// read gets a page saying why). No appendix: 1 + N pages for N run folders.
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
