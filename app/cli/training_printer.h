#pragma once
// Prints training and run progress for the CLI: one line per epoch and per stage on stderr
// (stdout is kept for the result, JSON or text), a live batch line when stdout is a terminal.
#include "core/pipeline/experiment_runner.h"
#include "core/train/training_observer.h"

namespace ser::cli {

class TrainingPrinter : public TrainingObserver, public RunListener {
 public:
  TrainingPrinter(bool quiet, bool live) : quiet_(quiet), live_(live) {}
  void onBatch(int epoch, int batch, int batches, double loss) override;
  void onEpoch(const EpochStats& s) override;
  void onLog(const std::string& message) override;
  void onStage(const std::string& stage) override;

 private:
  bool quiet_;
  bool live_;
  bool batchLine_ = false;
};

}  // namespace ser::cli
