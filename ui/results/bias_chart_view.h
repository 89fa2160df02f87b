#pragma once
// The gender-split bias view: WA and UAR by sex with 95% intervals (box = interval, line =
// estimate), the female-minus-male WA gap with its interval, and recall per emotion by sex as
// grouped bars. Only sexes present in metrics.json appear.
#include <QWidget>

class QChartView;
class QLabel;

namespace ser {

struct RunFolder;

class BiasChartView : public QWidget {
  Q_OBJECT
 public:
  explicit BiasChartView(QWidget* parent = nullptr);
  void setRun(const RunFolder& run);

  QChartView* overallChart() const { return overall_; }
  QChartView* perEmotionChart() const { return perEmotion_; }
  QString gapText() const;

 private:
  QChartView* overall_;
  QChartView* perEmotion_;
  QLabel* gap_;
};

}  // namespace ser
