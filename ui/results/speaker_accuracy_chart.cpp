#include "ui/results/speaker_accuracy_chart.h"

#include <QBarCategoryAxis>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QCollator>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>
#include <map>

#include "core/runs/run_record.h"
#include "ui/results/metrics_format.h"

namespace ser {

SpeakerAccuracyChart::SpeakerAccuracyChart(QWidget* parent) : QChartView(new QChart, parent) {
  setRenderHint(QPainter::Antialiasing);
  setMinimumSize(320, 240);
  chart()->legend()->setAlignment(Qt::AlignBottom);
  chart()->setMargins(QMargins(4, 4, 4, 4));
}

void SpeakerAccuracyChart::setRun(const RunRecord& run) {
  QChart* c = chart();
  c->removeAllSeries();
  for (QAbstractAxis* axis : c->axes()) {
    c->removeAxis(axis);
    delete axis;
  }
  const MetricsReport& m = run.metrics;
  c->setTitle(tr("Accuracy per test speaker (overall WA %1; box: 95% interval over the "
                 "speaker's clips; colour: female, male, unknown)")
                  .arg(formatPercent(m.overall.wa)));

  std::map<std::string, Sex> sexOf;
  for (const auto& p : run.predictions)
    if (!p.speaker.empty()) sexOf[p.speaker] = p.sex;

  speakers_.clear();
  for (const auto& [name, _] : m.perSpeaker) speakers_ << QString::fromStdString(name);
  QCollator collator;
  collator.setNumericMode(true);
  std::sort(speakers_.begin(), speakers_.end(), collator);

  auto* series = new QBoxPlotSeries;
  series->setName(tr("WA per speaker"));
  series->setBoxWidth(0.6);
  for (const QString& sp : speakers_) {
    const GroupMetrics& g = m.perSpeaker.at(sp.toStdString());
    const Sex sex = sexOf.count(sp.toStdString()) ? sexOf[sp.toStdString()] : Sex::Unknown;
    const QColor color = sex == Sex::Female ? femaleColor() : sex == Sex::Male ? maleColor() : QColor(Qt::gray);
    const double lo = g.waCi95 ? g.waCi95->lo : g.wa, hi = g.waCi95 ? g.waCi95->hi : g.wa;
    auto* set = new QBoxSet(100 * lo, 100 * lo, 100 * g.wa, 100 * hi, 100 * hi, sp);
    set->setBrush(color.lighter(140));
    set->setPen(QPen(color.darker(120), 2));
    series->append(set);
  }
  auto* x = new QBarCategoryAxis;
  x->setTruncateLabels(false);  // labels are never elided
  x->append(speakers_);
  if (speakers_.size() > 10) x->setLabelsAngle(-90);
  auto* y = new QValueAxis;
  y->setRange(0, 100);
  y->setTickCount(6);
  y->setLabelFormat(QStringLiteral("%.0f%%"));
  y->setTitleText(tr("WA"));
  c->addAxis(x, Qt::AlignBottom);
  c->addAxis(y, Qt::AlignLeft);
  c->addSeries(series);
  series->attachAxis(x);
  series->attachAxis(y);

  auto* hx = new QValueAxis;
  hx->setRange(0, 1);
  hx->setVisible(false);
  c->addAxis(hx, Qt::AlignTop);
  auto* chance = new QLineSeries;
  chance->setName(tr("chance %1").arg(formatPercent(m.chance())));
  chance->append(0, 100 * m.chance());
  chance->append(1, 100 * m.chance());
  chance->setPen(QPen(chanceColor(), 1.5, Qt::DashLine));
  c->addSeries(chance);
  chance->attachAxis(hx);
  chance->attachAxis(y);
}

}  // namespace ser
