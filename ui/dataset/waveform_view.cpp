#include "ui/dataset/waveform_view.h"

#include <algorithm>
#include <cmath>
#include <QMouseEvent>
#include <QPainter>

#include "ui/common/plot_axes.h"

namespace ser {

WaveformView::WaveformView(QWidget* parent) : QWidget(parent) {
  setMessage(tr("Select a clip to see its waveform"));
  setCursor(Qt::PointingHandCursor);
}

void WaveformView::setAudio(std::shared_ptr<const MonoAudio> audio) {
  audio_ = std::move(audio);
  message_.clear();
  envelopeWidth_ = 0;
  playhead_ = -1.0;
  update();
}

void WaveformView::setMessage(const QString& message) {
  audio_.reset();
  message_ = message;
  envelopeWidth_ = 0;
  playhead_ = -1.0;
  update();
}

void WaveformView::setPlayhead(double seconds) {
  if (seconds == playhead_) return;
  playhead_ = seconds;
  update();
}

QRect WaveformView::plotRect() const {
  return rect().adjusted(PlotMargins::left, PlotMargins::top, -PlotMargins::right,
                         -PlotMargins::bottom);
}

void WaveformView::updateEnvelope(int width) {
  if (envelopeWidth_ == width || !audio_) return;
  envelopeWidth_ = width;
  const auto& s = audio_->samples;
  min_.assign(std::size_t(width), 0.0f);
  max_.assign(std::size_t(width), 0.0f);
  rms_.assign(std::size_t(width), 0.0f);
  const double perColumn = double(s.size()) / width;
  for (int x = 0; x < width; ++x) {
    const std::size_t a = std::size_t(x * perColumn);
    const std::size_t b = std::max(a + 1, std::min(s.size(), std::size_t((x + 1) * perColumn)));
    if (a >= s.size()) break;
    float lo = s[a], hi = s[a];
    double sq = 0.0;
    for (std::size_t i = a; i < b; ++i) {
      lo = std::min(lo, s[i]);
      hi = std::max(hi, s[i]);
      sq += double(s[i]) * s[i];
    }
    min_[std::size_t(x)] = lo;
    max_[std::size_t(x)] = hi;
    rms_[std::size_t(x)] = float(std::sqrt(sq / double(b - a)));
  }
}

void WaveformView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().window());
  const QRect plot = plotRect();
  if (plot.width() < 4 || plot.height() < 4) return;
  p.fillRect(plot, PlotPalette::background());

  if (!audio_ || audio_->samples.empty()) {
    p.setPen(PlotPalette::frame());
    p.drawRect(plot.adjusted(0, 0, -1, -1));
    drawPlaceholder(p, plot, message_);
    return;
  }

  const double seconds = audio_->seconds();
  drawTimeAxis(p, plot, seconds, true);

  // Amplitude grid and labels at -1, -0.5, 0, 0.5, 1.
  const double midY = plot.top() + (plot.height() - 1) / 2.0;
  const double halfH = (plot.height() - 3) / 2.0;
  QFont small = p.font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  p.setFont(small);
  for (double a : {-1.0, -0.5, 0.0, 0.5, 1.0}) {
    const int y = int(std::lround(midY - a * halfH));
    p.setPen(a == 0.0 ? PlotPalette::frame() : PlotPalette::grid());
    p.drawLine(plot.left() + 1, y, plot.right() - 1, y);
    p.setPen(PlotPalette::text());
    p.drawText(QRect(0, y - 8, plot.left() - 6, 16), Qt::AlignRight | Qt::AlignVCenter,
               QString::number(a, 'g', 2));
  }

  updateEnvelope(plot.width());
  const QColor peak = PlotPalette::trace().lighter(150);
  const QColor body = PlotPalette::trace();
  for (int x = 0; x < plot.width(); ++x) {
    const auto i = std::size_t(x);
    const int px = plot.left() + x;
    p.setPen(peak);
    p.drawLine(px, int(std::lround(midY - max_[i] * halfH)), px, int(std::lround(midY - min_[i] * halfH)));
    p.setPen(body);
    p.drawLine(px, int(std::lround(midY - rms_[i] * halfH)), px, int(std::lround(midY + rms_[i] * halfH)));
  }

  if (playhead_ >= 0.0 && seconds > 0) {
    const int x = plot.left() + int(std::lround(std::min(playhead_, seconds) / seconds * (plot.width() - 1)));
    p.setPen(QPen(PlotPalette::playhead(), 2));
    p.drawLine(x, plot.top(), x, plot.bottom());
  }
  p.setPen(PlotPalette::frame());
  p.setBrush(Qt::NoBrush);
  p.drawRect(plot.adjusted(0, 0, -1, -1));
}

void WaveformView::mousePressEvent(QMouseEvent* event) {
  const QRect plot = plotRect();
  if (!audio_ || event->button() != Qt::LeftButton || plot.width() < 2) return;
  const double f = std::clamp((event->position().x() - plot.left()) / (plot.width() - 1), 0.0, 1.0);
  emit seekRequested(f * audio_->seconds());
}

}  // namespace ser
