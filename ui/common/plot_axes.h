#pragma once
// Small painting helpers shared by the plot widgets, so their axes line up and look alike.
#include <QColor>
#include <QRect>
#include <QString>

class QPainter;

namespace ser {

// Margins (px) around the plot area of time-based views; equal margins keep time axes aligned.
struct PlotMargins {
  static constexpr int left = 56;
  static constexpr int right = 64;
  static constexpr int top = 8;
  static constexpr int bottom = 22;
};

struct PlotPalette {
  static QColor background() { return QColor(0xfb, 0xfb, 0xfc); }
  static QColor frame() { return QColor(0x9a, 0xa0, 0xa6); }
  static QColor grid() { return QColor(0xe3, 0xe6, 0xea); }
  static QColor text() { return QColor(0x3c, 0x40, 0x43); }
  static QColor trace() { return QColor(0x1f, 0x5f, 0x9f); }
  static QColor playhead() { return QColor(0xd9, 0x30, 0x25); }
};

// A "nice" tick step (1, 2 or 5 x 10^n) giving about `targetTicks` ticks over `span`.
double niceStep(double span, int targetTicks);

// Time ticks and labels (seconds) under `plot`, for [0, seconds]; optional vertical grid lines.
void drawTimeAxis(QPainter& p, const QRect& plot, double seconds, bool grid);

// A short label rotated 90 degrees, centred on the left margin of `plot`.
void drawVerticalLabel(QPainter& p, const QRect& plot, const QString& text);

// A centred grey message in `rect` (empty states, errors).
void drawPlaceholder(QPainter& p, const QRect& rect, const QString& text);

}  // namespace ser
