#pragma once
// The Training tab: model and hyper-parameters (TrainingSettingsForm), the run folder, Start /
// Stop / Resume, and while a run goes on its stage, epoch, ETA, device, live curves and log.
// The dataset and split come from the wizard's DatasetSelection (setDataset).
//
// The run executes runExperiment() on a worker thread (BackgroundJob); the engine's callbacks
// reach the panel as queued signals through TrainingSignalAdapter, so the GUI thread only ever
// appends points and text. Stop sets the cancel flag: the trainer finishes its batch and keeps the
// best checkpoint; Resume continues the same folder from last.ckpt. Errors from the engine arrive
// as runFailed() and a message box, never as an exception.
#include <memory>
#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>

#include <nlohmann/json.hpp>

#include "core/corpus/clip.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace ser {

class BackgroundJob;
class LiveCurvesView;
class TrainingSettingsForm;
struct DatasetSelection;
struct EpochStats;
struct Experiment;
struct RunOutcome;

class TrainingPanel : public QWidget {
  Q_OBJECT
 public:
  explicit TrainingPanel(QWidget* parent = nullptr);
  // Cancels a running training and waits for its worker thread.
  ~TrainingPanel() override;

  // The dataset to train on; `corpus` holds its scanned clips (the cross-corpus split needs
  // them). A selection that cannot become an experiment is reported in the panel.
  void setDataset(const DatasetSelection& selection, std::shared_ptr<const Corpus> corpus);
  bool hasDataset() const { return !dataset_.is_null(); }

  // The run folder Start writes (created). Until the user picks one it follows defaultRunDir().
  void setOutputDir(const QString& dir);
  QString outputDir() const;
  // ~/serwb-runs/<yyyyMMdd-HHmmss>-<model>
  static QString defaultRunDir(const QString& model);

  bool isRunning() const;
  QString currentRunDir() const { return runDir_; }

  TrainingSettingsForm* settings() const { return settings_; }
  LiveCurvesView* curves() const { return curves_; }
  QPushButton* startButton() const { return start_; }
  QPushButton* stopButton() const { return stop_; }
  QPushButton* resumeButton() const { return resume_; }
  QPlainTextEdit* logView() const { return log_; }
  QLabel* stateLabel() const { return state_; }

 public slots:
  void start();
  void stop();
  void resume();  // continues the run in outputDir() from its last checkpoint

 signals:
  void runStarted(const QString& dir);
  void runFinished(const QString& dir);  // evaluated: the folder loads with loadRunRecord()
  void runStopped(const QString& dir);   // cancelled: the folder keeps its best checkpoint
  void runFailed(const QString& dir, const QString& message);
  void statusMessage(const QString& message);

 private:
  void launch(const Experiment& experiment, const QString& dir, bool resume);
  void setRunning(bool running);
  void updateResumeButton();
  void updateDatasetLabel();
  void appendLog(const QString& line);
  void showError(const QString& message);
  void onStage(const QString& stage);
  void onBatch(int epoch, int batch, int batches, double loss);
  void onEpoch(const EpochStats& stats);
  void onLogLine(const QString& line);
  void onProgress(qulonglong done, qulonglong total, const QString& item);
  void onJobEnded(bool cancelled, const QString& error);

  TrainingSettingsForm* settings_;
  QLabel* datasetLabel_;
  QLineEdit* output_;
  QPushButton* browse_;
  QPushButton* start_;
  QPushButton* stop_;
  QPushButton* resume_;
  QLabel* state_;
  QLabel* stage_;
  QLabel* epoch_;
  QLabel* eta_;
  QLabel* device_;
  QLabel* best_;
  QProgressBar* progress_;
  LiveCurvesView* curves_;
  QPlainTextEdit* log_;

  nlohmann::json dataset_;         // datasetExperimentJson() of the current selection; null = none
  QString datasetError_;           // why the selection cannot be used ("" when fine)
  std::shared_ptr<const Corpus> corpus_;
  bool outputChosen_ = false;      // the user picked the run folder; otherwise it follows the model
  QPointer<BackgroundJob> job_;
  std::shared_ptr<RunOutcome> outcome_;    // written by the worker, read after it ended
  QString runDir_;
  int epochs_ = 0;
  int bestEpoch_ = 0;      // of this session's epochs; 0 = none yet
  double bestUar_ = 0.0;
  QElapsedTimer clock_;
};

}  // namespace ser
