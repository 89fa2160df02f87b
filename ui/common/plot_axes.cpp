#include "ui/common/plot_axes.h"

#include <cmath>
#include <QPainter>

namespace ser {

double niceStep(double span, int targetTicks) {
  if (!(span > 0) || targetTicks < 1) return 1.0;
  const double raw = span / targetTicks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double nice = f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0;
  return nice * mag;
}

void drawTimeAxis(QPainter& p, const QRect& plot, double seconds, bool grid) {
  if (!(seconds > 0) || plot.width() < 2) return;
  p.save();
  const int targetTicks = std::max(2, plot.width() / 90);
  const double step = niceStep(seconds, targetTicks);
  const int decimals = step >= 1.0 ? 0 : step >= 0.1 ? 1 : 2;
  QFont f = p.font();
  f.setPointSizeF(f.pointSizeF() * 0.85);
  p.setFont(f);
  for (double t = 0; t <= seconds + 1e-9; t += step) {
    const int x = plot.left() + int(std::lround(t / seconds * (plot.width() - 1)));
    if (grid) {
      p.setPen(PlotPalette::grid());
      p.drawLine(x, plot.top() + 1, x, plot.bottom() - 1);
    }
    p.setPen(PlotPalette::frame());
    p.drawLine(x, plot.bottom() + 1, x, plot.bottom() + 4);
    p.setPen(PlotPalette::text());
    const QString label = QString::number(t, 'f', decimals) + (t == 0 ? QStringLiteral(" s") : QString());
    p.drawText(QRect(x - 40, plot.bottom() + 4, 80, 16), Qt::AlignHCenter | Qt::AlignTop, label);
  }
  p.restore();
}

void drawVerticalLabel(QPainter& p, const QRect& plot, const QString& text) {
  p.save();
  QFont f = p.font();
  f.setPointSizeF(f.pointSizeF() * 0.85);
  p.setFont(f);
  p.setPen(PlotPalette::text());
  p.translate(12, plot.center().y());
  p.rotate(-90);
  p.drawText(QRect(-plot.height() / 2, -8, plot.height(), 16), Qt::AlignCenter, text);
  p.restore();
}

void drawPlaceholder(QPainter& p, const QRect& rect, const QString& text) {
  p.save();
  p.setPen(QColor(0x80, 0x86, 0x8b));
  p.drawText(rect, Qt::AlignCenter | Qt::TextWordWrap, text);
  p.restore();
}

}  // namespace ser
