#include "ui/runs/run_history_model.h"

#include <QBrush>
#include <QColor>
#include <QDir>
#include <QFont>
#include <QLocale>

#include "ui/results/metrics_format.h"

namespace ser {

RunHistoryModel::RunHistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunHistoryModel::setEntries(const QVector<RunHistoryEntry>& entries) {
  beginResetModel();
  entries_ = entries;
  endResetModel();
}

int RunHistoryModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(entries_.size());
}

int RunHistoryModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Name: return tr("Name");
    case Opened: return tr("Date");
    case Corpora: return tr("Corpora");
    case Protocol: return tr("Protocol");
    case Model: return tr("Model");
    case Clips: return tr("n");
    case Wa: return tr("WA [95% CI]");
    case Uar: return tr("UAR [95% CI]");
    case Status: return tr("Status");
    default: return {};
  }
}

QVariant RunHistoryModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= entries_.size()) return {};
  const RunHistoryEntry& e = entries_.at(index.row());
  const bool study = e.kind == RunHistoryEntry::Kind::Study;
  if (role == PathRole) return e.path;
  if (role == Qt::ToolTipRole)
    return e.missing ? tr("%1\nThis folder no longer holds the %2 (moved or deleted). Remove it from "
                          "the history, or move it back.")
                           .arg(QDir::toNativeSeparators(e.path), study ? tr("study") : tr("run"))
                     : QDir::toNativeSeparators(e.path);
  if (role == Qt::ForegroundRole && e.missing) return QBrush(QColor(0x9a, 0xa0, 0xa6));
  if (role == Qt::FontRole && e.missing) {
    QFont f;
    f.setItalic(true);
    return f;
  }
  if (role == Qt::TextAlignmentRole && (index.column() == Clips || index.column() == Wa || index.column() == Uar))
    return int(Qt::AlignRight | Qt::AlignVCenter);
  if (role == SortRole) {
    switch (index.column()) {
      case Opened: return e.openedAt;
      case Clips: return e.n;
      case Wa: return e.wa ? QVariant(*e.wa) : QVariant(-1.0);
      case Uar: return e.uar ? QVariant(*e.uar) : QVariant(-1.0);
      case Status: return e.missing ? 1 : 0;
      default: break;
    }
    role = Qt::DisplayRole;  // text columns sort by their text
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Name: return study ? tr("%1 (study)").arg(e.name) : e.name;
    case Opened: return QLocale().toString(e.openedAt.toLocalTime(), QLocale::ShortFormat);
    case Corpora: return e.corpora;
    case Protocol: return e.protocol.isEmpty() ? tr("unknown") : e.protocol;
    case Model: return e.model;
    case Clips: return study ? tr("%n row(s)", nullptr, e.n) : QLocale().toString(e.n);
    case Wa: return e.wa ? formatPercentCi(*e.wa, e.waCi95) : QString();
    case Uar: return e.uar ? formatPercentCi(*e.uar, e.uarCi95) : QString();
    case Status: return e.missing ? tr("missing (moved or deleted)") : tr("ok");
    default: return {};
  }
}

}  // namespace ser
