#pragma once
// Live training curves (QCustomPlot): on the left the per-batch training loss (faint) with the
// per-epoch training and validation loss; on the right training accuracy, validation accuracy
// (WA) and validation UAR per epoch, in percent. Points are added as they arrive; the plots
// redraw at most every 100 ms (a timer coalesces bursts of batches), so a fast run never floods
// the GUI thread.
#include <QString>
#include <QTimer>
#include <QWidget>

class QCPGraph;
class QCustomPlot;

namespace ser {

struct EpochStats;

class LiveCurvesView : public QWidget {
  Q_OBJECT
 public:
  explicit LiveCurvesView(QWidget* parent = nullptr);

  void clear();
  // Epochs already on the plots when a run resumes are replaced by the new points.
  void addBatch(int epoch, int batch, int batches, double loss);
  void addEpoch(const EpochStats& stats);
  // A note over the plots when there are no curves to show (the SVM); "" removes it.
  void setNote(const QString& note);

  int batchPointCount() const;
  int epochPointCount() const;
  int replotCount() const { return replots_; }  // redraws so far (tests check the throttle)
  QCustomPlot* lossPlot() const { return loss_; }
  QCustomPlot* metricPlot() const { return metric_; }

  static constexpr int kReplotIntervalMs = 100;

 private:
  void scheduleReplot();
  void replotNow();

  QCustomPlot* loss_;
  QCustomPlot* metric_;
  QCPGraph* batchLoss_;
  QCPGraph* trainLoss_;
  QCPGraph* valLoss_;
  QCPGraph* trainAcc_;
  QCPGraph* valAcc_;
  QCPGraph* valUar_;
  QTimer replotTimer_;
  int replots_ = 0;
  int lastEpoch_ = 0;
};

}  // namespace ser
