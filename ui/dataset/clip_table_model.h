#pragma once
// Table model over the clips of a ser::Corpus: one row per clip, no per-row widgets. The text of
// every cell is converted once in setCorpus(), so sorting and filtering tens of thousands of rows
// stay fast.
#include <memory>
#include <vector>
#include <QAbstractTableModel>
#include <QString>

#include "core/corpus/clip.h"

namespace ser {

class ClipTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { CorpusColumn, SpeakerColumn, SexColumn, EmotionColumn, CommonColumn,
                DurationColumn, PathColumn, ColumnCount };
  // Role with the raw sortable value (durations as double); the proxy sorts by it.
  static constexpr int SortRole = Qt::UserRole + 1;

  struct Row {
    QString corpus, speaker, sex, emotion, common, path;
    double seconds = 0.0;
  };

  explicit ClipTableModel(QObject* parent = nullptr);

  // Shares ownership of the corpus; nullptr clears the table.
  void setCorpus(std::shared_ptr<const Corpus> corpus);
  const std::shared_ptr<const Corpus>& corpus() const { return corpus_; }
  const Row& row(int i) const { return rows_[std::size_t(i)]; }
  // The text a column shows and sorts by; nullptr for DurationColumn (sorted by Row::seconds) and
  // columns out of range. data() and ClipFilterProxy::lessThan both read columns through it.
  static const QString* textOf(const Row& row, int column);
  const Clip& clip(int i) const { return corpus_->clips[std::size_t(i)]; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::shared_ptr<const Corpus> corpus_;
  std::vector<Row> rows_;
};

}  // namespace ser
