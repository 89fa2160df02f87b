#include "ui/results/training_curves_view.h"

#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QStackedLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "core/runs/run_record.h"
#include "ui/results/metrics_format.h"

namespace ser {
namespace {

QChartView* makeView(const QString& title) {
  auto* view = new QChartView(new QChart);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumSize(300, 220);
  view->chart()->setTitle(title);
  view->chart()->legend()->setAlignment(Qt::AlignBottom);
  view->chart()->setMargins(QMargins(4, 4, 4, 4));
  return view;
}

struct Curve {
  QString name;
  double EpochStats::*field;
  QColor color;
  Qt::PenStyle style;
  double scale;  // 100 for fractions shown as percent
};

void fill(QChart* chart, const std::vector<EpochStats>& points, const std::vector<Curve>& curves,
          const QString& yTitle, bool percent) {
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) {
    chart->removeAxis(axis);
    delete axis;
  }
  auto* x = new QValueAxis;
  x->setTitleText(QObject::tr("Epoch"));
  x->setLabelFormat(QStringLiteral("%d"));
  const int last = points.empty() ? 1 : points.back().epoch;
  const int first = points.empty() ? 0 : points.front().epoch;
  x->setRange(first, std::max(last, first + 1));
  x->setTickCount(std::min(std::max(2, last - first + 1), 11));
  auto* y = new QValueAxis;
  y->setTitleText(yTitle);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& c : curves) {
    auto* s = new QLineSeries;
    s->setName(c.name);
    s->setPen(QPen(c.color, 2, c.style));
    s->setPointsVisible(points.size() < 30);
    for (const auto& p : points) {
      const double v = p.*(c.field) * c.scale;
      if (std::isnan(v)) continue;
      s->append(p.epoch, v);
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    if (s->count() == 0) {
      delete s;
      continue;
    }
    chart->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
  }
  if (percent) {
    y->setRange(0, 100);
    y->setLabelFormat(QStringLiteral("%.0f%%"));
  } else if (lo <= hi) {
    y->setRange(0, hi * 1.1);
    y->applyNiceNumbers();
  }
}

}  // namespace

TrainingCurvesView::TrainingCurvesView(QWidget* parent)
    : QWidget(parent), stack_(new QStackedLayout(this)), loss_(makeView(tr("Loss"))),
      accuracy_(makeView(tr("Accuracy"))), empty_(new QLabel) {
  auto* charts = new QWidget;
  auto* row = new QHBoxLayout(charts);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(loss_);
  row->addWidget(accuracy_);
  stack_->addWidget(charts);
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setWordWrap(true);
  stack_->addWidget(empty_);
  empty_->setText(tr("No run loaded."));
  stack_->setCurrentWidget(empty_);
}

void TrainingCurvesView::setRun(const RunRecord& run) {
  hasCurves_ = !run.curves.empty();
  if (!hasCurves_) {
    empty_->setText(tr("This run has no training curves (curves.csv is absent: SVM runs train in one "
                       "step, without epochs)."));
    stack_->setCurrentWidget(empty_);
    return;
  }
  const QColor train(0x31, 0x68, 0xb0), val(0xd9, 0x5f, 0x02);
  fill(loss_->chart(), run.curves,
       {{tr("Train loss"), &EpochStats::train_loss, train, Qt::SolidLine, 1.0},
        {tr("Validation loss"), &EpochStats::val_loss, val, Qt::SolidLine, 1.0}},
       tr("Cross-entropy"), false);
  fill(accuracy_->chart(), run.curves,
       {{tr("Train accuracy"), &EpochStats::train_acc, train, Qt::SolidLine, 100.0},
        {tr("Validation accuracy"), &EpochStats::val_acc, val, Qt::SolidLine, 100.0},
        {tr("Validation UAR"), &EpochStats::val_uar, uarColor(), Qt::DashLine, 100.0}},
       tr("Accuracy"), true);
  stack_->setCurrentIndex(0);
}

}  // namespace ser
