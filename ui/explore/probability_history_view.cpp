#include "ui/explore/probability_history_view.h"

#include <QPainter>
#include <QPainterPath>

#include "ui/explore/clip_map_view.h"

namespace ser {

ProbabilityHistoryView::ProbabilityHistoryView(QWidget* parent) : QWidget(parent) {
  setMinimumHeight(140);
}

void ProbabilityHistoryView::setLabels(const QStringList& labels) {
  labels_ = labels;
  history_.clear();
  update();
}

void ProbabilityHistoryView::append(const std::vector<float>& probabilities) {
  history_.push_back(probabilities);
  while (int(history_.size()) > capacity_) history_.pop_front();
  update();
}

void ProbabilityHistoryView::clear() {
  history_.clear();
  update();
}

void ProbabilityHistoryView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), Qt::white);
  p.setRenderHint(QPainter::Antialiasing, true);
  const int legendW = 120;
  const QRect plot = rect().adjusted(34, 8, -legendW - 8, -20);
  p.setPen(QColor(0xd0, 0xd0, 0xd0));
  p.drawRect(plot);
  for (double v : {0.0, 0.5, 1.0}) {
    const int y = plot.bottom() - int(v * plot.height());
    p.drawLine(plot.left(), y, plot.right(), y);
    p.setPen(QColor(0x60, 0x60, 0x60));
    p.drawText(QRect(0, y - 8, 30, 16), Qt::AlignRight | Qt::AlignVCenter, QString::number(v, 'f', 1));
    p.setPen(QColor(0xd0, 0xd0, 0xd0));
  }
  p.setPen(QColor(0x60, 0x60, 0x60));
  p.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), 16), Qt::AlignCenter,
             tr("last %1 s (a prediction every 0.5 s)").arg(capacity_ / 2));
  const int n = int(labels_.size());
  for (int k = 0; k < n; ++k) {
    QPainterPath path;
    for (int i = 0; i < int(history_.size()); ++i) {
      const auto& h = history_[std::size_t(i)];
      const double v = k < int(h.size()) ? h[std::size_t(k)] : 0.0;
      const QPointF pt(plot.right() - (int(history_.size()) - 1 - i) * double(plot.width()) / std::max(1, capacity_ - 1),
                       plot.bottom() - v * plot.height());
      if (i == 0) path.moveTo(pt); else path.lineTo(pt);
    }
    p.setPen(QPen(ClipMapView::categoryColor(k, n), 2));
    p.drawPath(path);
    const int y = plot.top() + k * (fontMetrics().height() + 2);
    p.fillRect(QRect(plot.right() + 12, y + 4, 10, 10), ClipMapView::categoryColor(k, n));
    p.setPen(QColor(0x20, 0x20, 0x20));
    const double last = history_.empty() || k >= int(history_.back().size()) ? 0.0 : history_.back()[std::size_t(k)];
    p.drawText(QRect(plot.right() + 26, y, legendW, fontMetrics().height()), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("%1 %2").arg(labels_[k]).arg(last, 0, 'f', 2));
  }
}

}  // namespace ser
