#pragma once
// Formatting figures of the run record for display, and the colours every chart shares.
#include <cstddef>
#include <optional>

#include <QColor>
#include <QString>

#include "core/corpus/clip.h"
#include "core/metrics/bootstrap.h"
#include "core/metrics/metrics_report.h"

namespace ser {

// A fraction as a percentage with one decimal ("75.0%"); "–" for NaN. Rounded as everywhere
// else (core/metrics/percent.h), so GUI, CLI and report show the same digits.
QString formatPercent(double fraction);
// The number alone, "75.0" (decimals as given), and a signed difference in points, "+3.5".
QString percentNumberText(double fraction, int decimals = 1);
QString pointsText(double difference, int decimals = 1);
// "75.0% [58.3–91.7]"; without an interval: "75.0% (2 speakers: no interval)" when `speakers`
// is given and below what an interval needs, else just the percentage.
QString formatPercentCi(double fraction, const std::optional<Interval>& ci,
                        std::optional<std::size_t> speakers = std::nullopt);
// The recall of class `c` on one sex's clips, as formatPercentCi with that sex's speakers of the
// class; "–" when that sex has no clips of it. The per-class tables of the GUI and the report.
QString recallBySexText(const MetricsReport& m, std::size_t c, Sex sex);

// Colours shared by every chart so a sex, or a metric, has one colour across the panels.
QColor femaleColor();
QColor maleColor();
QColor waColor();
QColor uarColor();
QColor warningColor();  // the speaker-leakage / synthetic banners
QColor chanceColor();   // the chance-level line on bar charts

}  // namespace ser
