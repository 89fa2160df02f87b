#pragma once
// The clip map of a run: its test clips embedded by the run's network and projected (PCA or
// t-SNE; computed in the background with progress, cached in the run folder), coloured by true
// or predicted emotion, correct/wrong, speaker, sex or corpus. Hovering a dot names the clip;
// clicking plays it and shows its spectrogram; a rectangle selects clips into the shared
// ClipSelection, which the clip table beside the map (and the confusion matrix and the
// Misclassified list) follow.
#include <QPointer>
#include <QWidget>
#include <memory>
#include <vector>

#include "core/pipeline/clip_map.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace ser {

class BackgroundJob;
class ClipMapView;
class ClipPreview;
class ClipSelection;

class ClipMapPanel : public QWidget {
  Q_OBJECT
 public:
  enum class ColourBy { TrueEmotion, Predicted, Correct, Speaker, Sex, Corpus };

  explicit ClipMapPanel(QWidget* parent = nullptr);
  ~ClipMapPanel() override;

  // The run to map; computed when the panel is shown (or at once when it is visible).
  void setRun(const RunRecord& run);
  void clear();
  // Shows an already computed map (the run's, or one read elsewhere).
  void setMap(const ClipMap& map);
  // Follows and writes `selection` (not owned; may be null).
  void setSelection(ClipSelection* selection);

  void setColourBy(ColourBy by);
  void setMethod(ProjectionMethod method);  // recomputes (from the cache when there)
  // Starts computing the current run's map unless it is shown or being computed.
  void compute();

  const ClipMap& map() const { return map_; }
  bool isComputing() const { return !job_.isNull(); }
  ClipMapView* view() const { return view_; }
  QTableWidget* table() const { return table_; }
  ClipPreview* preview() const { return preview_; }
  QLabel* status() const { return status_; }

 signals:
  void mapReady();
  void statusMessage(const QString& message);

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void recolour();
  void followSelection();
  void fillTable();
  void playPoint(int index);

  QComboBox* colourBy_;
  QComboBox* method_;
  QLabel* status_;
  QProgressBar* progress_;
  QPushButton* cancel_;
  ClipMapView* view_;
  QTableWidget* table_;
  ClipPreview* preview_;
  ClipSelection* selection_ = nullptr;
  QPointer<BackgroundJob> job_;
  std::unique_ptr<RunRecord> run_;
  ClipMap map_;
  bool mapIsCurrent_ = false;  // map_ belongs to run_ and the chosen method
  QString autoplay_;
};

}  // namespace ser
