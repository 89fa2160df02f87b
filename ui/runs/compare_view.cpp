#include "ui/runs/compare_view.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "core/base/text.h"
#include "core/runs/run_record.h"
#include "ui/results/bias_chart_view.h"
#include "ui/results/confusion_matrix_view.h"
#include "ui/results/metrics_format.h"

namespace ser {
namespace {

QString points(double v, const std::optional<Interval>& ci) {
  QString s = pointsText(v) + QObject::tr(" points");
  if (ci) s += QStringLiteral(" [%1, %2]").arg(pointsText(ci->lo), pointsText(ci->hi));
  return s;
}

QString runLabel(const RunComparison& c, std::size_t i) {
  return QStringLiteral("[%1] %2").arg(i + 1).arg(QString::fromStdString(c.runs[i].name));
}

QString corporaText(const ComparedRun& r) {
  const QString train = QString::fromStdString(joinStrings(r.trainCorpora, "+"));
  const QString test = QString::fromStdString(joinStrings(r.testCorpora, "+"));
  return train == test || test.isEmpty() ? train : train + QStringLiteral(" \u2192 ") + test;
}

QTableWidget* makeTable() {
  auto* t = new QTableWidget;
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->setSelectionBehavior(QAbstractItemView::SelectRows);
  t->verticalHeader()->hide();
  t->horizontalHeader()->setStretchLastSection(true);
  t->setWordWrap(false);
  return t;
}

void setCell(QTableWidget* t, int row, int col, const QString& text, const QString& tip = {}) {
  auto* item = new QTableWidgetItem(text);
  if (!tip.isEmpty()) item->setToolTip(tip);
  t->setItem(row, col, item);
}

QChartView* makeChart(const QString& title) {
  auto* view = new QChartView(new QChart);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumSize(320, 240);
  view->chart()->setTitle(title);
  view->chart()->legend()->setAlignment(Qt::AlignBottom);  // below the plot: never over a curve
  view->chart()->setMargins(QMargins(4, 4, 4, 4));
  return view;
}

void clearChart(QChart* chart) {
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) {
    chart->removeAxis(axis);
    delete axis;
  }
}

QWidget* titled(const QString& title, QWidget* body, const QColor& color) {
  auto* box = new QWidget;
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* label = new QLabel(QStringLiteral("<b style='color:%1'>\u25a0</b> <b>%2</b>").arg(color.name(), title.toHtmlEscaped()));
  layout->addWidget(label);
  layout->addWidget(body, 1);
  return box;
}

// Caps a table's height at its rows, so short tables leave the room to the next section.
void fitHeight(QTableWidget* t) {
  int h = t->horizontalHeader()->height() + 2 * t->frameWidth() + 4;
  for (int r = 0; r < t->rowCount(); ++r) h += t->rowHeight(r);
  t->setMaximumHeight(std::max(h, 60));
}

void clearLayout(QLayout* layout) {
  while (QLayoutItem* item = layout->takeAt(0)) {
    if (QWidget* w = item->widget()) w->deleteLater();
    delete item;
  }
}

}  // namespace

QColor CompareView::runColor(int i) {
  static const QColor colors[] = {QColor(0x31, 0x68, 0xb0), QColor(0xd9, 0x5f, 0x02), QColor(0x1b, 0x9e, 0x77),
                                  QColor(0x75, 0x70, 0xb3), QColor(0xe7, 0x29, 0x8a), QColor(0x66, 0xa6, 0x1e),
                                  QColor(0xa6, 0x76, 0x1d), QColor(0x66, 0x66, 0x66)};
  return colors[i % 8];
}

CompareView::CompareView(QWidget* parent)
    : QWidget(parent), tabs_(new QTabWidget), headline_(new QLabel), metrics_(makeTable()),
      pairs_(makeTable()), config_(makeTable()), uarCurves_(makeChart(tr("Validation UAR per epoch"))),
      lossCurves_(makeChart(tr("Loss per epoch (train solid, validation dashed)"))), curvesNote_(new QLabel),
      matricesBox_(new QWidget), normalize_(new QCheckBox(tr("Row-normalised (recall per true class)"))),
      biasBox_(new QWidget) {
  auto* layout = new QVBoxLayout(this);
  headline_->setWordWrap(true);
  headline_->setTextFormat(Qt::RichText);
  layout->addWidget(headline_);
  layout->addWidget(tabs_, 1);

  auto* summary = new QSplitter(Qt::Vertical);
  auto section = [](const QString& title, QWidget* body) {
    auto* box = new QWidget;
    auto* l = new QVBoxLayout(box);
    l->setContentsMargins(0, 4, 0, 0);
    l->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(title)));
    l->addWidget(body, 1);
    return box;
  };
  summary->addWidget(section(tr("Figures (95% speaker-bootstrap intervals)"), metrics_));
  summary->addWidget(section(tr("Paired differences (later minus earlier; speakers resampled jointly for both runs)"), pairs_));
  summary->addWidget(section(tr("Configuration keys that differ"), config_));
  summary->setStretchFactor(2, 1);  // the figures and pairs keep their rows; the diff takes the rest
  tabs_->addTab(summary, tr("Summary"));

  auto* curves = new QWidget;
  auto* curvesLayout = new QVBoxLayout(curves);
  auto* charts = new QHBoxLayout;
  charts->addWidget(uarCurves_);
  charts->addWidget(lossCurves_);
  curvesLayout->addLayout(charts, 1);
  curvesNote_->setWordWrap(true);
  curvesNote_->setStyleSheet(QStringLiteral("color: gray"));
  curvesLayout->addWidget(curvesNote_);
  tabs_->addTab(curves, tr("Training curves"));

  auto* matrices = new QWidget;
  auto* matricesLayout = new QVBoxLayout(matrices);
  normalize_->setChecked(true);
  matricesLayout->addWidget(normalize_);
  new QHBoxLayout(matricesBox_);
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setWidget(matricesBox_);
  matricesLayout->addWidget(scroll, 1);
  tabs_->addTab(matrices, tr("Confusion matrices"));

  new QVBoxLayout(biasBox_);
  auto* biasScroll = new QScrollArea;
  biasScroll->setWidgetResizable(true);
  biasScroll->setWidget(biasBox_);
  tabs_->addTab(biasScroll, tr("Bias by sex"));

  connect(normalize_, &QCheckBox::toggled, this, [this](bool on) {
    for (ConfusionMatrixView* v : confusions_) v->setNormalized(on);
  });
}

CompareView::~CompareView() = default;

void CompareView::setRuns(const std::vector<RunRecord>& runs, const ComparisonOptions& options) {
  comparison_ = compareRuns(runs, options);
  fillSummary();
  fillCurves(runs);
  fillMatrices(runs);
  fillBias(runs);
}

void CompareView::fillSummary() {
  const RunComparison& c = comparison_;
  metrics_->clear();
  metrics_->setColumnCount(8);
  metrics_->setHorizontalHeaderLabels({tr("Run"), tr("Model"), tr("Corpora"), tr("Protocol"), tr("n"),
                                       tr("WA [95% CI]"), tr("UAR [95% CI]"), tr("Macro-F1")});
  metrics_->setRowCount(int(c.runs.size()));
  for (std::size_t i = 0; i < c.runs.size(); ++i) {
    const ComparedRun& r = c.runs[i];
    const int row = int(i);
    setCell(metrics_, row, 0, runLabel(c, i), QString::fromStdString(r.path));
    metrics_->item(row, 0)->setForeground(runColor(row));
    setCell(metrics_, row, 1, QString::fromStdString(r.model));
    setCell(metrics_, row, 2, corporaText(r));
    QString protocol = r.protocol.empty() ? tr("unknown") : QString::fromStdString(r.protocol);
    if (!r.speakerIndependent) protocol += tr(" (test speakers also trained)");
    setCell(metrics_, row, 3, protocol);
    setCell(metrics_, row, 4, QString::number(r.n));
    setCell(metrics_, row, 5, formatPercentCi(r.wa, r.waCi95, r.speakers));
    setCell(metrics_, row, 6, formatPercentCi(r.uar, r.uarCi95, r.speakers));
    setCell(metrics_, row, 7, formatPercentCi(r.macroF1, r.macroF1Ci95, r.speakers),
            r.macroF1Ci95 ? QString() : tr("run folder written before serwb recorded macro-F1's interval"));
  }
  metrics_->resizeColumnsToContents();
  fitHeight(metrics_);

  pairs_->clear();
  pairs_->setColumnCount(5);
  pairs_->setHorizontalHeaderLabels({tr("Comparison"), tr("Shared test clips"), tr("UAR difference [95% CI]"),
                                     tr("WA difference [95% CI]"), tr("Reading")});
  pairs_->setRowCount(int(c.pairs.size()));
  QStringList headlines;
  for (std::size_t k = 0; k < c.pairs.size(); ++k) {
    const PairedComparison& p = c.pairs[k];
    const int row = int(k);
    const QString name = runLabel(c, p.b) + QStringLiteral(" \u2212 ") + runLabel(c, p.a);
    setCell(pairs_, row, 0, name);
    if (!p.paired) {
      setCell(pairs_, row, 1, tr("not the same clips"));
      setCell(pairs_, row, 2, tr("\u2013"));
      setCell(pairs_, row, 3, tr("\u2013"));
      setCell(pairs_, row, 4, QString::fromStdString(p.reason), QString::fromStdString(p.reason));
      headlines << tr("%1: no paired figure (%2).").arg(name.toHtmlEscaped(), tr("not tested on the same clips"));
      continue;
    }
    setCell(pairs_, row, 1, tr("%1 clips, %2 speakers").arg(p.clips).arg(p.speakers));
    setCell(pairs_, row, 2, points(p.uarDifference, p.uarCi95));
    setCell(pairs_, row, 3, points(p.waDifference, p.waCi95));
    QString reading;
    if (!p.uarCi95)
      reading = QString::fromStdString(p.reason);
    else if (p.uarDifferenceExcludesZero())
      reading = p.uarCi95->lo > 0 ? tr("%1 is better: the interval excludes 0").arg(runLabel(c, p.b))
                                  : tr("%1 is better: the interval excludes 0").arg(runLabel(c, p.a));
    else
      reading = tr("no clear difference: the interval includes 0");
    setCell(pairs_, row, 4, reading, reading);
    const QColor color = p.uarDifferenceExcludesZero() ? QColor(0x1b, 0x7e, 0x3c) : QColor(0x5f, 0x63, 0x68);
    pairs_->item(row, 2)->setForeground(color);
    headlines << tr("%1: UAR <b>%2</b> \u2014 %3").arg(name.toHtmlEscaped(), points(p.uarDifference, p.uarCi95),
                                                     reading.toHtmlEscaped());
  }
  pairs_->resizeColumnsToContents();
  fitHeight(pairs_);
  headline_->setText(headlines.join(QStringLiteral("<br>")));

  config_->clear();
  config_->setColumnCount(int(c.runs.size()) + 1);
  QStringList headers{tr("Key")};
  for (std::size_t i = 0; i < c.runs.size(); ++i) headers << runLabel(c, i);
  config_->setHorizontalHeaderLabels(headers);
  config_->setRowCount(int(c.configDiff.size()));
  for (std::size_t k = 0; k < c.configDiff.size(); ++k) {
    const ConfigDifference& d = c.configDiff[k];
    setCell(config_, int(k), 0, QString::fromStdString(d.key));
    for (std::size_t i = 0; i < d.values.size(); ++i) {
      const QString v = d.values[i] ? QString::fromStdString(*d.values[i]) : tr("(absent)");
      setCell(config_, int(k), int(i) + 1, v, v);
    }
  }
  if (c.configDiff.empty()) {
    config_->setRowCount(1);
    setCell(config_, 0, 0, tr("(the configurations are the same)"));
  }
  config_->resizeColumnsToContents();
}

void CompareView::fillCurves(const std::vector<RunRecord>& runs) {
  QChart* uar = uarCurves_->chart();
  QChart* loss = lossCurves_->chart();
  clearChart(uar);
  clearChart(loss);
  auto* ux = new QValueAxis;
  auto* uy = new QValueAxis;
  auto* lx = new QValueAxis;
  auto* ly = new QValueAxis;
  for (QValueAxis* x : {ux, lx}) {
    x->setTitleText(tr("Epoch"));
    x->setLabelFormat(QStringLiteral("%d"));
  }
  uy->setTitleText(tr("Validation UAR"));
  uy->setRange(0, 100);
  uy->setLabelFormat(QStringLiteral("%.0f%%"));
  ly->setTitleText(tr("Cross-entropy"));
  uar->addAxis(ux, Qt::AlignBottom);
  uar->addAxis(uy, Qt::AlignLeft);
  loss->addAxis(lx, Qt::AlignBottom);
  loss->addAxis(ly, Qt::AlignLeft);
  int lastEpoch = 1;
  double maxLoss = 0.0;
  QStringList without;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunRecord& r = runs[i];
    const QString name = runLabel(comparison_, i);
    if (r.curves.empty()) {
      without << name;
      continue;
    }
    const QColor color = runColor(int(i));
    auto* u = new QLineSeries;
    auto* tl = new QLineSeries;
    auto* vl = new QLineSeries;
    u->setName(name);
    tl->setName(name + tr(" train"));
    vl->setName(name + tr(" validation"));
    u->setPen(QPen(color, 2));
    tl->setPen(QPen(color, 2));
    vl->setPen(QPen(color, 2, Qt::DashLine));
    for (const EpochStats& e : r.curves) {
      lastEpoch = std::max(lastEpoch, e.epoch);
      if (!std::isnan(e.val_uar)) u->append(e.epoch, 100 * e.val_uar);
      if (!std::isnan(e.train_loss)) tl->append(e.epoch, e.train_loss), maxLoss = std::max(maxLoss, e.train_loss);
      if (!std::isnan(e.val_loss)) vl->append(e.epoch, e.val_loss), maxLoss = std::max(maxLoss, e.val_loss);
    }
    uar->addSeries(u);
    loss->addSeries(tl);
    loss->addSeries(vl);
    for (QLineSeries* s : {u}) s->attachAxis(ux), s->attachAxis(uy);
    for (QLineSeries* s : {tl, vl}) s->attachAxis(lx), s->attachAxis(ly);
  }
  for (QValueAxis* x : {ux, lx}) {
    x->setRange(1, std::max(lastEpoch, 2));
    x->setTickCount(std::min(std::max(2, lastEpoch), 11));
  }
  ly->setRange(0, maxLoss > 0 ? maxLoss * 1.1 : 1.0);
  ly->applyNiceNumbers();
  curvesNote_->setText(without.isEmpty()
                           ? QString()
                           : tr("Without training curves (SVM runs and evaluations train in one step): %1")
                                 .arg(without.join(QStringLiteral(", "))));
  curvesNote_->setVisible(!without.isEmpty());
}

void CompareView::fillMatrices(const std::vector<RunRecord>& runs) {
  clearLayout(matricesBox_->layout());
  confusions_.clear();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunRecord& r = runs[i];
    auto* view = new ConfusionMatrixView;
    QStringList labels;
    for (const auto& l : r.labels()) labels << QString::fromStdString(l);
    std::vector<std::vector<double>> counts;
    for (const auto& row : r.metrics.confusion) counts.emplace_back(row.begin(), row.end());
    view->setMatrix(labels, counts);
    view->setNormalized(normalize_->isChecked());
    confusions_.push_back(view);
    matricesBox_->layout()->addWidget(titled(runLabel(comparison_, i), view, runColor(int(i))));
  }
}

void CompareView::fillBias(const std::vector<RunRecord>& runs) {
  clearLayout(biasBox_->layout());
  biases_.clear();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto* view = new BiasChartView;
    view->setRun(runs[i]);
    view->setMinimumHeight(320);
    biases_.push_back(view);
    biasBox_->layout()->addWidget(titled(runLabel(comparison_, i), view, runColor(int(i))));
  }
}

}  // namespace ser
