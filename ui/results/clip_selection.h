#pragma once
// The clips selected anywhere in the workbench, as one model every view of a run reads and
// writes: a confusion-matrix cell, a rectangle on the clip map, ... The Misclassified list
// filters to it, the confusion matrix outlines the cells it covers, the clip map highlights its
// points. An empty selection means "no filter".
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <map>
#include <string>
#include <vector>

namespace ser {

struct RunRecord;

class ClipSelection : public QObject {
  Q_OBJECT
 public:
  enum class Origin { None, ConfusionCell, Map };

  explicit ClipSelection(QObject* parent = nullptr);

  // The run whose test clips can be selected; clears the selection.
  void setRun(const RunRecord& run);
  void clearRun();

  // The clips of one confusion cell (true class, predicted class); "" for either means any.
  void selectCell(const QString& trueLabel, const QString& predictedLabel);
  // These clips (paths of the run's predictions; others are ignored), chosen on `origin`.
  void selectPaths(const QStringList& paths, Origin origin = Origin::Map);
  void clear();

  bool isEmpty() const { return origin_ == Origin::None; }
  Origin origin() const { return origin_; }
  bool contains(const QString& path) const { return paths_.contains(path); }
  const QSet<QString>& paths() const { return paths_; }
  int size() const { return int(paths_.size()); }
  QString trueLabel() const { return trueLabel_; }            // ConfusionCell only
  QString predictedLabel() const { return predictedLabel_; }  // ConfusionCell only
  // Selected clips per confusion cell, [true][predicted] in the run's label order.
  std::vector<std::vector<int>> cellCounts() const;
  // One line for the views: "true angry, predicted sad: 7 clips", "12 clips selected on the map".
  QString description() const;

 signals:
  void changed();

 private:
  struct Row {
    int truth = -1, predicted = -1;
  };
  std::vector<std::string> labels_;
  std::map<QString, Row> rows_;  // the run's test clips by path
  QSet<QString> paths_;
  Origin origin_ = Origin::None;
  QString trueLabel_, predictedLabel_;
};

}  // namespace ser
