#include "ui/results/per_class_table.h"

#include <QHeaderView>
#include <cmath>

#include "core/runs/run_folder.h"
#include "ui/results/metrics_format.h"

namespace ser {

PerClassTable::PerClassTable(QWidget* parent) : QTableWidget(parent) {
  setColumnCount(7);
  setHorizontalHeaderLabels({tr("Class"), tr("Precision"), tr("Recall"), tr("F1"), tr("Support"),
                             tr("Recall F"), tr("Recall M")});
  horizontalHeaderItem(5)->setToolTip(tr("Recall on female speakers' clips"));
  horizontalHeaderItem(6)->setToolTip(tr("Recall on male speakers' clips"));
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setSelectionBehavior(QAbstractItemView::SelectRows);
  setAlternatingRowColors(true);
  verticalHeader()->hide();
  horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  horizontalHeader()->setStretchLastSection(true);
}

void PerClassTable::setRun(const RunFolder& run) {
  const auto& perClass = jsonObject(run.metrics, "per_class");
  const auto& bySex = jsonObject(run.metrics, "per_class_by_sex");
  setRowCount(static_cast<int>(run.labels.size()));
  for (int r = 0; r < rowCount(); ++r) {
    const std::string& label = run.labels[r];
    const auto& c = jsonObject(perClass, label.c_str());
    const auto& s = jsonObject(bySex, label.c_str());
    const double support = jsonNumber(c, "support");
    const QStringList cells = {
        QString::fromStdString(label),
        formatPercent(jsonNumber(c, "precision")),
        formatPercent(jsonNumber(c, "recall")),
        formatPercent(jsonNumber(c, "f1")),
        std::isnan(support) ? QStringLiteral("\u2013") : QString::number(support),
        formatPercent(jsonNumber(s, "female")),
        formatPercent(jsonNumber(s, "male"))};
    for (int col = 0; col < cells.size(); ++col) {
      auto* item = new QTableWidgetItem(cells[col]);
      if (col > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      setItem(r, col, item);
    }
  }
}

}  // namespace ser
