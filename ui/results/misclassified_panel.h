#pragma once
// The test clips the model got wrong, most confident mistakes first: path, speaker, sex, true and
// predicted class, confidence (probability of the predicted class) and the top probabilities.
// Filter combos narrow by true and predicted class; filterTo() sets both (wire it to
// ResultsPanel::cellClicked). Selecting a row emits clipSelected(path) for playback and a
// spectrogram, which the main window provides. N / P (and Down / Up) step through the rows.
// With a shared ClipSelection (setSelection) the list follows it: a confusion cell sets the two
// filters, a selection on the clip map lists only its clips.
#include <QSet>
#include <QWidget>
#include <vector>

#include "core/runs/run_record.h"

class QComboBox;
class QPushButton;
class QLabel;
class QTableWidget;

namespace ser {

class ClipSelection;

class MisclassifiedPanel : public QWidget {
  Q_OBJECT
 public:
  explicit MisclassifiedPanel(QWidget* parent = nullptr);

  // Copies what it needs from `run`.
  void setRun(const RunRecord& run);
  void clear();
  // Follows `selection` (not owned; may be null) from now on.
  void setSelection(ClipSelection* selection);

  QTableWidget* table() const { return table_; }
  int visibleCount() const;              // rows currently listed
  int misclassifiedCount() const { return static_cast<int>(rows_.size()); }
  QString trueFilter() const;            // "" = any
  QString predictedFilter() const;       // "" = any
  QString selectedPath() const;          // "" when nothing is selected
  bool filtersToSelection() const { return !pathFilter_.isEmpty() || pathFilterActive_; }

 public slots:
  // Shows only clips with this true and predicted class; "" for either means any. A diagonal cell
  // (true == predicted) has no misclassified clips: it lists the clips predicted correctly as
  // that class instead (most confident first), and says so.
  void filterTo(const QString& trueLabel, const QString& predictedLabel);
  void selectNext();
  void selectPrevious();

 signals:
  void clipSelected(const QString& path);

 private:
  void rebuild();
  void followSelection();
  int selectedRow() const;  // -1 when none
  void onSelectionChanged();

  QComboBox* trueCombo_;
  QComboBox* predictedCombo_;
  QLabel* count_;
  QPushButton* clearSelection_;
  QTableWidget* table_;
  ClipSelection* selection_ = nullptr;
  QSet<QString> pathFilter_;       // the clip map's selection; empty with pathFilterActive_ = none
  bool pathFilterActive_ = false;
  bool cellFilterFromSelection_ = false;  // the class filters were set by a confusion cell
  std::vector<std::string> labels_;
  std::vector<Prediction> rows_;     // misclassified only, most confident first
  std::vector<double> confidence_;   // parallel to rows_
  std::vector<Prediction> correct_;  // predicted correctly, most confident first (diagonal cells)
  std::vector<double> correctConfidence_;  // parallel to correct_
  int testCount_ = 0;
  bool synthetic_ = false;  // the run used the demo corpus: the count line says so
};

// "angry 0.60 · happy 0.31 · neutral 0.06": the k most probable classes of a prediction.
QString topProbabilitiesText(const std::vector<std::string>& labels, const Prediction& row, int k = 3);

}  // namespace ser
