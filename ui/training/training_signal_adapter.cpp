#include "ui/training/training_signal_adapter.h"

namespace ser {

TrainingSignalAdapter::TrainingSignalAdapter(QObject* parent) : QObject(parent) {
  qRegisterMetaType<ser::EpochStats>();
}

void TrainingSignalAdapter::onBatch(int epoch, int batch, int batches, double loss) {
  emit batchDone(epoch, batch, batches, loss);
}

void TrainingSignalAdapter::onEpoch(const EpochStats& stats) { emit epochDone(stats); }

void TrainingSignalAdapter::onCheckpoint(const std::string& path, int epoch, bool isBest) {
  emit checkpointWritten(QString::fromStdString(path), epoch, isBest);
}

void TrainingSignalAdapter::onLog(const std::string& line) { emit logLine(QString::fromStdString(line)); }

void TrainingSignalAdapter::onStage(const std::string& stage) {
  emit stageStarted(QString::fromStdString(stage));
}

}  // namespace ser
