#include "ui/runs/runs_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "ui/runs/run_history.h"
#include "ui/runs/run_history_model.h"

namespace ser {

RunsPanel::RunsPanel(const QString& databaseFile, QWidget* parent)
    : QWidget(parent), history_(std::make_unique<RunHistory>(databaseFile)),
      model_(new RunHistoryModel(this)), proxy_(new QSortFilterProxyModel(this)), view_(new QTableView),
      filter_(new QLineEdit), note_(new QLabel), open_(new QPushButton(tr("&Open"))),
      compare_(new QPushButton(tr("&Compare selected"))), remove_(new QPushButton(tr("&Remove"))),
      removeMissing_(new QPushButton(tr("Remove &missing"))) {
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(RunHistoryModel::SortRole);
  proxy_->setFilterKeyColumn(-1);  // every column
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  view_->setModel(proxy_);
  view_->setSortingEnabled(true);
  view_->sortByColumn(RunHistoryModel::Opened, Qt::DescendingOrder);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->verticalHeader()->hide();
  view_->horizontalHeader()->setStretchLastSection(true);
  view_->setAlternatingRowColors(true);

  filter_->setPlaceholderText(tr("Filter: name, corpus, protocol, model..."));
  filter_->setClearButtonEnabled(true);
  note_->setWordWrap(true);
  note_->setStyleSheet(QStringLiteral("color: gray"));

  auto* top = new QHBoxLayout;
  top->addWidget(filter_, 1);
  top->addWidget(open_);
  top->addWidget(compare_);
  top->addWidget(remove_);
  top->addWidget(removeMissing_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(view_, 1);
  layout->addWidget(note_);

  connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
  connect(open_, &QPushButton::clicked, this, &RunsPanel::openSelected);
  connect(compare_, &QPushButton::clicked, this, &RunsPanel::compareSelected);
  connect(remove_, &QPushButton::clicked, this, &RunsPanel::removeSelected);
  connect(removeMissing_, &QPushButton::clicked, this, &RunsPanel::removeMissing);
  connect(view_, &QTableView::activated, this, [this](const QModelIndex&) { openSelected(); });
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPanel::updateButtons);
  refresh();
}

RunsPanel::~RunsPanel() = default;

void RunsPanel::refresh() {
  const QStringList selected = selectedPaths();
  model_->setEntries(history_->entries());
  view_->resizeColumnsToContents();
  selectPaths(selected);
  if (!history_->ok()) {
    note_->setText(history_->error());
  } else {
    int missing = 0;
    for (const RunHistoryEntry& e : model_->entries()) missing += e.missing ? 1 : 0;
    note_->setText(
        model_->entries().isEmpty()
            ? tr("No runs yet: every run you train or open (File > Open run folder) is listed here.")
            : tr("Select two or more runs and press Compare to see them side by side.%1")
                  .arg(missing ? tr(" %n folder(s) moved or deleted (greyed).", nullptr, missing) : QString()));
  }
  updateButtons();
}

void RunsPanel::remember(const RunRecord& run) {
  if (!history_->remember(run)) emit statusMessage(history_->error());
  refresh();
}

void RunsPanel::remember(const StudyTable& study) {
  if (!history_->remember(study)) emit statusMessage(history_->error());
  refresh();
}

QStringList RunsPanel::selectedPaths() const {
  QModelIndexList rows = view_->selectionModel()->selectedRows();
  std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
  QStringList out;
  for (const QModelIndex& i : rows) out << i.data(RunHistoryModel::PathRole).toString();
  return out;
}

void RunsPanel::selectPaths(const QStringList& paths) {
  QItemSelection selection;
  for (int r = 0; r < proxy_->rowCount(); ++r) {
    const QModelIndex i = proxy_->index(r, 0);
    if (paths.contains(i.data(RunHistoryModel::PathRole).toString()))
      selection.select(i, proxy_->index(r, RunHistoryModel::ColumnCount - 1));
  }
  view_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void RunsPanel::openSelected() {
  const QModelIndexList rows = view_->selectionModel()->selectedRows();
  if (rows.isEmpty()) return;
  const RunHistoryEntry& e = model_->entry(proxy_->mapToSource(rows.front()).row());
  if (e.missing) {
    emit statusMessage(tr("%1 no longer exists (moved or deleted); remove it from the list.").arg(e.path));
    return;
  }
  emit openRequested(e.path);
}

void RunsPanel::compareSelected() {
  QStringList runs;
  QStringList skipped;
  for (const QModelIndex& i : view_->selectionModel()->selectedRows()) {
    const RunHistoryEntry& e = model_->entry(proxy_->mapToSource(i).row());
    if (e.missing || e.kind != RunHistoryEntry::Kind::Run)
      skipped << e.name;
    else
      runs << e.path;
  }
  if (!skipped.isEmpty())
    emit statusMessage(tr("Left out of the comparison (a study or a missing folder): %1").arg(skipped.join(", ")));
  if (runs.size() < 2) {
    emit statusMessage(tr("Select two or more existing runs to compare."));
    return;
  }
  emit compareRequested(runs);
}

void RunsPanel::removeSelected() {
  for (const QString& path : selectedPaths())
    if (!history_->remove(path)) emit statusMessage(history_->error());
  refresh();
}

void RunsPanel::removeMissing() {
  int removed = 0;
  for (const RunHistoryEntry& e : model_->entries())
    if (e.missing && history_->remove(e.path)) ++removed;
  refresh();
  emit statusMessage(tr("Removed %n missing folder(s) from the run history.", nullptr, removed));
}

void RunsPanel::updateButtons() {
  const int selected = int(view_->selectionModel()->selectedRows().size());
  open_->setEnabled(selected == 1);
  compare_->setEnabled(selected >= 2);
  remove_->setEnabled(selected >= 1);
  bool anyMissing = false;
  for (const RunHistoryEntry& e : model_->entries()) anyMissing = anyMissing || e.missing;
  removeMissing_->setEnabled(anyMissing);
}

}  // namespace ser
