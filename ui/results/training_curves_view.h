#pragma once
// Training curves from curves.csv: loss (train, validation) and accuracy (train, validation, and
// validation UAR) per epoch. Runs without curves (SVM) show a note instead.
#include <QWidget>

class QChartView;
class QLabel;
class QStackedLayout;

namespace ser {

struct RunRecord;

class TrainingCurvesView : public QWidget {
  Q_OBJECT
 public:
  explicit TrainingCurvesView(QWidget* parent = nullptr);
  void setRun(const RunRecord& run);

  bool hasCurves() const { return hasCurves_; }
  QChartView* lossChart() const { return loss_; }
  QChartView* accuracyChart() const { return accuracy_; }

 private:
  QStackedLayout* stack_;
  QChartView* loss_;
  QChartView* accuracy_;
  QLabel* empty_;
  bool hasCurves_ = false;
};

}  // namespace ser
