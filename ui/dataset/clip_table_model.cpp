#include "ui/dataset/clip_table_model.h"

namespace ser {

ClipTableModel::ClipTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ClipTableModel::setCorpus(std::shared_ptr<const Corpus> corpus) {
  beginResetModel();
  corpus_ = std::move(corpus);
  rows_.clear();
  if (corpus_) {
    rows_.reserve(corpus_->clips.size());
    for (const Clip& c : corpus_->clips) {
      rows_.push_back({QString::fromStdString(c.corpus), QString::fromStdString(c.speaker),
                       QString::fromStdString(toString(c.sex)), QString::fromStdString(c.emotion),
                       QString::fromStdString(c.common), QString::fromStdString(c.path),
                       c.seconds()});
    }
  }
  endResetModel();
}

int ClipTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(rows_.size());
}

int ClipTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

const QString* ClipTableModel::textOf(const Row& r, int column) {
  switch (column) {
    case CorpusColumn: return &r.corpus;
    case SpeakerColumn: return &r.speaker;
    case SexColumn: return &r.sex;
    case EmotionColumn: return &r.emotion;
    case CommonColumn: return &r.common;
    case PathColumn: return &r.path;
    default: return nullptr;
  }
}

QVariant ClipTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= int(rows_.size())) return {};
  const Row& r = rows_[std::size_t(index.row())];
  switch (role) {
    case Qt::DisplayRole:
    case SortRole:
      if (index.column() == DurationColumn)
        return role == SortRole ? QVariant(r.seconds) : QVariant(QString::number(r.seconds, 'f', 2));
      if (index.column() == CommonColumn && role == Qt::DisplayRole && r.common.isEmpty())
        return QStringLiteral("\u2014");
      if (const QString* text = textOf(r, index.column())) return *text;
      break;
    case Qt::ToolTipRole:
      if (index.column() == PathColumn) return r.path;
      if (index.column() == CommonColumn && r.common.isEmpty())
        return tr("No common-set label: dropped from 6-class experiments");
      break;
    case Qt::TextAlignmentRole:
      if (index.column() == DurationColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
      break;
  }
  return {};
}

QVariant ClipTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case CorpusColumn: return tr("Corpus");
    case SpeakerColumn: return tr("Speaker");
    case SexColumn: return tr("Sex");
    case EmotionColumn: return tr("Emotion");
    case CommonColumn: return tr("Common label");
    case DurationColumn: return tr("Duration (s)");
    case PathColumn: return tr("Path");
  }
  return {};
}

}  // namespace ser
