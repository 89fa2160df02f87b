#include "ui/results/speaker_accuracy_chart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCollator>
#include <QStackedBarSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>

#include "core/runs/run_folder.h"
#include "ui/results/metrics_format.h"

namespace ser {

SpeakerAccuracyChart::SpeakerAccuracyChart(QWidget* parent) : QChartView(new QChart, parent) {
  setRenderHint(QPainter::Antialiasing);
  setMinimumSize(320, 240);
  chart()->legend()->setAlignment(Qt::AlignBottom);
  chart()->setMargins(QMargins(4, 4, 4, 4));
}

void SpeakerAccuracyChart::setRun(const RunFolder& run) {
  QChart* c = chart();
  c->removeAllSeries();
  for (QAbstractAxis* axis : c->axes()) {
    c->removeAxis(axis);
    delete axis;
  }
  c->setTitle(tr("Accuracy per test speaker (overall WA %1)").arg(formatPercent(jsonNumber(run.metrics, "wa"))));

  std::map<std::string, std::string> sexOf;
  for (const auto& p : run.predictions)
    if (!p.speaker.empty()) sexOf[p.speaker] = p.sex;

  const auto& perSpeaker = jsonObject(run.metrics, "per_speaker");
  speakers_.clear();
  for (const auto& [name, _] : perSpeaker.items()) speakers_ << QString::fromStdString(name);
  QCollator collator;
  collator.setNumericMode(true);
  std::sort(speakers_.begin(), speakers_.end(), collator);

  // One stacked set per sex: each speaker has a value in exactly one, so bars are coloured by sex
  // without the side-by-side offsets of a grouped series.
  auto* female = new QBarSet(tr("Female"));
  auto* male = new QBarSet(tr("Male"));
  auto* unknown = new QBarSet(tr("Sex unknown"));
  female->setColor(femaleColor());
  male->setColor(maleColor());
  unknown->setColor(Qt::gray);
  for (QBarSet* s : {female, male, unknown}) s->setBorderColor(s->color());
  for (const QString& sp : speakers_) {
    const auto& entry = perSpeaker[sp.toStdString()];
    const double wa = jsonNumber(entry, "wa");
    const double v = std::isnan(wa) ? 0.0 : 100 * wa;
    const std::string sex = sexOf.count(sp.toStdString()) ? sexOf[sp.toStdString()] : "";
    *female << (sex == "female" ? v : 0.0);
    *male << (sex == "male" ? v : 0.0);
    *unknown << (sex != "female" && sex != "male" ? v : 0.0);
  }
  auto* series = new QStackedBarSeries;
  series->setBarWidth(0.7);
  for (QBarSet* s : {female, male, unknown}) {
    if (s->sum() > 0)
      series->append(s);
    else
      delete s;
  }
  auto* x = new QBarCategoryAxis;
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
}

}  // namespace ser
