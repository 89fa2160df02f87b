#pragma once
// The run history as a table model for the Runs panel: one row per remembered folder. Display
// text is formatted; Qt::UserRole holds the sort key of each column (numbers for figures, the
// time for the date), so sorting by WA or UAR is numeric. A missing folder's row is greyed and
// says so in its Status column.
#include <QAbstractTableModel>
#include <QVector>

#include "ui/runs/run_history.h"

namespace ser {

class RunHistoryModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Name, Opened, Corpora, Protocol, Model, Clips, Wa, Uar, Status, ColumnCount };
  static constexpr int SortRole = Qt::UserRole;
  static constexpr int PathRole = Qt::UserRole + 1;

  explicit RunHistoryModel(QObject* parent = nullptr);

  void setEntries(const QVector<RunHistoryEntry>& entries);
  const QVector<RunHistoryEntry>& entries() const { return entries_; }
  const RunHistoryEntry& entry(int row) const { return entries_.at(row); }

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QVector<RunHistoryEntry> entries_;
};

}  // namespace ser
