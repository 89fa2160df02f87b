#include "ui/results/metrics_format.h"

#include <cmath>

#include <QObject>

#include "core/metrics/percent.h"

namespace ser {

QString formatPercent(double fraction) { return QString::fromStdString(percentText(fraction)); }

QString percentNumberText(double fraction, int decimals) {
  return QString::fromStdString(percentNumber(fraction, decimals));
}

QString pointsText(double difference, int decimals) {
  return QString::fromStdString(pointsNumber(difference, decimals));
}

QString formatPercentCi(double fraction, const std::optional<Interval>& ci,
                        std::optional<std::size_t> speakers) {
  QString s = formatPercent(fraction);
  if (ci)
    s += QStringLiteral(" [%1\u2013%2]").arg(percentNumberText(ci->lo), percentNumberText(ci->hi));
  else if (speakers)
    s += *speakers == 1 ? QObject::tr(" (1 speaker: no interval)")
                        : QObject::tr(" (%1 speakers: no interval)").arg(*speakers);
  return s;
}

QString recallBySexText(const MetricsReport& m, std::size_t c, Sex sex) {
  if (c >= m.perClassBySex.size()) return QStringLiteral("\u2013");
  const auto it = m.perClassBySex[c].find(sex);
  if (it == m.perClassBySex[c].end() || !it->second) return QStringLiteral("\u2013");
  return formatPercentCi(it->second->recall, it->second->ci95, it->second->speakers);
}

QColor femaleColor() { return QColor(0xd9, 0x5f, 0x02); }
QColor maleColor() { return QColor(0x1b, 0x9e, 0x77); }
QColor waColor() { return QColor(0x31, 0x68, 0xb0); }
QColor uarColor() { return QColor(0x8e, 0x44, 0xad); }
QColor warningColor() { return QColor(0xc0, 0x39, 0x2b); }
QColor chanceColor() { return QColor(0x55, 0x55, 0x55); }

}  // namespace ser
