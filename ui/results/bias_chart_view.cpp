#include "ui/results/bias_chart_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QValueAxis>
#include <QVBoxLayout>
#include <cmath>

#include "core/runs/run_folder.h"
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

QString sexName(const std::string& sex) {
  if (sex == "female") return QObject::tr("Female");
  if (sex == "male") return QObject::tr("Male");
  return QString::fromStdString(sex);
}

}  // namespace

BiasChartView::BiasChartView(QWidget* parent)
    : QWidget(parent), overall_(makeView()), perEmotion_(makeView()), gap_(new QLabel) {
  auto* layout = new QVBoxLayout(this);
  auto* charts = new QHBoxLayout;
  charts->addWidget(overall_, 2);
  charts->addWidget(perEmotion_, 3);
  layout->addLayout(charts, 1);
  gap_->setWordWrap(true);
  gap_->setTextFormat(Qt::RichText);
  layout->addWidget(gap_);
}

QString BiasChartView::gapText() const { return gap_->text(); }

void BiasChartView::setRun(const RunFolder& run) {
  const auto& perSex = jsonObject(run.metrics, "per_sex");
  std::vector<std::string> sexes;
  for (const char* s : {"female", "male"})
    if (perSex.contains(s)) sexes.push_back(s);
  for (const auto& [key, value] : perSex.items())
    if (key != "female" && key != "male" && value.is_object()) sexes.push_back(key);

  QStringList categories, counts;
  for (const auto& s : sexes) {
    categories << sexName(s);
    const double n = jsonNumber(perSex[s], "n");
    if (!std::isnan(n)) counts << QStringLiteral("%1 %2").arg(sexName(s).toLower()).arg(n);
  }

  // Overall WA / UAR by sex with intervals.
  QChart* chart = overall_->chart();
  resetChart(chart, tr("Accuracy by sex (box: 95% interval, line: estimate)"));
  auto* x = new QBarCategoryAxis;
  x->append(categories);
  auto* y = percentAxis(QString());
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (auto [key, ciKey, name, color] :
       {std::tuple{"wa", "wa_ci95", tr("WA"), waColor()}, std::tuple{"uar", "uar_ci95", tr("UAR"), uarColor()}}) {
    auto* series = new QBoxPlotSeries;
    series->setName(name);
    series->setBrush(color.lighter(150));
    series->setPen(QPen(color.darker(120), 2));
    series->setBoxWidth(0.35);
    for (const auto& s : sexes) {
      const double v = jsonNumber(perSex[s], key);
      auto [lo, hi] = jsonInterval(perSex[s], ciKey);
      if (std::isnan(lo)) lo = hi = v;
      auto* set = new QBoxSet(100 * lo, 100 * lo, 100 * v, 100 * hi, 100 * hi);
      series->append(set);
    }
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
  }

  // Recall per emotion by sex.
  chart = perEmotion_->chart();
  resetChart(chart, tr("Recall per emotion by sex"));
  const auto& byClass = jsonObject(run.metrics, "per_class_by_sex");
  auto* bars = new QBarSeries;
  for (const auto& s : sexes) {
    auto* set = new QBarSet(sexName(s));
    set->setColor(s == "female" ? femaleColor() : s == "male" ? maleColor() : QColor(Qt::gray));
    set->setBorderColor(set->color());
    for (const auto& label : run.labels) {
      const double v = jsonNumber(jsonObject(byClass, label.c_str()), s.c_str());
      *set << (std::isnan(v) ? 0.0 : 100 * v);
    }
    bars->append(set);
  }
  QStringList labels;
  for (const auto& l : run.labels) labels << QString::fromStdString(l);
  auto* cx = new QBarCategoryAxis;
  cx->append(labels);
  if (labels.size() > 6) cx->setLabelsAngle(-45);
  auto* cy = percentAxis(tr("Recall"));
  chart->addAxis(cx, Qt::AlignBottom);
  chart->addAxis(cy, Qt::AlignLeft);
  chart->addSeries(bars);
  bars->attachAxis(cx);
  bars->attachAxis(cy);

  const auto& gap = run.metrics.contains("sex_gap") ? run.metrics["sex_gap"] : nlohmann::json();
  const double g = jsonNumber(gap, "female_minus_male_wa");
  if (std::isnan(g)) {
    gap_->setText(tr("Sex gap: not available (the test set does not hold both sexes)."));
  } else {
    const auto [lo, hi] = jsonInterval(gap, "ci95");
    const bool clear = !std::isnan(lo) && (lo > 0 || hi < 0);
    QString text = tr("<b>Female \u2212 male WA:</b> %1%2 points").arg(g >= 0 ? "+" : "").arg(100 * g, 0, 'f', 1);
    if (!std::isnan(lo))
      text += tr(" (95% interval %1 to %2)").arg(100 * lo, 0, 'f', 1).arg(100 * hi, 0, 'f', 1);
    text += clear ? tr(" \u2014 <span style='color:%1'><b>the interval excludes zero: a gap.</b></span>")
                        .arg(warningColor().name())
                  : tr(" \u2014 the interval includes zero: no clear gap on this test set.");
    if (!counts.isEmpty()) text += tr("<br>Test clips: %1.").arg(counts.join(QStringLiteral(", ")));
    gap_->setText(text);
  }
}

}  // namespace ser
