#pragma once
// Confusion matrix as a heat map: rows = true class, columns = predicted class, in the run's label
// order on both axes, each cell showing its count or its row-normalised share (recall per row).
// Cell colour always follows the row-normalised share, so rare classes are as readable as common
// ones. Clicking a cell emits cellClicked(trueLabel, predictedLabel).
#include <QStringList>
#include <QWidget>
#include <vector>

namespace ser {

class ConfusionMatrixView : public QWidget {
  Q_OBJECT
 public:
  explicit ConfusionMatrixView(QWidget* parent = nullptr);

  // `counts`: labels.size() x labels.size(), rows = true, cols = predicted.
  void setMatrix(const QStringList& labels, const std::vector<std::vector<double>>& counts);
  void clear();
  // Outlines the cells that hold selected clips (a shared ClipSelection's cellCounts()), with
  // their number of selected clips; an empty vector removes the outlines.
  void setSelectionCounts(const std::vector<std::vector<int>>& counts);
  int selectionCount(int row, int col) const;

  bool normalized() const { return normalized_; }
  const QStringList& labels() const { return labels_; }
  double count(int row, int col) const { return counts_[row][col]; }
  double rowShare(int row, int col) const;  // count / row total, 0 for an empty row
  QString cellText(int row, int col) const; // what the cell shows in the current mode
  QRect cellRect(int row, int col) const;   // in widget coordinates
  // Cell under a widget position as {row, col}; {-1, -1} outside the grid.
  std::pair<int, int> cellAt(const QPoint& pos) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override { return {240, 200}; }

 public slots:
  void setNormalized(bool normalized);

 signals:
  void cellClicked(const QString& trueLabel, const QString& predictedLabel);

 protected:
  void paintEvent(QPaintEvent*) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent*) override;
  bool event(QEvent* event) override;

 private:
  QRect gridRect() const;
  int labelColumnWidth() const;
  int labelRowHeight() const;

  QStringList labels_;
  std::vector<std::vector<double>> counts_;
  std::vector<std::vector<int>> selected_;
  bool normalized_ = false;
  std::pair<int, int> hover_{-1, -1};
};

}  // namespace ser
