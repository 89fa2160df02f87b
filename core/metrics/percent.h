#pragma once
// Fractions shown as percentages, with one rounding for every place that shows them (CLI, GUI,
// PDF report, study tables, comparisons), so the same figure never reads 41.2 in one and 41.3 in
// another. Rounding is printf's (glibc rounds the exact binary value, ties to even): 0.4125 * 100
// is exactly 41.25 and shows as 41.2, where QString::number would round the tie up to 41.3.
#include <cmath>
#include <cstdio>
#include <string>

namespace ser {

// "41.2" for 0.41234 (one decimal by default, no % sign); "–" (U+2013) for NaN.
inline std::string percentNumber(double fraction, int decimals = 1) {
  if (std::isnan(fraction)) return "\xe2\x80\x93";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, 100.0 * fraction);
  return buf;
}

// "41.2%".
inline std::string percentText(double fraction, int decimals = 1) {
  return std::isnan(fraction) ? percentNumber(fraction) : percentNumber(fraction, decimals) + "%";
}

// A difference in percentage points with its sign: "+3.5", "-0.8".
inline std::string pointsNumber(double difference, int decimals = 1) {
  if (std::isnan(difference)) return "\xe2\x80\x93";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%+.*f", decimals, 100.0 * difference);
  return buf;
}

}  // namespace ser
