#pragma once
// Try the model on new speech: audio files or folders (dropped on the window, or File > Predict
// files...) are predicted in the background with a checkpoint (the open run's by default). One
// row per file: the predicted emotion and every class probability drawn as a bar; a file that
// cannot be read gets a row with the reason. Selecting a row plays the file and shows its
// spectrogram. The table exports as CSV.
#include <QPointer>
#include <QStringList>
#include <QWidget>
#include <string>
#include <vector>

#include "core/pipeline/experiment_runner.h"

class QLabel;
class QCheckBox;
class QPushButton;
class QTableWidget;

namespace ser {

class BackgroundJob;
class ClipPreview;

class PredictFilesPanel : public QWidget {
  Q_OBJECT
 public:
  explicit PredictFilesPanel(QWidget* parent = nullptr);
  ~PredictFilesPanel() override;

  // The model (best.ckpt, last.ckpt or model.svm). A model with other labels clears the table.
  void setCheckpoint(const QString& path);
  QString checkpoint() const { return checkpoint_; }

  // Files, and folders searched recursively for audio files; predicted in the background.
  void addFiles(const QStringList& pathsOrFolders);
  void clearRows();
  // Writes path, predicted, p_<label>..., error. Returns false with `error` set when it cannot.
  bool exportCsv(const QString& path, QString* error = nullptr) const;

  bool isBusy() const { return !job_.isNull() || !pending_.isEmpty(); }
  const std::vector<ClipPrediction>& predictions() const { return rows_; }
  const std::vector<std::string>& labels() const { return labels_; }
  QTableWidget* table() const { return table_; }
  // "Files are one speaker": the files added from now on are normalised together, as evaluate
  // normalises a speaker (PredictOptions::oneSpeaker); otherwise each is an unknown speaker's clip.
  QCheckBox* oneSpeakerBox() const { return oneSpeaker_; }
  ClipPreview* preview() const { return preview_; }

  // Audio file name patterns searched in folders.
  static QStringList audioPatterns();

 public slots:
  void chooseFiles();
  void chooseCheckpoint();
  void exportWithDialog();

 signals:
  void predictionsAdded(int count);
  void statusMessage(const QString& message);

 private:
  void startNext();
  void appendRows(const std::vector<ClipPrediction>& rows, const std::vector<std::string>& labels);
  void rebuildHeader();

  QLabel* model_;
  QLabel* count_;
  QPushButton* export_;
  QCheckBox* oneSpeaker_;
  QTableWidget* table_;
  ClipPreview* preview_;
  QString checkpoint_;
  QStringList pending_;
  QPointer<BackgroundJob> job_;
  std::vector<ClipPrediction> rows_;
  std::vector<std::string> labels_;
};

}  // namespace ser
