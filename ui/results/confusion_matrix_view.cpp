#include "ui/results/confusion_matrix_view.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "ui/results/metrics_format.h"

namespace ser {
namespace {

constexpr int kMargin = 8;
constexpr int kTitle = 18;  // room for the "Predicted" / "True" axis titles

// White -> deep blue sequential scale.
QColor shade(double t) {
  t = std::clamp(t, 0.0, 1.0);
  const QColor lo(0xf7, 0xfb, 0xff), hi(0x08, 0x30, 0x6b);
  auto mix = [t](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * t)); };
  return QColor(mix(lo.red(), hi.red()), mix(lo.green(), hi.green()), mix(lo.blue(), hi.blue()));
}

}  // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setBackgroundRole(QPalette::Base);
  setAutoFillBackground(true);
}

void ConfusionMatrixView::setMatrix(const QStringList& labels,
                                    const std::vector<std::vector<double>>& counts) {
  selected_.clear();
  labels_ = labels;
  counts_ = counts;
  counts_.resize(labels.size());
  for (auto& row : counts_) row.resize(labels.size(), 0.0);
  hover_ = {-1, -1};
  updateGeometry();
  update();
}

void ConfusionMatrixView::clear() { setMatrix({}, {}); }

void ConfusionMatrixView::setNormalized(bool normalized) {
  if (normalized_ == normalized) return;
  normalized_ = normalized;
  update();
}

double ConfusionMatrixView::rowShare(int row, int col) const {
  double total = 0.0;
  for (double v : counts_[row]) total += v;
  return total > 0 ? counts_[row][col] / total : 0.0;
}

QString ConfusionMatrixView::cellText(int row, int col) const {
  if (normalized_) return percentNumberText(rowShare(row, col), 0) + QLatin1Char('%');
  return QString::number(counts_[row][col], 'g', 10);
}

int ConfusionMatrixView::labelColumnWidth() const {
  int w = 0;
  for (const auto& l : labels_) w = std::max(w, fontMetrics().horizontalAdvance(l));
  return w + 10;
}

int ConfusionMatrixView::labelRowHeight() const {
  // Column labels are drawn horizontally when they fit, else rotated: reserve for the worst case.
  int w = 0;
  for (const auto& l : labels_) w = std::max(w, fontMetrics().horizontalAdvance(l));
  const int n = std::max<int>(1, static_cast<int>(labels_.size()));
  const int available = (width() - 2 * kMargin - kTitle - labelColumnWidth()) / n;
  return w + 8 <= available ? fontMetrics().height() + 6 : w + 8;
}

QRect ConfusionMatrixView::gridRect() const {
  const int left = kMargin + kTitle + labelColumnWidth();
  const int top = kMargin + kTitle + labelRowHeight();
  const int n = static_cast<int>(labels_.size());
  if (n == 0) return {};
  const int side = std::max(0, std::min(width() - left - kMargin, height() - top - kMargin));
  const int cell = side / n;
  return QRect(left, top, cell * n, cell * n);
}

QRect ConfusionMatrixView::cellRect(int row, int col) const {
  const QRect g = gridRect();
  const int n = static_cast<int>(labels_.size());
  if (n == 0) return {};
  const int cell = g.width() / n;
  return QRect(g.left() + col * cell, g.top() + row * cell, cell, cell);
}

std::pair<int, int> ConfusionMatrixView::cellAt(const QPoint& pos) const {
  const QRect g = gridRect();
  if (labels_.isEmpty() || !g.contains(pos)) return {-1, -1};
  const int cell = g.width() / static_cast<int>(labels_.size());
  return {(pos.y() - g.top()) / cell, (pos.x() - g.left()) / cell};
}

QSize ConfusionMatrixView::sizeHint() const {
  const int n = std::max<int>(2, static_cast<int>(labels_.size()));
  const int extra = 2 * kMargin + kTitle + labelColumnWidth();
  return {extra + n * 64, extra + n * 64};
}

void ConfusionMatrixView::setSelectionCounts(const std::vector<std::vector<int>>& counts) {
  selected_ = counts;
  update();
}

int ConfusionMatrixView::selectionCount(int row, int col) const {
  if (row < 0 || col < 0 || std::size_t(row) >= selected_.size() ||
      std::size_t(col) >= selected_[std::size_t(row)].size())
    return 0;
  return selected_[std::size_t(row)][std::size_t(col)];
}

void ConfusionMatrixView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing, false);
  const int n = static_cast<int>(labels_.size());
  if (n == 0) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(rect(), Qt::AlignCenter, tr("No run loaded"));
    return;
  }
  const QRect g = gridRect();
  const int cell = g.width() / n;
  if (cell <= 0) return;

  QFont cellFont = font();
  cellFont.setPointSizeF(std::clamp(cell / 4.5, 6.0, font().pointSizeF() * 1.3));
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const QRect cr = cellRect(r, c);
      const double share = rowShare(r, c);
      p.fillRect(cr, shade(share));
      p.setPen(share > 0.5 ? Qt::white : QColor(0x20, 0x20, 0x20));
      p.setFont(cellFont);
      if (cell >= 14) p.drawText(cr, Qt::AlignCenter, cellText(r, c));
    }
  p.setFont(font());

  // Grid lines, the diagonal outlined, hover outline.
  p.setPen(QPen(QColor(0xd0, 0xd0, 0xd0), 1));
  for (int i = 0; i <= n; ++i) {
    p.drawLine(g.left(), g.top() + i * cell, g.left() + n * cell, g.top() + i * cell);
    p.drawLine(g.left() + i * cell, g.top(), g.left() + i * cell, g.top() + n * cell);
  }
  for (int r = 0; r < n && std::size_t(r) < selected_.size(); ++r)
    for (int c = 0; c < n && std::size_t(c) < selected_[std::size_t(r)].size(); ++c) {
      const int k = selected_[std::size_t(r)][std::size_t(c)];
      if (k <= 0) continue;
      const QRect cr = cellRect(r, c);
      p.setPen(QPen(QColor(0x1f, 0x5f, 0xd0), 3));
      p.drawRect(cr.adjusted(2, 2, -2, -2));
      if (cell >= 28) {
        QFont small = font();
        small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.75));
        p.setFont(small);
        p.drawText(cr.adjusted(4, 3, -4, -3), Qt::AlignRight | Qt::AlignTop, QString::number(k));
        p.setFont(font());
      }
    }
  if (hover_.first >= 0) {
    p.setPen(QPen(QColor(0xff, 0xa5, 0x00), 2));
    p.drawRect(cellRect(hover_.first, hover_.second).adjusted(1, 1, -1, -1));
  }

  // Axis labels: rows on the left (true), columns on top (predicted).
  p.setPen(palette().color(QPalette::WindowText));
  const QFontMetrics fm = fontMetrics();
  const int labelW = labelColumnWidth();
  for (int r = 0; r < n; ++r)
    p.drawText(QRect(g.left() - labelW, g.top() + r * cell, labelW - 6, cell),
               Qt::AlignRight | Qt::AlignVCenter, labels_[r]);
  const bool rotated = labelRowHeight() > fm.height() + 6;
  for (int c = 0; c < n; ++c) {
    if (!rotated) {
      p.drawText(QRect(g.left() + c * cell, g.top() - fm.height() - 6, cell, fm.height() + 4),
                 Qt::AlignCenter, labels_[c]);
    } else {
      p.save();
      p.translate(g.left() + c * cell + cell / 2 + fm.ascent() / 2, g.top() - 4);
      p.rotate(-90);
      p.drawText(0, 0, labels_[c]);
      p.restore();
    }
  }
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  const int colLabelsTop = g.top() - labelRowHeight();
  p.drawText(QRect(g.left(), colLabelsTop - kTitle, g.width(), kTitle), Qt::AlignCenter,
             tr("Predicted"));
  p.save();
  p.translate(kMargin + fontMetrics().ascent(), g.center().y());
  p.rotate(-90);
  p.drawText(QRect(-g.height() / 2, -fontMetrics().ascent(), g.height(), kTitle), Qt::AlignHCenter,
             tr("True"));
  p.restore();
}

void ConfusionMatrixView::mouseMoveEvent(QMouseEvent* event) {
  const auto cell = cellAt(event->position().toPoint());
  if (cell != hover_) {
    hover_ = cell;
    setCursor(cell.first >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
    update();
  }
}

void ConfusionMatrixView::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  const auto [r, c] = cellAt(event->position().toPoint());
  if (r >= 0) emit cellClicked(labels_[r], labels_[c]);
}

void ConfusionMatrixView::leaveEvent(QEvent*) {
  hover_ = {-1, -1};
  update();
}

bool ConfusionMatrixView::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const auto [r, c] = cellAt(help->pos());
    if (r >= 0)
      QToolTip::showText(help->globalPos(),
                         tr("True %1, predicted %2: %3 clips (%4% of %1)")
                             .arg(labels_[r], labels_[c])
                             .arg(counts_[r][c], 0, 'g', 10)
                             .arg(percentNumberText(rowShare(r, c))),
                         this);
    else
      QToolTip::hideText();
    return true;
  }
  return QWidget::event(event);
}

}  // namespace ser
