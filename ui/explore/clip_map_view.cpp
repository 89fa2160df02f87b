#include "ui/explore/clip_map_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace ser {

namespace {
constexpr int kMargin = 14;
constexpr int kLegendWidth = 170;
constexpr double kRadius = 4.0;
}  // namespace

ClipMapView::ClipMapView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setAutoFillBackground(true);
  QPalette pal = palette();
  pal.setColor(QPalette::Window, Qt::white);
  setPalette(pal);
}

QColor ClipMapView::categoryColor(int category, int count) {
  // Tableau 10, then evenly spread hues for more categories.
  static const QColor tableau[] = {{0x4e, 0x79, 0xa7}, {0xf2, 0x8e, 0x2b}, {0xe1, 0x57, 0x59},
                                   {0x76, 0xb7, 0xb2}, {0x59, 0xa1, 0x4f}, {0xed, 0xc9, 0x48},
                                   {0xb0, 0x7a, 0xa1}, {0xff, 0x9d, 0xa7}, {0x9c, 0x75, 0x5f},
                                   {0xba, 0xb0, 0xac}};
  if (category < 0) return QColor(0x99, 0x99, 0x99);
  if (count <= 10) return tableau[category % 10];
  return QColor::fromHsvF(std::fmod(category * 0.618033988749895, 1.0), 0.65, 0.85);
}

void ClipMapView::setPoints(const std::vector<QPointF>& points, const std::vector<int>& categories,
                            const QStringList& names, const QStringList& tooltips) {
  points_ = points;
  categories_ = categories;
  categories_.resize(points_.size(), -1);
  names_ = names;
  tooltips_ = tooltips;
  highlighted_.assign(points_.size(), false);
  anyHighlighted_ = false;
  hover_ = -1;
  updateRange();
  update();
}

void ClipMapView::setCategories(const std::vector<int>& categories, const QStringList& names) {
  categories_ = categories;
  categories_.resize(points_.size(), -1);
  names_ = names;
  update();
}

void ClipMapView::setHighlighted(const std::vector<bool>& flags) {
  highlighted_ = flags;
  highlighted_.resize(points_.size(), false);
  anyHighlighted_ = std::find(highlighted_.begin(), highlighted_.end(), true) != highlighted_.end();
  update();
}

void ClipMapView::clear() { setPoints({}, {}, {}, {}); }

bool ClipMapView::isHighlighted(int i) const {
  return i >= 0 && std::size_t(i) < highlighted_.size() && highlighted_[std::size_t(i)];
}

void ClipMapView::updateRange() {
  if (points_.empty()) {
    minX_ = minY_ = 0;
    maxX_ = maxY_ = 1;
    return;
  }
  minX_ = maxX_ = points_.front().x();
  minY_ = maxY_ = points_.front().y();
  for (const QPointF& p : points_) {
    minX_ = std::min(minX_, p.x());
    maxX_ = std::max(maxX_, p.x());
    minY_ = std::min(minY_, p.y());
    maxY_ = std::max(maxY_, p.y());
  }
  const double padX = std::max((maxX_ - minX_) * 0.04, 1e-9), padY = std::max((maxY_ - minY_) * 0.04, 1e-9);
  minX_ -= padX;
  maxX_ += padX;
  minY_ -= padY;
  maxY_ += padY;
}

QRect ClipMapView::plotRect() const {
  return rect().adjusted(kMargin, kMargin, -kMargin - kLegendWidth, -kMargin);
}

QPointF ClipMapView::widgetPos(int i) const {
  const QRect r = plotRect();
  const QPointF& p = points_[std::size_t(i)];
  return {r.left() + (p.x() - minX_) / (maxX_ - minX_) * r.width(),
          r.bottom() - (p.y() - minY_) / (maxY_ - minY_) * r.height()};
}

int ClipMapView::pointAt(const QPoint& pos, int radius) const {
  int best = -1;
  double bestD = double(radius) * radius;
  for (int i = 0; i < pointCount(); ++i) {
    const QPointF d = widgetPos(i) - QPointF(pos);
    const double d2 = d.x() * d.x() + d.y() * d.y();
    if (d2 <= bestD) {
      bestD = d2;
      best = i;
    }
  }
  return best;
}

std::vector<int> ClipMapView::pointsIn(const QRect& widgetRect) const {
  const QRectF r = QRectF(widgetRect).normalized();
  std::vector<int> out;
  for (int i = 0; i < pointCount(); ++i) {
    const QPointF p = widgetPos(i);
    if (p.x() >= r.left() && p.x() <= r.right() && p.y() >= r.top() && p.y() <= r.bottom()) out.push_back(i);
  }
  return out;
}

void ClipMapView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing, true);
  const QRect plot = plotRect();
  p.setPen(QPen(QColor(0xd8, 0xd8, 0xd8), 1));
  p.drawRect(plot);
  if (points_.empty()) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(plot, Qt::AlignCenter | Qt::TextWordWrap, tr("No clip map"));
    return;
  }
  const int n = int(names_.size());
  auto drawDot = [&](int i, bool strong) {
    QColor c = categoryColor(categories_[std::size_t(i)], n);
    if (!strong) c.setAlpha(55);
    p.setBrush(c);
    p.setPen(strong && anyHighlighted_ ? QPen(QColor(0x20, 0x20, 0x20), 1.2) : QPen(c.darker(130), 0.6));
    p.drawEllipse(widgetPos(i), kRadius, kRadius);
  };
  for (int i = 0; i < pointCount(); ++i)
    if (!isHighlighted(i)) drawDot(i, !anyHighlighted_);
  for (int i = 0; i < pointCount(); ++i)
    if (isHighlighted(i)) drawDot(i, true);
  if (hover_ >= 0 && hover_ < pointCount()) {
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(QColor(0xff, 0xa5, 0x00), 2));
    p.drawEllipse(widgetPos(hover_), kRadius + 3, kRadius + 3);
  }
  if (dragging_) {
    p.setBrush(QColor(0x1f, 0x5f, 0xd0, 30));
    p.setPen(QPen(QColor(0x1f, 0x5f, 0xd0), 1, Qt::DashLine));
    p.drawRect(band_.normalized());
  }

  // Legend: one swatch per category, with its number of points.
  std::vector<int> counts(std::size_t(std::max(n, 0)), 0);
  for (int c : categories_)
    if (c >= 0 && c < n) ++counts[std::size_t(c)];
  const QFontMetrics fm = fontMetrics();
  int y = plot.top();
  const int x = plot.right() + 12;
  const int maxRows = std::max(1, (height() - 2 * kMargin) / (fm.height() + 2));
  for (int c = 0; c < n && c < maxRows; ++c) {
    p.setPen(Qt::NoPen);
    p.setBrush(categoryColor(c, n));
    p.drawEllipse(QPointF(x + 5, y + fm.height() / 2.0), 5, 5);
    p.setPen(QColor(0x20, 0x20, 0x20));
    const QString text = fm.elidedText(QStringLiteral("%1 (%2)").arg(names_[c]).arg(counts[std::size_t(c)]),
                                       Qt::ElideMiddle, kLegendWidth - 22);
    p.drawText(QRect(x + 14, y, kLegendWidth - 16, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, text);
    y += fm.height() + 2;
  }
  if (n > maxRows) p.drawText(QRect(x, y, kLegendWidth, fm.height()), Qt::AlignLeft, tr("... %1 more").arg(n - maxRows));
}

void ClipMapView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  pressed_ = true;
  dragging_ = false;
  pressPos_ = event->position().toPoint();
  band_ = QRect(pressPos_, pressPos_);
}

void ClipMapView::mouseMoveEvent(QMouseEvent* event) {
  const QPoint pos = event->position().toPoint();
  if (pressed_) {
    if (!dragging_ && (pos - pressPos_).manhattanLength() > 4) dragging_ = true;
    if (dragging_) {
      band_ = QRect(pressPos_, pos);
      update();
    }
    return;
  }
  const int i = pointAt(pos);
  if (i != hover_) {
    hover_ = i;
    update();
    emit pointHovered(i);
  }
  if (i >= 0 && i < tooltips_.size())
    QToolTip::showText(event->globalPosition().toPoint(), tooltips_[i], this);
  else
    QToolTip::hideText();
}

void ClipMapView::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || !pressed_) return;
  pressed_ = false;
  const QPoint pos = event->position().toPoint();
  if (dragging_) {
    dragging_ = false;
    band_ = QRect(pressPos_, pos);
    update();
    emit rectangleSelected(pointsIn(band_));
    return;
  }
  const int i = pointAt(pos);
  if (i >= 0)
    emit pointClicked(i);
  else
    emit rectangleSelected({});
}

void ClipMapView::leaveEvent(QEvent*) {
  if (hover_ >= 0) {
    hover_ = -1;
    update();
    emit pointHovered(-1);
  }
}

}  // namespace ser
