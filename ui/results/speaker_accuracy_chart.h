#pragma once
// Test accuracy (WA) per speaker as bars coloured by the speaker's sex, with the overall WA as a
// reference line in the title. Speakers in natural order (Actor_2 before Actor_10).
#include <QChartView>

namespace ser {

struct RunFolder;

class SpeakerAccuracyChart : public QChartView {
  Q_OBJECT
 public:
  explicit SpeakerAccuracyChart(QWidget* parent = nullptr);
  void setRun(const RunFolder& run);
  QStringList speakers() const { return speakers_; }

 private:
  QStringList speakers_;
};

}  // namespace ser
