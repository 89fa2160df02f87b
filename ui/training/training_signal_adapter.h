#pragma once
// Adapts the engine's training callbacks (TrainingObserver, RunListener) to Qt. The engine calls
// them on the worker thread that runs runExperiment(); each call only emits a signal, which Qt
// delivers queued to receivers in the GUI thread (connect with Qt::QueuedConnection). The adapter
// never touches a widget and never blocks on the GUI.
#include <QMetaType>
#include <QObject>
#include <QString>

#include "core/pipeline/experiment_runner.h"
#include "core/train/training_observer.h"

namespace ser {

class TrainingSignalAdapter : public QObject, public TrainingObserver, public RunListener {
  Q_OBJECT
 public:
  explicit TrainingSignalAdapter(QObject* parent = nullptr);

  // TrainingObserver
  void onBatch(int epoch, int batch, int batches, double loss) override;
  void onEpoch(const EpochStats& stats) override;
  void onCheckpoint(const std::string& path, int epoch, bool isBest) override;
  // TrainingObserver and RunListener both log; one signal serves both.
  void onLog(const std::string& line) override;
  // RunListener
  void onStage(const std::string& stage) override;

 signals:
  void batchDone(int epoch, int batch, int batches, double loss);
  void epochDone(const ser::EpochStats& stats);
  void checkpointWritten(const QString& path, int epoch, bool isBest);
  void logLine(const QString& line);
  void stageStarted(const QString& stage);  // "scan", "preprocess", "train", "evaluate"
};

}  // namespace ser

Q_DECLARE_METATYPE(ser::EpochStats)
