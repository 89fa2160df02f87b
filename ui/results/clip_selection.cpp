#include "ui/results/clip_selection.h"

#include "core/runs/run_record.h"

namespace ser {

ClipSelection::ClipSelection(QObject* parent) : QObject(parent) {}

void ClipSelection::setRun(const RunRecord& run) {
  labels_ = run.labels();
  rows_.clear();
  for (const Prediction& p : run.predictions) rows_[QString::fromStdString(p.path)] = Row{p.truth, p.predicted};
  clear();
}

void ClipSelection::clearRun() {
  labels_.clear();
  rows_.clear();
  clear();
}

void ClipSelection::selectCell(const QString& trueLabel, const QString& predictedLabel) {
  paths_.clear();
  auto name = [&](int i) {
    return i >= 0 && std::size_t(i) < labels_.size() ? QString::fromStdString(labels_[std::size_t(i)]) : QString();
  };
  for (const auto& [path, row] : rows_)
    if ((trueLabel.isEmpty() || name(row.truth) == trueLabel) &&
        (predictedLabel.isEmpty() || name(row.predicted) == predictedLabel))
      paths_.insert(path);
  origin_ = Origin::ConfusionCell;
  trueLabel_ = trueLabel;
  predictedLabel_ = predictedLabel;
  emit changed();
}

void ClipSelection::selectPaths(const QStringList& paths, Origin origin) {
  paths_.clear();
  for (const QString& p : paths)
    if (rows_.count(p)) paths_.insert(p);
  origin_ = origin;
  trueLabel_.clear();
  predictedLabel_.clear();
  emit changed();
}

void ClipSelection::clear() {
  const bool was = origin_ != Origin::None;
  paths_.clear();
  origin_ = Origin::None;
  trueLabel_.clear();
  predictedLabel_.clear();
  if (was) emit changed();
}

std::vector<std::vector<int>> ClipSelection::cellCounts() const {
  const std::size_t n = labels_.size();
  std::vector<std::vector<int>> counts(n, std::vector<int>(n, 0));
  for (const QString& p : paths_) {
    const auto it = rows_.find(p);
    if (it == rows_.end()) continue;
    const Row& r = it->second;
    if (r.truth >= 0 && r.predicted >= 0 && std::size_t(r.truth) < n && std::size_t(r.predicted) < n)
      ++counts[std::size_t(r.truth)][std::size_t(r.predicted)];
  }
  return counts;
}

QString ClipSelection::description() const {
  switch (origin_) {
    case Origin::None:
      return tr("No selection");
    case Origin::ConfusionCell:
      return tr("true %1, predicted %2: %n clip(s)", nullptr, size())
          .arg(trueLabel_.isEmpty() ? tr("any") : trueLabel_,
               predictedLabel_.isEmpty() ? tr("any") : predictedLabel_);
    case Origin::Map:
      return tr("%n clip(s) selected on the map", nullptr, size());
  }
  return {};
}

}  // namespace ser
