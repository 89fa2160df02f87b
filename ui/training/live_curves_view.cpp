#include "ui/training/live_curves_view.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <QHBoxLayout>
#include <qcustomplot.h>

#include "core/train/training_observer.h"

namespace ser {
namespace {

QCPGraph* addGraph(QCustomPlot* plot, const QString& name, const QColor& color, double width,
                   bool markers) {
  QCPGraph* g = plot->addGraph();
  g->setName(name);
  g->setPen(QPen(color, width));
  if (markers) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, Qt::white, 5));
  return g;
}

void setUpPlot(QCustomPlot* plot, const QString& title, const QString& yLabel) {
  plot->setNoAntialiasingOnDrag(true);
  plot->plotLayout()->insertRow(0);
  auto* heading = new QCPTextElement(plot, title, QFont(plot->font().family(), 10, QFont::Bold));
  plot->plotLayout()->addElement(0, 0, heading);
  plot->xAxis->setLabel(QObject::tr("epoch"));
  plot->yAxis->setLabel(yLabel);
  plot->xAxis->setRange(0, 1);
  plot->legend->setVisible(true);
  plot->legend->setFont(QFont(plot->font().family(), 8));
  plot->legend->setBrush(QColor(255, 255, 255, 210));
  // The legend goes in a row of its own under the plot, never over a curve: validation curves of
  // a short or a poor run lie anywhere in the plot (rows: title, axis rect, legend).
  auto* below = new QCPLayoutGrid;
  plot->plotLayout()->addElement(2, 0, below);
  below->addElement(0, 0, plot->legend);  // moves it out of the axis rect's inset layout
  plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
  plot->legend->setBorderPen(Qt::NoPen);
  plot->plotLayout()->setRowStretchFactor(2, 0.001);
  QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
  ticker->setTickStep(1.0);
  ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  plot->xAxis->setTicker(ticker);
}

// Drops points at x >= from (a resumed run restarts at a finished epoch).
void dropFrom(QCPGraph* g, double from) {
  g->data()->remove(from, std::numeric_limits<double>::max());
}

}  // namespace

LiveCurvesView::LiveCurvesView(QWidget* parent)
    : QWidget(parent), loss_(new QCustomPlot(this)), metric_(new QCustomPlot(this)) {
  setUpPlot(loss_, tr("Loss"), tr("cross-entropy"));
  setUpPlot(metric_, tr("Accuracy"), tr("%"));
  batchLoss_ = addGraph(loss_, tr("batch loss"), QColor(0x1f, 0x5f, 0x9f, 70), 1.0, false);
  trainLoss_ = addGraph(loss_, tr("training loss"), QColor(0x1f, 0x5f, 0x9f), 2.0, true);
  valLoss_ = addGraph(loss_, tr("validation loss"), QColor(0xd9, 0x5f, 0x0e), 2.0, true);
  trainAcc_ = addGraph(metric_, tr("training accuracy"), QColor(0x1f, 0x5f, 0x9f), 2.0, true);
  valAcc_ = addGraph(metric_, tr("validation WA"), QColor(0xd9, 0x5f, 0x0e), 2.0, true);
  valUar_ = addGraph(metric_, tr("validation UAR"), QColor(0x2c, 0xa0, 0x2c), 2.0, true);
  loss_->yAxis->setRange(0, 2);
  metric_->yAxis->setRange(0, 100);

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(loss_);
  layout->addWidget(metric_);

  replotTimer_.setSingleShot(true);
  replotTimer_.setInterval(kReplotIntervalMs);
  connect(&replotTimer_, &QTimer::timeout, this, &LiveCurvesView::replotNow);
}

void LiveCurvesView::clear() {
  for (QCPGraph* g : {batchLoss_, trainLoss_, valLoss_, trainAcc_, valAcc_, valUar_}) g->data()->clear();
  lastEpoch_ = 0;
  setNote(QString());
  scheduleReplot();
}

void LiveCurvesView::addBatch(int epoch, int batch, int batches, double loss) {
  if (batches <= 0) return;
  if (epoch <= lastEpoch_) {  // resumed: redraw from this epoch on
    for (QCPGraph* g : {trainLoss_, valLoss_, trainAcc_, valAcc_, valUar_}) dropFrom(g, epoch);
    lastEpoch_ = epoch - 1;
  }
  const double x = (epoch - 1) + double(batch) / batches;
  dropFrom(batchLoss_, x);
  batchLoss_->addData(x, loss);
  scheduleReplot();
}

void LiveCurvesView::addEpoch(const EpochStats& s) {
  for (QCPGraph* g : {trainLoss_, valLoss_, trainAcc_, valAcc_, valUar_}) dropFrom(g, s.epoch);
  trainLoss_->addData(s.epoch, s.train_loss);
  valLoss_->addData(s.epoch, s.val_loss);
  trainAcc_->addData(s.epoch, 100.0 * s.train_acc);
  valAcc_->addData(s.epoch, 100.0 * s.val_acc);
  valUar_->addData(s.epoch, 100.0 * s.val_uar);
  lastEpoch_ = s.epoch;
  scheduleReplot();
}

void LiveCurvesView::setNote(const QString& note) {
  for (QCustomPlot* plot : {loss_, metric_}) {
    auto* heading = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0));
    if (!heading) continue;
    const QString title = plot == loss_ ? tr("Loss") : tr("Accuracy");
    heading->setText(note.isEmpty() ? title : title + QStringLiteral(" \u2014 ") + note);
  }
  scheduleReplot();
}

int LiveCurvesView::batchPointCount() const { return batchLoss_->dataCount(); }
int LiveCurvesView::epochPointCount() const { return trainLoss_->dataCount(); }

void LiveCurvesView::scheduleReplot() {
  if (!replotTimer_.isActive()) replotTimer_.start();
}

void LiveCurvesView::replotNow() {
  double maxX = 1.0;
  for (QCPGraph* g : {batchLoss_, trainLoss_}) {
    if (!g->data()->isEmpty()) maxX = std::max(maxX, std::ceil(g->data()->constEnd()[-1].key));
  }
  loss_->xAxis->setRange(0, maxX);
  metric_->xAxis->setRange(0, maxX);
  bool found = false;
  QCPRange losses = batchLoss_->data()->valueRange(found);
  for (QCPGraph* g : {trainLoss_, valLoss_}) {
    bool ok = false;
    const QCPRange r = g->data()->valueRange(ok);
    if (ok) losses = found ? QCPRange(std::min(losses.lower, r.lower), std::max(losses.upper, r.upper)) : r;
    found = found || ok;
  }
  if (found) loss_->yAxis->setRange(0, std::max(0.1, losses.upper * 1.05));
  loss_->replot();
  metric_->replot();
  ++replots_;
}

}  // namespace ser
