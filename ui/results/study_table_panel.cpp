#include "ui/results/study_table_panel.h"

#include <cmath>
#include <vector>

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

#include "ui/common/view_export.h"
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
    QString s = pointsText(*row.sexGap);
    if (row.sexGapCi95)
      s += QStringLiteral(" [%1, %2]").arg(percentNumberText(row.sexGapCi95->lo), percentNumberText(row.sexGapCi95->hi));
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

namespace {

struct BarSet {
  QString name;
  QColor color;
  std::vector<double> values;  // percent; NaN = no bar
};

void fillBars(QChart* chart, const QString& title, const QStringList& categories, const std::vector<BarSet>& sets) {
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) {
    chart->removeAxis(axis);
    delete axis;
  }
  chart->setTitle(title);
  auto* series = new QBarSeries;
  for (const BarSet& b : sets) {
    auto* set = new QBarSet(b.name);
    set->setColor(b.color);
    for (double v : b.values) *set << (std::isnan(v) ? 0.0 : v);
    series->append(set);
  }
  series->setLabelsVisible(true);
  series->setLabelsFormat(QStringLiteral("@value"));
  series->setLabelsPrecision(3);
  auto* x = new QBarCategoryAxis;
  x->setTruncateLabels(false);  // labels are never elided
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
}

}  // namespace

StudyTablePanel::StudyTablePanel(QWidget* parent)
    : QWidget(parent), banner_(new QLabel), table_(new QTableWidget), chart_(new QChartView(new QChart)),
      bias_(new QChartView(new QChart)), skipped_(new QLabel) {
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
  bias_->setRenderHint(QPainter::Antialiasing);
  bias_->setMinimumHeight(260);
  bias_->chart()->legend()->setAlignment(Qt::AlignBottom);

  installExportAction(chart_, QStringLiteral("study-wa-uar"));
  installExportAction(bias_, QStringLiteral("study-wa-by-sex"));
  auto* charts = new QSplitter(Qt::Horizontal);
  charts->addWidget(chart_);
  charts->addWidget(bias_);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(table_);
  split->addWidget(charts);
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

  QStringList categories;
  for (const auto& row : study.rows) categories << QString::fromStdString(row.id + " (" + row.model + ")");
  std::vector<double> wa, uar, female, male;
  for (const auto& row : study.rows) {
    wa.push_back(100 * row.wa);
    uar.push_back(100 * row.uar);
    // A sex absent from a test set gets no bar (0 would read as 0% accuracy).
    female.push_back(row.waFemale ? 100 * *row.waFemale : std::nan(""));
    male.push_back(row.waMale ? 100 * *row.waMale : std::nan(""));
  }
  fillBars(chart_->chart(), tr("WA and UAR per experiment"), categories,
           {{tr("WA"), waColor(), wa}, {tr("UAR"), uarColor(), uar}});
  fillBars(bias_->chart(), tr("WA by sex per experiment"), categories,
           {{tr("Female"), femaleColor(), female}, {tr("Male"), maleColor(), male}});

  QStringList skipped;
  for (const auto& s : study.skipped) skipped << QString::fromStdString(s).toHtmlEscaped();
  skipped_->setText(skipped.isEmpty() ? QString()
                                      : tr("<b>Skipped:</b> %1").arg(skipped.join(QStringLiteral("; "))));
  skipped_->setVisible(!skipped.isEmpty());
}

}  // namespace ser
