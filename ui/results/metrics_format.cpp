#include "ui/results/metrics_format.h"

#include <cmath>

namespace ser {

double jsonNumber(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return std::nan("");
  return j[key].get<double>();
}

std::pair<double, double> jsonInterval(const nlohmann::json& j, const char* key) {
  const double nan = std::nan("");
  if (!j.is_object() || !j.contains(key)) return {nan, nan};
  const auto& v = j[key];
  if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number()) return {nan, nan};
  return {v[0].get<double>(), v[1].get<double>()};
}

const nlohmann::json& jsonObject(const nlohmann::json& j, const char* key) {
  static const nlohmann::json empty = nlohmann::json::object();
  if (!j.is_object() || !j.contains(key) || !j[key].is_object()) return empty;
  return j[key];
}

QString formatPercent(double fraction) {
  if (std::isnan(fraction)) return QStringLiteral("\u2013");
  return QString::number(100.0 * fraction, 'f', 1) + QLatin1Char('%');
}

QString formatPercentCi(double fraction, std::pair<double, double> ci) {
  QString s = formatPercent(fraction);
  if (!std::isnan(ci.first) && !std::isnan(ci.second))
    s += QStringLiteral(" [%1\u2013%2]")
             .arg(100.0 * ci.first, 0, 'f', 1)
             .arg(100.0 * ci.second, 0, 'f', 1);
  return s;
}

QColor femaleColor() { return QColor(0xd9, 0x5f, 0x02); }
QColor maleColor() { return QColor(0x1b, 0x9e, 0x77); }
QColor waColor() { return QColor(0x31, 0x68, 0xb0); }
QColor uarColor() { return QColor(0x8e, 0x44, 0xad); }
QColor warningColor() { return QColor(0xc0, 0x39, 0x2b); }

}  // namespace ser
