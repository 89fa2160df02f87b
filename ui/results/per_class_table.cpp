#include "ui/results/per_class_table.h"

#include <QHeaderView>
#include <cmath>

#include "core/runs/run_record.h"
#include "ui/results/metrics_format.h"

namespace ser {

PerClassTable::PerClassTable(QWidget* parent) : QTableWidget(parent) {
  setColumnCount(7);
  setHorizontalHeaderLabels({tr("Class"), tr("Precision"), tr("Recall"), tr("F1"), tr("Support"),
                             tr("Recall F"), tr("Recall M")});
  const QString interval = tr("; 95% interval from a bootstrap over those speakers, none with fewer than %1")
                               .arg(MetricsReportOptions{}.minSpeakersForInterval);
  horizontalHeaderItem(5)->setToolTip(tr("Recall on female speakers' clips") + interval);
  horizontalHeaderItem(6)->setToolTip(tr("Recall on male speakers' clips") + interval);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setSelectionBehavior(QAbstractItemView::SelectRows);
  setAlternatingRowColors(true);
  verticalHeader()->hide();
  horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  horizontalHeader()->setStretchLastSection(true);
}

void PerClassTable::setRun(const RunRecord& run) {
  const MetricsReport& m = run.metrics;
  setRowCount(static_cast<int>(m.labels.size()));
  for (int r = 0; r < rowCount(); ++r) {
    const std::size_t c = std::size_t(r);
    const ClassStats& s = m.perClass[c];
    const QStringList cells = {
        QString::fromStdString(m.labels[c]),
        formatPercent(s.precision),
        formatPercent(s.recall),
        formatPercent(s.f1),
        QString::number(s.support),
        recallBySexText(m, c, Sex::Female),
        recallBySexText(m, c, Sex::Male)};
    for (int col = 0; col < cells.size(); ++col) {
      auto* item = new QTableWidgetItem(cells[col]);
      if (col > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      setItem(r, col, item);
    }
  }
}

}  // namespace ser
