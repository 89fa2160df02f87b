#include "ui/dataset/clip_filter_proxy.h"

#include "ui/dataset/clip_table_model.h"

namespace ser {

ClipFilterProxy::ClipFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(ClipTableModel::SortRole);
  setSortCaseSensitivity(Qt::CaseInsensitive);
}

void ClipFilterProxy::setClipModel(ClipTableModel* model) {
  clips_ = model;
  setSourceModel(model);
}

void ClipFilterProxy::setCorpusFilter(const QString& v) { if (corpus_ != v) { corpus_ = v; refilter(); } }
void ClipFilterProxy::setEmotionFilter(const QString& v) { if (emotion_ != v) { emotion_ = v; refilter(); } }
void ClipFilterProxy::setSexFilter(const QString& v) { if (sex_ != v) { sex_ = v; refilter(); } }
void ClipFilterProxy::setSpeakerFilter(const QString& v) { if (speaker_ != v) { speaker_ = v; refilter(); } }
void ClipFilterProxy::setTextFilter(const QString& v) {
  const QString t = v.trimmed();
  if (text_ != t) { text_ = t; refilter(); }
}

void ClipFilterProxy::clearFilters() {
  corpus_.clear();
  emotion_.clear();
  sex_.clear();
  speaker_.clear();
  text_.clear();
  refilter();
}

void ClipFilterProxy::refilter() {
  // invalidate(), not invalidateFilter(): the latter tells the view about every run of rows that
  // appears or disappears, and a filter that keeps every third row of an interleaved table makes
  // tens of thousands of runs, each costing the view time in proportion to its rows (4.5 s for a
  // corpus filter on 100 000 clips, benchmarks/bench_browser). invalidate() rebuilds the mapping
  // and emits one layout change (persistent indexes, hence the selection, are kept).
  invalidate();
}

bool ClipFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex&) const {
  if (!clips_) return true;
  const ClipTableModel::Row& r = clips_->row(sourceRow);
  if (!corpus_.isEmpty() && r.corpus != corpus_) return false;
  if (!emotion_.isEmpty() && r.emotion != emotion_) return false;
  if (!sex_.isEmpty() && r.sex != sex_) return false;
  if (!speaker_.isEmpty() && r.speaker != speaker_) return false;
  if (!text_.isEmpty()) {
    const auto cs = Qt::CaseInsensitive;
    return r.path.contains(text_, cs) || r.speaker.contains(text_, cs) ||
           r.emotion.contains(text_, cs) || r.common.contains(text_, cs) ||
           r.corpus.contains(text_, cs) || r.sex.compare(text_, cs) == 0;
  }
  return true;
}

bool ClipFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  if (!clips_ || left.column() != right.column()) return QSortFilterProxyModel::lessThan(left, right);
  const ClipTableModel::Row& a = clips_->row(left.row());
  const ClipTableModel::Row& b = clips_->row(right.row());
  if (left.column() == ClipTableModel::DurationColumn) return a.seconds < b.seconds;
  const QString* x = ClipTableModel::textOf(a, left.column());
  const QString* y = ClipTableModel::textOf(b, left.column());
  if (!x || !y) return QSortFilterProxyModel::lessThan(left, right);
  return x->compare(*y, sortCaseSensitivity()) < 0;
}

}  // namespace ser
