#include "ui/results/bias_chart_view.h"

#include <QBarCategoryAxis>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include "core/runs/run_record.h"
#include "ui/results/metrics_format.h"

namespace ser {
namespace {

QChartView* makeView() {
  auto* view = new QChartView(new QChart);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumSize(320, 260);
  view->chart()->legend()->setAlignment(Qt::AlignBottom);
  view->chart()->setMargins(QMargins(4, 4, 4, 4));
  return view;
}

QValueAxis* percentAxis(const QString& title) {
  auto* axis = new QValueAxis;
  axis->setRange(0, 100);
  axis->setTickCount(6);
  axis->setLabelFormat(QStringLiteral("%.0f%%"));
  axis->setTitleText(title);
  return axis;
}

void resetChart(QChart* chart, const QString& title) {
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) {
    chart->removeAxis(axis);
    delete axis;
  }
  chart->setTitle(title);
}

QString sexName(Sex sex) { return sex == Sex::Female ? QObject::tr("Female") : QObject::tr("Male"); }

// A box for one estimate: the interval when there is one, else a bare line at the estimate.
QBoxSet* estimateBox(double v, const std::optional<Interval>& ci) {
  const double lo = ci ? ci->lo : v, hi = ci ? ci->hi : v;
  return new QBoxSet(100 * lo, 100 * lo, 100 * v, 100 * hi, 100 * hi);
}

QBoxPlotSeries* boxSeries(const QString& name, const QColor& color) {
  auto* series = new QBoxPlotSeries;
  series->setName(name);
  series->setBrush(color.lighter(150));
  series->setPen(QPen(color.darker(120), 2));
  series->setBoxWidth(0.5);
  return series;
}

// The chance level as a dashed horizontal line over the whole plot (its own hidden x axis).
void addChanceLine(QChart* chart, QValueAxis* y, double chance) {
  auto* hx = new QValueAxis;
  hx->setRange(0, 1);
  hx->setVisible(false);
  chart->addAxis(hx, Qt::AlignTop);
  auto* line = new QLineSeries;
  line->setName(QObject::tr("chance %1").arg(formatPercent(chance)));
  line->append(0, 100 * chance);
  line->append(1, 100 * chance);
  QPen pen(chanceColor(), 1.5, Qt::DashLine);
  line->setPen(pen);
  chart->addSeries(line);
  line->attachAxis(hx);
  line->attachAxis(y);
}

}  // namespace

BiasChartView::BiasChartView(QWidget* parent)
    : QWidget(parent), overall_(makeView()), perEmotion_(makeView()), gap_(new QLabel), note_(new QLabel) {
  auto* layout = new QVBoxLayout(this);
  auto* charts = new QHBoxLayout;
  charts->addWidget(overall_, 2);
  charts->addWidget(perEmotion_, 3);
  layout->addLayout(charts, 1);
  gap_->setWordWrap(true);
  gap_->setTextFormat(Qt::RichText);
  note_->setWordWrap(true);
  note_->setStyleSheet(QStringLiteral("QLabel { color: gray; }"));
  layout->addWidget(gap_);
  layout->addWidget(note_);
}

QString BiasChartView::gapText() const { return gap_->text(); }
QString BiasChartView::intervalNote() const { return note_->text(); }

void BiasChartView::setRun(const RunRecord& run) {
  const MetricsReport& m = run.metrics;
  std::vector<Sex> sexes;
  for (Sex s : {Sex::Female, Sex::Male})
    if (m.perSex.count(s)) sexes.push_back(s);

  QStringList categories, counts, noInterval;
  for (Sex s : sexes) {
    const GroupMetrics& g = m.perSex.at(s);
    categories << sexName(s);
    counts << tr("%1 %2 clips from %3 speakers").arg(sexName(s).toLower()).arg(g.n).arg(g.speakers);
    if (!g.waCi95)
      noInterval << (g.speakers == 1 ? tr("%1 (1 speaker)").arg(sexName(s).toLower())
                                     : tr("%1 (%2 speakers)").arg(sexName(s).toLower()).arg(g.speakers));
  }

  // Overall WA / UAR by sex with intervals.
  QChart* chart = overall_->chart();
  resetChart(chart, tr("Accuracy by sex (box: 95% interval over speakers)"));
  auto* x = new QBarCategoryAxis;
  x->setTruncateLabels(false);  // labels are never elided
  x->append(categories);
  auto* y = percentAxis(QString());
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (bool wa : {true, false}) {
    auto* series = boxSeries(wa ? tr("WA") : tr("UAR"), wa ? waColor() : uarColor());
    for (Sex s : sexes) {
      const GroupMetrics& g = m.perSex.at(s);
      series->append(wa ? estimateBox(g.wa, g.waCi95) : estimateBox(g.uar, g.uarCi95));
    }
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
  }
  addChanceLine(chart, y, m.chance());

  // Recall per emotion by sex, with intervals.
  chart = perEmotion_->chart();
  resetChart(chart, tr("Recall per emotion by sex (box: 95% interval over speakers)"));
  QStringList labels;
  for (const auto& l : run.labels()) labels << QString::fromStdString(l);
  auto* cx = new QBarCategoryAxis;
  cx->setTruncateLabels(false);  // labels are never elided
  cx->append(labels);
  if (labels.size() > 6) cx->setLabelsAngle(-45);
  auto* cy = percentAxis(tr("Recall"));
  chart->addAxis(cx, Qt::AlignBottom);
  chart->addAxis(cy, Qt::AlignLeft);
  bool someClassWithout = false;
  for (Sex s : sexes) {
    auto* series = boxSeries(sexName(s), s == Sex::Female ? femaleColor() : maleColor());
    for (std::size_t c = 0; c < m.labels.size(); ++c) {
      const auto it = c < m.perClassBySex.size() ? m.perClassBySex[c].find(s) : m.perClassBySex.front().end();
      if (c >= m.perClassBySex.size() || it == m.perClassBySex[c].end() || !it->second) {
        series->append(new QBoxSet(0, 0, 0, 0, 0));  // no clips of this class for this sex
        continue;
      }
      const ClassRecall& cr = *it->second;
      if (!cr.ci95) someClassWithout = true;
      series->append(estimateBox(cr.recall, cr.ci95));
    }
    chart->addSeries(series);
    series->attachAxis(cx);
    series->attachAxis(cy);
  }
  addChanceLine(chart, cy, m.chance());

  QStringList notes;
  if (!noInterval.isEmpty())
    notes << tr("No interval for %1: fewer than %2 speakers, and the clips of one speaker are not "
                "independent, so a tight interval would mislead.")
                 .arg(noInterval.join(QStringLiteral(", ")))
                 .arg(MetricsReportOptions{}.minSpeakersForInterval);
  else if (someClassWithout)
    notes << tr("Emotions shown as a bare line have fewer than %1 speakers of that sex: no interval.")
                 .arg(MetricsReportOptions{}.minSpeakersForInterval);
  note_->setText(notes.join(QLatin1Char(' ')));
  note_->setVisible(!notes.isEmpty());

  if (!m.sexGap) {
    gap_->setText(tr("Sex gap: not available (the test set does not hold both sexes)."));
    return;
  }
  const double g = m.sexGap->femaleMinusMaleWa;
  QString text = tr("<b>Female \u2212 male WA:</b> %1 points").arg(pointsText(g));
  if (const auto& ci = m.sexGap->ci95) {
    const bool clear = ci->lo > 0 || ci->hi < 0;
    text += tr(" (95% interval over speakers %1 to %2)").arg(percentNumberText(ci->lo), percentNumberText(ci->hi));
    text += clear ? tr(" \u2014 <span style='color:%1'><b>the interval excludes zero: a gap.</b></span>")
                        .arg(warningColor().name())
                  : tr(" \u2014 the interval includes zero: no clear gap on this test set.");
  } else {
    text += tr(" \u2014 too few speakers of one sex for an interval: not evidence of a gap either way.");
  }
  if (!counts.isEmpty()) text += tr("<br>Test set: %1.").arg(counts.join(QStringLiteral(", ")));
  gap_->setText(text);
}

}  // namespace ser
