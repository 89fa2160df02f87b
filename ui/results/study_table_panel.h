#pragma once
// The cross-corpus master table of a study (`serwb reproduce`): one row per experiment with WA and
// UAR, grouped bars of both, the experiments the CLI skipped, and a banner when the study ran on
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

 signals:
  void runActivated(const QString& runDir);

 private:
  StudyTable study_;
  QLabel* banner_;
  QTableWidget* table_;
  QChartView* chart_;
  QLabel* skipped_;
};

}  // namespace ser
