#pragma once
// What a training run reports while it runs. Plain C++: the UI wraps it in an adapter that
// re-emits queued Qt signals; the CLI prints. Calls come from the thread that runs
// Trainer::train(), one at a time; they must return quickly and must not throw.
#include <string>

namespace ser {

struct EpochStats {
  int epoch = 0;              // 1-based
  double train_loss = 0.0;    // mean training loss of the epoch (with augmentation/mixup)
  double train_acc = 0.0;     // training accuracy in [0, 1] (on augmented batches)
  double val_loss = 0.0;      // mean validation cross-entropy (unweighted)
  double val_acc = 0.0;       // validation weighted accuracy (WA) in [0, 1]
  double val_uar = 0.0;       // validation unweighted average recall in [0, 1]; selects the best epoch
  double lr = 0.0;            // learning rate used in the epoch
  double seconds = 0.0;       // wall time of the epoch, training + validation
  double eta_seconds = 0.0;   // estimate for the remaining epochs (ignores early stopping)
};

class TrainingObserver {
 public:
  virtual ~TrainingObserver() = default;
  // After every optimiser step; batch is 1-based of `batches` in the epoch.
  virtual void onBatch(int /*epoch*/, int /*batch*/, int /*batches*/, double /*loss*/) {}
  virtual void onEpoch(const EpochStats& /*stats*/) {}
  // After a checkpoint file was written (atomically). is_best: the new best-validation-UAR one.
  virtual void onCheckpoint(const std::string& /*path*/, int /*epoch*/, bool /*is_best*/) {}
  // Human-readable notes: device, parameter count, resume point, early stopping.
  virtual void onLog(const std::string& /*message*/) {}
};

}  // namespace ser
