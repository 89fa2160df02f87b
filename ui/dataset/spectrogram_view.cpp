#include "ui/dataset/spectrogram_view.h"

#include <algorithm>
#include <cmath>
#include <QMouseEvent>
#include <QPainter>

#include "ui/common/color_map.h"
#include "ui/common/plot_axes.h"

namespace ser {
namespace {
constexpr float kDynamicRangeDb = 80.0f;
}  // namespace

SpectrogramView::SpectrogramView(QWidget* parent) : QWidget(parent) {
  setMessage(tr("Select a clip to see its log-mel spectrogram"));
}

void SpectrogramView::setSpectrogram(const FeatureMatrix& logMel, double hopSeconds, double fMin,
                                     double fMax, MelScale scale) {
  message_.clear();
  bands_ = logMel.rows;
  frames_ = logMel.cols;
  hop_ = hopSeconds > 0 ? hopSeconds : 0.01;
  fMin_ = fMin;
  fMax_ = fMax;
  scale_ = scale;
  playhead_ = -1.0;
  // The engine's rendering, so `serwb export-spectrograms` writes the colours shown here.
  LogMelImageOptions options;
  options.map = ColorMap::Viridis;
  options.dynamicRangeDb = kDynamicRangeDb;
  topDb_ = logMelTopDb(logMel);
  image_ = toQImage(renderLogMel(logMel, options));
  update();
}

void SpectrogramView::setMessage(const QString& message) {
  message_ = message;
  image_ = QImage();
  bands_ = frames_ = 0;
  playhead_ = -1.0;
  update();
}

void SpectrogramView::setPlayhead(double seconds) {
  if (seconds == playhead_) return;
  playhead_ = seconds;
  update();
}

QRect SpectrogramView::plotRect() const {
  return rect().adjusted(PlotMargins::left, PlotMargins::top, -PlotMargins::right,
                         -PlotMargins::bottom);
}

void SpectrogramView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().window());
  const QRect plot = plotRect();
  if (plot.width() < 4 || plot.height() < 4) return;
  if (image_.isNull()) {
    p.fillRect(plot, PlotPalette::background());
    p.setPen(PlotPalette::frame());
    p.drawRect(plot.adjusted(0, 0, -1, -1));
    drawPlaceholder(p, plot, message_);
    return;
  }

  p.setRenderHint(QPainter::SmoothPixmapTransform, true);
  p.drawImage(plot, image_);
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);

  const double seconds = duration();
  drawTimeAxis(p, plot, seconds, false);

  // Frequency ticks at round Hz values, placed on the mel scale the bands are spaced on.
  QFont small = p.font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  p.setFont(small);
  const double m0 = hzToMel(fMin_, scale_), m1 = hzToMel(fMax_, scale_);
  if (m1 > m0) {
    for (double hz : {0.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0}) {
      if (hz < fMin_ || hz > fMax_) continue;
      const double f = (hzToMel(hz, scale_) - m0) / (m1 - m0);
      const int y = plot.bottom() - int(std::lround(f * (plot.height() - 1)));
      p.setPen(PlotPalette::frame());
      p.drawLine(plot.left() - 4, y, plot.left() - 1, y);
      p.setPen(PlotPalette::text());
      const QString label = hz >= 1000 ? QString::number(hz / 1000, 'g', 3) + QStringLiteral("k")
                                       : QString::number(hz, 'g', 4);
      p.drawText(QRect(0, y - 8, plot.left() - 7, 16), Qt::AlignRight | Qt::AlignVCenter, label);
    }
  }
  drawVerticalLabel(p, plot, tr("Hz (mel)"));

  // Colour bar in the right margin.
  const QRect bar(plot.right() + 10, plot.top(), 10, plot.height());
  for (int y = 0; y < bar.height(); ++y) {
    p.setPen(QColor(colorMapValue(ColorMap::Viridis, 1.0 - double(y) / std::max(1, bar.height() - 1))));
    p.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
  }
  p.setPen(PlotPalette::frame());
  p.drawRect(bar.adjusted(0, 0, -1, -1));
  p.setPen(PlotPalette::text());
  const QRect labels(bar.right() + 3, bar.top(), PlotMargins::right - 24, bar.height());
  p.drawText(labels, Qt::AlignTop | Qt::AlignLeft, QString::number(std::lround(topDb_)));
  p.drawText(labels, Qt::AlignBottom | Qt::AlignLeft,
             QString::number(std::lround(topDb_ - kDynamicRangeDb)));
  p.drawText(labels, Qt::AlignVCenter | Qt::AlignLeft, QStringLiteral("dB"));

  if (playhead_ >= 0.0 && seconds > 0) {
    const int x = plot.left() + int(std::lround(std::min(playhead_, seconds) / seconds * (plot.width() - 1)));
    p.setPen(QPen(QColor(255, 255, 255, 220), 2));
    p.drawLine(x, plot.top(), x, plot.bottom());
  }
  p.setPen(PlotPalette::frame());
  p.setBrush(Qt::NoBrush);
  p.drawRect(plot.adjusted(0, 0, -1, -1));
}

void SpectrogramView::mousePressEvent(QMouseEvent* event) {
  const QRect plot = plotRect();
  if (image_.isNull() || event->button() != Qt::LeftButton || plot.width() < 2) return;
  const double f = std::clamp((event->position().x() - plot.left()) / (plot.width() - 1), 0.0, 1.0);
  emit seekRequested(f * duration());
}

}  // namespace ser
