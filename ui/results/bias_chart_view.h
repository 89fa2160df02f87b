#pragma once
// The gender-split bias view: WA and UAR by sex, and recall per emotion by sex, each with its 95%
// speaker-bootstrap interval (box = interval, line = estimate; a bare line where the group has
// too few speakers for an interval), the chance level as a dashed line, and the female-minus-male
// WA gap with its interval. Only sexes present in the run's test set appear.
#include <QWidget>

class QChartView;
class QLabel;

namespace ser {

struct RunRecord;

class BiasChartView : public QWidget {
  Q_OBJECT
 public:
  explicit BiasChartView(QWidget* parent = nullptr);
  void setRun(const RunRecord& run);

  QChartView* overallChart() const { return overall_; }
  QChartView* perEmotionChart() const { return perEmotion_; }
  QString gapText() const;
  // Which groups have no interval (fewer speakers than an interval needs), in words.
  QString intervalNote() const;

 private:
  QChartView* overall_;
  QChartView* perEmotion_;
  QLabel* gap_;
  QLabel* note_;
};

}  // namespace ser
