#pragma once
// Two or more runs side by side, all from the core comparison (core/runs/run_comparison.h):
//   Summary            WA / UAR / macro-F1 with intervals per run, the paired UAR and WA
//                      differences with their speaker-bootstrap intervals (or why there is none),
//                      and the configuration keys that differ
//   Training curves    validation UAR and the losses of every run overlaid (one colour per run)
//   Confusion matrices one per run, side by side (row-normalised by default: runs differ in n)
//   Bias by sex        each run's bias view (ui/results), one under the other
#include <vector>
#include <QVector>
#include <QWidget>

#include "core/runs/run_comparison.h"

class QChartView;
class QCheckBox;
class QLabel;
class QTabWidget;
class QTableWidget;

namespace ser {

struct RunRecord;
class BiasChartView;
class ConfusionMatrixView;

class CompareView : public QWidget {
  Q_OBJECT
 public:
  explicit CompareView(QWidget* parent = nullptr);
  ~CompareView() override;

  // Shows `runs` (two or more; the view keeps no reference). Throws ParameterError for invalid
  // options.
  void setRuns(const std::vector<RunRecord>& runs, const ComparisonOptions& options = {});

  const RunComparison& comparison() const { return comparison_; }
  QTabWidget* tabs() const { return tabs_; }
  QLabel* headline() const { return headline_; }
  QTableWidget* metricsTable() const { return metrics_; }
  QTableWidget* pairsTable() const { return pairs_; }
  QTableWidget* configTable() const { return config_; }
  QChartView* uarCurves() const { return uarCurves_; }
  QChartView* lossCurves() const { return lossCurves_; }
  QLabel* curvesNote() const { return curvesNote_; }
  const QVector<ConfusionMatrixView*>& confusionViews() const { return confusions_; }
  const QVector<BiasChartView*>& biasViews() const { return biases_; }
  QCheckBox* normalizeToggle() const { return normalize_; }

  // The colour of run `i` in every chart of the view.
  static QColor runColor(int i);

 private:
  void fillSummary();
  void fillCurves(const std::vector<RunRecord>& runs);
  void fillMatrices(const std::vector<RunRecord>& runs);
  void fillBias(const std::vector<RunRecord>& runs);

  RunComparison comparison_;
  QTabWidget* tabs_;
  QLabel* headline_;
  QTableWidget* metrics_;
  QTableWidget* pairs_;
  QTableWidget* config_;
  QChartView* uarCurves_;
  QChartView* lossCurves_;
  QLabel* curvesNote_;
  QWidget* matricesBox_;
  QCheckBox* normalize_;
  QWidget* biasBox_;
  QVector<ConfusionMatrixView*> confusions_;
  QVector<BiasChartView*> biases_;
};

}  // namespace ser
