#pragma once
// Reading numbers out of metrics.json for display: missing or null values become NaN and show as
// an en dash, so a run folder from an older CLI still opens.
#include <QColor>
#include <QString>

#include <nlohmann/json.hpp>

namespace ser {

// j[key] as a number, NaN when absent, null or not a number.
double jsonNumber(const nlohmann::json& j, const char* key);
// j[key] as a [lo, hi] pair; both NaN when absent or malformed.
std::pair<double, double> jsonInterval(const nlohmann::json& j, const char* key);
// j[key] when it is an object, else a shared empty object.
const nlohmann::json& jsonObject(const nlohmann::json& j, const char* key);

// A fraction as a percentage with one decimal ("75.0%"); "–" for NaN.
QString formatPercent(double fraction);
// "75.0% [58.3–91.7]"; the interval is left out when NaN.
QString formatPercentCi(double fraction, std::pair<double, double> ci);

// Colours shared by every chart so a sex, or a metric, has one colour across the panels.
QColor femaleColor();
QColor maleColor();
QColor waColor();
QColor uarColor();
QColor warningColor();  // the speaker-leakage / synthetic banners

}  // namespace ser
