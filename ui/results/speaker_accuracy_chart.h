#pragma once
// Test accuracy (WA) per speaker, coloured by the speaker's sex, each with the Wilson 95% interval
// over that speaker's clips (box = interval, line = estimate), and the chance level as a dashed
// line. Speakers in natural order (Actor_2 before Actor_10).
#include <QChartView>

namespace ser {

struct RunRecord;

class SpeakerAccuracyChart : public QChartView {
  Q_OBJECT
 public:
  explicit SpeakerAccuracyChart(QWidget* parent = nullptr);
  void setRun(const RunRecord& run);
  QStringList speakers() const { return speakers_; }

 private:
  QStringList speakers_;
};

}  // namespace ser
