#pragma once
// Everything about one finished run: the summary header (with the speaker-leakage banner), then
// tabs for the confusion matrix with per-class metrics, the bias-by-sex charts, per-speaker
// accuracy and the training curves. Clicking a confusion cell emits cellClicked(true, predicted):
// the workbench turns it into a shared ClipSelection, whose cells the matrix outlines.
#include <QWidget>

class QCheckBox;
class QTabWidget;

namespace ser {

struct RunRecord;
class BiasChartView;
class ClipSelection;
class ConfusionMatrixView;
class PerClassTable;
class RunSummaryHeader;
class SpeakerAccuracyChart;
class TrainingCurvesView;

class ResultsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ResultsPanel(QWidget* parent = nullptr);

  // Shows a run; the panel keeps no reference to `run`.
  void setRun(const RunRecord& run);
  void clear();
  // Outlines the confusion cells of `selection`'s clips (not owned; may be null).
  void setSelection(ClipSelection* selection);

  RunSummaryHeader* header() const { return header_; }
  ConfusionMatrixView* confusionView() const { return confusion_; }
  QCheckBox* normalizeToggle() const { return normalize_; }
  PerClassTable* perClassTable() const { return perClass_; }
  BiasChartView* biasView() const { return bias_; }
  SpeakerAccuracyChart* speakerChart() const { return speakers_; }
  TrainingCurvesView* curvesView() const { return curves_; }
  QTabWidget* tabs() const { return tabs_; }

 signals:
  void cellClicked(const QString& trueLabel, const QString& predictedLabel);

 private:
  RunSummaryHeader* header_;
  QTabWidget* tabs_;
  ConfusionMatrixView* confusion_;
  QCheckBox* normalize_;
  PerClassTable* perClass_;
  BiasChartView* bias_;
  SpeakerAccuracyChart* speakers_;
  TrainingCurvesView* curves_;
  ClipSelection* selection_ = nullptr;
};

}  // namespace ser
