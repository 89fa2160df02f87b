#pragma once
// The cross-corpus master table of a study (`serwb reproduce`): one row per experiment with n, WA
// and UAR with their speaker-bootstrap intervals, WA by sex and the female - male gap with its
// interval (the same columns as table.md and the PDF), grouped bars of WA and UAR and of WA by
// sex, the experiments the CLI skipped, and a banner when the study ran on
// synthetic data. Double-clicking a row with a run folder emits runActivated(absolute folder).
#include <QWidget>

#include "core/runs/study_table.h"

class QChartView;
class QLabel;
class QTableWidget;

namespace ser {

class StudyTablePanel : public QWidget {
  Q_OBJECT
 public:
  explicit StudyTablePanel(QWidget* parent = nullptr);

  void setStudy(const StudyTable& study);
  void clear();

  QTableWidget* table() const { return table_; }
  QChartView* chart() const { return chart_; }
  // WA by sex per experiment (female and male bars; the gap and its interval are in the table).
  QChartView* biasChart() const { return bias_; }

 signals:
  void runActivated(const QString& runDir);

 private:
  StudyTable study_;
  QLabel* banner_;
  QTableWidget* table_;
  QChartView* chart_;
  QChartView* bias_;
  QLabel* skipped_;
};

// The master table's column titles and one row's cells, shared by this panel and the PDF report.
QStringList studyTableHeaders();
QStringList studyTableCells(const StudyRow& row);

}  // namespace ser
