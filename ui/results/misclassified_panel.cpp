#include "ui/results/misclassified_panel.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "ui/results/clip_selection.h"
#include "ui/results/metrics_format.h"

namespace ser {
namespace {

enum Column { File, Speaker, SexColumn, True, Predicted, Confidence, Top, ColumnCount };
constexpr int kPathRole = Qt::UserRole + 1;

}  // namespace

QString topProbabilitiesText(const std::vector<std::string>& labels, const Prediction& row, int k) {
  std::vector<std::size_t> order(std::min(labels.size(), row.probabilities.size()));
  std::iota(order.begin(), order.end(), 0);
  order.erase(std::remove_if(order.begin(), order.end(),
                             [&](std::size_t i) { return std::isnan(row.probabilities[i]); }),
              order.end());
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return row.probabilities[a] > row.probabilities[b]; });
  QStringList parts;
  for (std::size_t i = 0; i < order.size() && static_cast<int>(i) < k; ++i)
    parts << QStringLiteral("%1 %2").arg(QString::fromStdString(labels[order[i]]))
                 .arg(row.probabilities[order[i]], 0, 'f', 2);
  return parts.join(QStringLiteral(" \u00b7 "));
}

MisclassifiedPanel::MisclassifiedPanel(QWidget* parent)
    : QWidget(parent), trueCombo_(new QComboBox), predictedCombo_(new QComboBox), count_(new QLabel),
      clearSelection_(new QPushButton(tr("Show all"))), table_(new QTableWidget) {
  auto* layout = new QVBoxLayout(this);
  auto* filters = new QHBoxLayout;
  filters->addWidget(new QLabel(tr("True:")));
  filters->addWidget(trueCombo_);
  filters->addSpacing(12);
  filters->addWidget(new QLabel(tr("Predicted:")));
  filters->addWidget(predictedCombo_);
  filters->addSpacing(12);
  filters->addWidget(count_, 1);
  filters->addWidget(clearSelection_);
  clearSelection_->hide();
  layout->addLayout(filters);
  layout->addWidget(table_, 1);
  auto* hint = new QLabel(tr("N / P: next / previous clip. Selecting a clip plays it."));
  hint->setStyleSheet(QStringLiteral("color: gray"));
  layout->addWidget(hint);

  table_->setColumnCount(ColumnCount);
  table_->setHorizontalHeaderLabels({tr("File"), tr("Speaker"), tr("Sex"), tr("True"), tr("Predicted"),
                                     tr("Confidence"), tr("Top probabilities")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setAlternatingRowColors(true);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);

  connect(clearSelection_, &QPushButton::clicked, this, [this] {
    if (selection_) selection_->clear();
  });
  for (QComboBox* combo : {trueCombo_, predictedCombo_}) {
    connect(combo, &QComboBox::currentIndexChanged, this, [this] {
      cellFilterFromSelection_ = false;  // the user's own filter from now on
      rebuild();
    });
  }
  connect(table_, &QTableWidget::itemSelectionChanged, this, &MisclassifiedPanel::onSelectionChanged);
  for (auto [key, slot] : {std::pair{Qt::Key_N, &MisclassifiedPanel::selectNext},
                           std::pair{Qt::Key_P, &MisclassifiedPanel::selectPrevious}}) {
    auto* shortcut = new QShortcut(QKeySequence(key), this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, slot);
  }
  clear();
}

void MisclassifiedPanel::setSelection(ClipSelection* selection) {
  if (selection_) disconnect(selection_, nullptr, this, nullptr);
  selection_ = selection;
  if (selection_) connect(selection_, &ClipSelection::changed, this, &MisclassifiedPanel::followSelection);
  followSelection();
}

void MisclassifiedPanel::followSelection() {
  pathFilter_.clear();
  pathFilterActive_ = false;
  if (selection_ && selection_->origin() == ClipSelection::Origin::ConfusionCell) {
    filterTo(selection_->trueLabel(), selection_->predictedLabel());
    cellFilterFromSelection_ = true;
    return;
  }
  if (cellFilterFromSelection_) {
    // The selection that set the class filters is gone (cleared, or replaced by a map
    // selection): so are they. Filters the user chose stay.
    cellFilterFromSelection_ = false;
    const QSignalBlocker a(trueCombo_), b(predictedCombo_);
    trueCombo_->setCurrentIndex(0);
    predictedCombo_->setCurrentIndex(0);
  }
  if (selection_ && selection_->origin() == ClipSelection::Origin::Map) {
    pathFilter_ = selection_->paths();
    pathFilterActive_ = true;
    const QSignalBlocker a(trueCombo_), b(predictedCombo_);
    trueCombo_->setCurrentIndex(0);
    predictedCombo_->setCurrentIndex(0);
  }
  rebuild();
}

void MisclassifiedPanel::clear() {
  pathFilter_.clear();
  pathFilterActive_ = false;
  labels_.clear();
  rows_.clear();
  confidence_.clear();
  correct_.clear();
  correctConfidence_.clear();
  testCount_ = 0;
  synthetic_ = false;
  for (QComboBox* combo : {trueCombo_, predictedCombo_}) {
    const QSignalBlocker block(combo);
    combo->clear();
    combo->addItem(tr("Any"), QString());
  }
  rebuild();
}

void MisclassifiedPanel::setRun(const RunRecord& run) {
  clear();
  labels_ = run.labels();
  testCount_ = static_cast<int>(run.predictions.size());
  synthetic_ = run.synthetic;
  std::vector<std::pair<double, const Prediction*>> wrong, right;
  for (const auto& p : run.predictions)
    (p.truth != p.predicted ? wrong : right).emplace_back(run.confidence(p), &p);
  auto byConfidence = [](const auto& a, const auto& b) { return a.first > b.first; };
  std::stable_sort(wrong.begin(), wrong.end(), byConfidence);
  std::stable_sort(right.begin(), right.end(), byConfidence);
  for (const auto& [conf, p] : wrong) {
    rows_.push_back(*p);
    confidence_.push_back(conf);
  }
  for (const auto& [conf, p] : right) {
    correct_.push_back(*p);
    correctConfidence_.push_back(conf);
  }
  for (QComboBox* combo : {trueCombo_, predictedCombo_}) {
    const QSignalBlocker block(combo);
    for (const auto& l : labels_) combo->addItem(QString::fromStdString(l), QString::fromStdString(l));
  }
  rebuild();
}

QString MisclassifiedPanel::trueFilter() const { return trueCombo_->currentData().toString(); }
QString MisclassifiedPanel::predictedFilter() const { return predictedCombo_->currentData().toString(); }

void MisclassifiedPanel::filterTo(const QString& trueLabel, const QString& predictedLabel) {
  {
    const QSignalBlocker a(trueCombo_), b(predictedCombo_);
    const int t = trueCombo_->findData(trueLabel);
    const int p = predictedCombo_->findData(predictedLabel);
    trueCombo_->setCurrentIndex(std::max(t, 0));
    predictedCombo_->setCurrentIndex(std::max(p, 0));
  }
  rebuild();
}

void MisclassifiedPanel::rebuild() {
  const std::string t = trueFilter().toStdString(), p = predictedFilter().toStdString();
  // A diagonal cell (true == predicted) lists the clips predicted correctly as that class.
  const bool diagonal = !t.empty() && t == p;
  const std::vector<Prediction>& source = diagonal ? correct_ : rows_;
  const std::vector<double>& confidence = diagonal ? correctConfidence_ : confidence_;
  table_->setSortingEnabled(false);
  table_->clearContents();
  table_->setRowCount(0);
  for (std::size_t i = 0; i < source.size(); ++i) {
    const Prediction& row = source[i];
    const std::string& trueLabel = labels_[std::size_t(row.truth)];
    const std::string& predicted = labels_[std::size_t(row.predicted)];
    if ((!t.empty() && trueLabel != t) || (!p.empty() && predicted != p)) continue;
    if (pathFilterActive_ && !pathFilter_.contains(QString::fromStdString(row.path))) continue;
    const int r = table_->rowCount();
    table_->insertRow(r);
    const QString path = QString::fromStdString(row.path);
    auto* file = new QTableWidgetItem(QFileInfo(path).fileName());
    file->setToolTip(path);
    file->setData(kPathRole, path);
    table_->setItem(r, File, file);
    table_->setItem(r, Speaker, new QTableWidgetItem(QString::fromStdString(row.speaker)));
    table_->setItem(r, SexColumn, new QTableWidgetItem(row.sex == ser::Sex::Unknown ? QString()
                                                 : QString::fromStdString(toString(row.sex))));
    table_->setItem(r, True, new QTableWidgetItem(QString::fromStdString(trueLabel)));
    table_->setItem(r, Predicted, new QTableWidgetItem(QString::fromStdString(predicted)));
    // Fixed two decimals sort correctly as text for values in [0, 1].
    auto* conf = new QTableWidgetItem(QString::number(confidence[i], 'f', 2));
    conf->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    table_->setItem(r, Confidence, conf);
    table_->setItem(r, Top, new QTableWidgetItem(topProbabilitiesText(labels_, row)));
  }
  table_->setSortingEnabled(true);

  const int shown = table_->rowCount();
  clearSelection_->setVisible(pathFilterActive_);
  if (pathFilterActive_)
    count_->setText(tr("%1 misclassified of the %2").arg(shown).arg(selection_ ? selection_->description() : QString()));
  else if (rows_.empty() && testCount_ == 0)
    count_->setText(tr("No run loaded"));
  else if (diagonal)
    count_->setText(tr("%1 clips of %2 predicted correctly (a diagonal cell: no misclassified clips)")
                        .arg(shown)
                        .arg(QString::fromStdString(t)));
  else
    count_->setText(tr("%1 of %2 misclassified clips (%3 test clips)").arg(shown).arg(rows_.size()).arg(testCount_));
  if (synthetic_) count_->setText(count_->text() + tr(" \u00b7 SYNTHETIC demo data"));
}

int MisclassifiedPanel::visibleCount() const { return table_->rowCount(); }

QString MisclassifiedPanel::selectedPath() const {
  const auto rows = table_->selectionModel()->selectedRows(File);
  return rows.isEmpty() ? QString() : rows.first().data(kPathRole).toString();
}

void MisclassifiedPanel::onSelectionChanged() {
  const QString path = selectedPath();
  if (!path.isEmpty()) emit clipSelected(path);
}

int MisclassifiedPanel::selectedRow() const {
  const auto rows = table_->selectionModel()->selectedRows();
  return rows.isEmpty() ? -1 : rows.first().row();
}

void MisclassifiedPanel::selectNext() {
  if (table_->rowCount() == 0) return;
  const int r = selectedRow();
  table_->selectRow(r < 0 ? 0 : std::min(r + 1, table_->rowCount() - 1));
}

void MisclassifiedPanel::selectPrevious() {
  if (table_->rowCount() == 0) return;
  const int r = selectedRow();
  table_->selectRow(r <= 0 ? 0 : r - 1);
}

}  // namespace ser
