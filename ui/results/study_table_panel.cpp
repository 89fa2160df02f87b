#include "ui/results/study_table_panel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChartView>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include "ui/results/metrics_format.h"

namespace ser {

QStringList studyTableHeaders() {
  return {QObject::tr("#"),      QObject::tr("Model"),   QObject::tr("Train"),
          QObject::tr("Test"),   QObject::tr("Protocol"), QObject::tr("n"),
          QObject::tr("WA"),     QObject::tr("UAR"),     QObject::tr("WA male"),
          QObject::tr("WA female"), QObject::tr("Female \u2212 male")};
}

QStringList studyTableCells(const StudyRow& row) {
  auto gap = [&]() -> QString {
    if (!row.sexGap) return QStringLiteral("\u2013");
    QString s = QStringLiteral("%1%2").arg(*row.sexGap >= 0 ? "+" : "").arg(100 * *row.sexGap, 0, 'f', 1);
    if (row.sexGapCi95)
      s += QStringLiteral(" [%1, %2]").arg(100 * row.sexGapCi95->lo, 0, 'f', 1).arg(100 * row.sexGapCi95->hi, 0, 'f', 1);
    return s;
  };
  auto opt = [](const std::optional<double>& v) { return v ? formatPercent(*v) : QStringLiteral("\u2013"); };
  return {QString::fromStdString(row.id),
          QString::fromStdString(row.model),
          QString::fromStdString(row.train),
          QString::fromStdString(row.test),
          QString::fromStdString(row.protocol) +
              (row.speakerIndependent ? QString() : QObject::tr(" (speakers leak)")),
          QString::number(row.n),
          formatPercentCi(row.wa, row.waCi95),
          formatPercentCi(row.uar, row.uarCi95),
          opt(row.waMale),
          opt(row.waFemale),
          gap()};
}

StudyTablePanel::StudyTablePanel(QWidget* parent)
    : QWidget(parent), banner_(new QLabel), table_(new QTableWidget), chart_(new QChartView(new QChart)),
      skipped_(new QLabel) {
  auto* layout = new QVBoxLayout(this);
  banner_->setWordWrap(true);
  banner_->setMargin(6);
  banner_->setStyleSheet(QStringLiteral("QLabel { background: #e67e22; color: white; font-weight: bold; "
                                        "border-radius: 3px; }"));
  banner_->setText(tr("SYNTHETIC DATA: this study ran on the generated demo corpora; its numbers say "
                      "nothing about real speech."));
  banner_->hide();
  layout->addWidget(banner_);

  table_->setColumnCount(studyTableHeaders().size());
  table_->setHorizontalHeaderLabels(studyTableHeaders());
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setAlternatingRowColors(true);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

  chart_->setRenderHint(QPainter::Antialiasing);
  chart_->setMinimumHeight(260);
  chart_->chart()->legend()->setAlignment(Qt::AlignBottom);

  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(table_);
  split->addWidget(chart_);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  layout->addWidget(split, 1);
  skipped_->setWordWrap(true);
  layout->addWidget(skipped_);

  connect(table_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
    if (row < 0 || row >= static_cast<int>(study_.rows.size())) return;
    const auto dir = study_.runPath(study_.rows[row]);
    if (!dir.empty()) emit runActivated(QString::fromStdString(dir.string()));
  });
}

void StudyTablePanel::clear() { setStudy(StudyTable{}); }

void StudyTablePanel::setStudy(const StudyTable& study) {
  study_ = study;
  banner_->setVisible(study.synthetic);
  table_->setRowCount(static_cast<int>(study.rows.size()));
  for (int r = 0; r < table_->rowCount(); ++r) {
    const StudyRow& row = study.rows[r];
    const QStringList cells = studyTableCells(row);
    for (int c = 0; c < cells.size(); ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      if (c >= 5) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      if (c == 4 && !row.speakerIndependent) item->setForeground(warningColor());
      if (!row.runDir.empty()) item->setToolTip(tr("Double-click to open %1").arg(QString::fromStdString(row.runDir)));
      table_->setItem(r, c, item);
    }
  }

  QChart* chart = chart_->chart();
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) {
    chart->removeAxis(axis);
    delete axis;
  }
  chart->setTitle(tr("WA and UAR per experiment"));
  auto* wa = new QBarSet(tr("WA"));
  auto* uar = new QBarSet(tr("UAR"));
  wa->setColor(waColor());
  uar->setColor(uarColor());
  QStringList categories;
  for (const auto& row : study.rows) {
    *wa << 100 * row.wa;
    *uar << 100 * row.uar;
    categories << QString::fromStdString(row.id + " (" + row.model + ")");
  }
  auto* series = new QBarSeries;
  series->append(wa);
  series->append(uar);
  series->setLabelsVisible(true);
  series->setLabelsFormat(QStringLiteral("@value"));
  series->setLabelsPrecision(3);
  auto* x = new QBarCategoryAxis;
  x->append(categories);
  if (categories.size() > 4) x->setLabelsAngle(-30);
  auto* y = new QValueAxis;
  y->setRange(0, 100);
  y->setTickCount(6);
  y->setLabelFormat(QStringLiteral("%.0f%%"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  chart->addSeries(series);
  series->attachAxis(x);
  series->attachAxis(y);

  QStringList skipped;
  for (const auto& s : study.skipped) skipped << QString::fromStdString(s).toHtmlEscaped();
  skipped_->setText(skipped.isEmpty() ? QString()
                                      : tr("<b>Skipped:</b> %1").arg(skipped.join(QStringLiteral("; "))));
  skipped_->setVisible(!skipped.isEmpty());
}

}  // namespace ser
