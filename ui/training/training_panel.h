#pragma once
// The Training tab: model and hyper-parameters (TrainingSettingsForm), the run folder, Start /
// Stop / Resume, and while a run goes on its stage, epoch, ETA, device, live curves and log.
// The dataset part of the experiment (corpora, labels, split) comes from the wizard (setDataset);
// Start adds this panel's model and training settings and runs it.
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

#include <optional>

#include "core/corpus/clip.h"
#include "core/experiment/experiment.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace ser {

class BackgroundJob;
class LiveCurvesView;
class TrainingSettingsForm;
struct EpochStats;
struct RunOptions;
struct RunOutcome;

class TrainingPanel : public QWidget {
  Q_OBJECT
 public:
  explicit TrainingPanel(QWidget* parent = nullptr);
  // Cancels a running training and waits for its worker thread.
  ~TrainingPanel() override;

  // The dataset to train on: the dataset part of `dataset` (corpora, labels, labelPolicy, split,
  // trainCorpora, testCorpora; the wizard's experiment); `corpus` holds its scanned clips. An
  // experiment without corpora is reported in the panel.
  void setDataset(const Experiment& dataset, std::shared_ptr<const Corpus> corpus);
  bool hasDataset() const { return dataset_.has_value(); }
  // The experiment Start runs: the dataset with this panel's settings (model, training, seed,
  // clip length) applied. Throws ParameterError / ser::Error when it is not valid.
  Experiment experiment() const;

  // The one function every training start of the GUI goes through (Start and Resume).
  static RunOutcome runTraining(const Experiment& experiment, const RunOptions& options);

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
  QLabel* epochLabel() const { return epoch_; }
  QProgressBar* progressBar() const { return progress_; }

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

  std::optional<Experiment> dataset_;  // the wizard's experiment; none = no dataset yet
  QString datasetError_;           // why the dataset cannot be used ("" when fine)
  std::shared_ptr<const Corpus> corpus_;
  bool outputChosen_ = false;      // the user picked the run folder; otherwise it follows the model
  QPointer<BackgroundJob> job_;
  std::shared_ptr<RunOutcome> outcome_;    // written by the worker, read after it ended
  QString runDir_;
  int epochs_ = 0;
  int epochsDone_ = 0;     // finished epochs of the run (a resumed run starts with its earlier ones)
  int bestEpoch_ = 0;      // of this session's epochs; 0 = none yet
  double bestUar_ = 0.0;
  QElapsedTimer clock_;
};

}  // namespace ser
