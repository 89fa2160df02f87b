#pragma once
// Class probabilities over time: one line per class over the last predictions (newest at the
// right), with a legend. Fed by the live microphone view every half second.
#include <QStringList>
#include <QWidget>
#include <deque>
#include <vector>

namespace ser {

class ProbabilityHistoryView : public QWidget {
  Q_OBJECT
 public:
  explicit ProbabilityHistoryView(QWidget* parent = nullptr);
  void setLabels(const QStringList& labels);  // clears the history
  void append(const std::vector<float>& probabilities);
  void clear();
  int size() const { return int(history_.size()); }
  void setCapacity(int n) { capacity_ = n; }  // predictions kept (default 120 = one minute)
  QSize sizeHint() const override { return {600, 220}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  QStringList labels_;
  std::deque<std::vector<float>> history_;
  int capacity_ = 120;
};

}  // namespace ser
