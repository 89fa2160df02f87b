#pragma once
// The Misclassified tab: MisclassifiedPanel's list of wrong predictions above a ClipPreview that
// shows the selected clip's waveform and spectrogram and plays it once loaded.
#include <map>
#include <string>
#include <QWidget>

#include "core/runs/run_record.h"

namespace ser {

class ClipPreview;
class MisclassifiedPanel;

class MisclassifiedView : public QWidget {
  Q_OBJECT
 public:
  explicit MisclassifiedView(QWidget* parent = nullptr);

  void setRun(const RunRecord& run);
  void clear();

  MisclassifiedPanel* list() const { return list_; }
  ClipPreview* preview() const { return preview_; }

 public slots:
  void showClip(const QString& path);  // a prediction row of the run; starts loading it

 private:
  MisclassifiedPanel* list_;
  ClipPreview* preview_;
  std::vector<std::string> labels_;
  std::map<std::string, Prediction> rows_;  // by path
  QString autoplay_;  // the clip to play once it has loaded
};

}  // namespace ser
