#pragma once
// Filters and sorts a ClipTableModel: exact-match filters on corpus, emotion, sex and speaker
// (empty = any) plus a case-insensitive free-text filter over every text column.
#include <QSortFilterProxyModel>
#include <QString>

namespace ser {

class ClipTableModel;

class ClipFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  explicit ClipFilterProxy(QObject* parent = nullptr);

  void setClipModel(ClipTableModel* model);  // use instead of setSourceModel

  void setCorpusFilter(const QString& corpus);
  void setEmotionFilter(const QString& emotion);
  void setSexFilter(const QString& sex);
  void setSpeakerFilter(const QString& speaker);
  void setTextFilter(const QString& text);
  void clearFilters();

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
  // Compares the model's rows directly (ClipTableModel::textOf, the same order as its SortRole
  // values) instead of through two QVariants per comparison (benchmarks/bench_browser, 100 000
  // rows: by duration 74 -> 41 ms, by speaker 647 -> 529 ms).
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

 private:
  void refilter();

  ClipTableModel* clips_ = nullptr;
  QString corpus_, emotion_, sex_, speaker_, text_;
};

}  // namespace ser
