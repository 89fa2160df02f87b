#include "app/cli/training_printer.h"

#include <cstdio>

namespace ser::cli {

void TrainingPrinter::onBatch(int epoch, int batch, int batches, double loss) {
  if (quiet_ || !live_) return;
  std::fprintf(stderr, "\r\033[K  epoch %d  batch %d/%d  loss %.4f", epoch, batch, batches, loss);
  std::fflush(stderr);
  batchLine_ = true;
}

void TrainingPrinter::onEpoch(const EpochStats& s) {
  if (quiet_) return;
  if (batchLine_) std::fprintf(stderr, "\r\033[K");
  batchLine_ = false;
  std::fprintf(stderr,
               "  epoch %3d  train loss %.4f acc %5.1f%%  |  val loss %.4f WA %5.1f%% UAR %5.1f%%"
               "  |  lr %.2e  %.1f s  (ETA %.0f s)\n",
               s.epoch, s.train_loss, 100 * s.train_acc, s.val_loss, 100 * s.val_acc,
               100 * s.val_uar, s.lr, s.seconds, s.eta_seconds);
}

void TrainingPrinter::onLog(const std::string& message) {
  if (quiet_ || message.rfind("epoch ", 0) == 0) return;  // epochs are printed by onEpoch
  if (batchLine_) std::fprintf(stderr, "\r\033[K");
  batchLine_ = false;
  std::fprintf(stderr, "  %s\n", message.c_str());
}

void TrainingPrinter::onStage(const std::string& stage) {
  if (quiet_) return;
  std::fprintf(stderr, "[%s]\n", stage.c_str());
}

}  // namespace ser::cli
