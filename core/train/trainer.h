#pragma once
// The training loop: mini-batch training on an in-memory set, model selection on validation UAR,
// early stopping, learning-rate schedule, augmentation of the training split, checkpoints after
// every epoch, cooperative cancellation and resumption.
//
// Threading: train() runs on the caller's thread (the caller puts it on a worker). On the CPU the
// trainer starts no threads of its own apart from libtorch's intra-op pool; on CUDA, when the
// features do not fit on the device, a second thread assembles the next batch (batch_source.h).
// Observer calls come from the caller's thread.
//
// Devices: on the CPU batches are assembled clip by clip on the host (same seed, same machine:
// same metrics). On CUDA the features are uploaded once when they fit and batches are indexed and
// augmented there (TrainerOptions::data_placement), the step runs under autocast in
// TrainerOptions::precision, and the loss of a step is read back one step later so the device
// always has work queued.
//
// Data parallelism (setDistributed): every rank of a job calls train() with the same sets and
// options. The epoch's seeded permutation is the same on every rank; each global batch of
// batch_size clips is cut into worldSize contiguous shards (batch_size must be divisible by the
// world size), one per rank; each rank's loss is scaled by its share of the batch before the backward
// pass and the gradients are summed over ranks after it, so every step is the step of the global
// batch's mean loss and the replicas stay identical. BatchNorm layers normalise by the statistics
// of the whole global batch (SyncBatchNorm2d, core/model/batch_norm.h, whose backward pass sends
// the statistics' gradients to every rank), so a W-rank run computes the steps of a one-process
// run with the same global batch up to float rounding (sums taken in another order). (With
// class_weights each rank's share is its sum of clip weights over the global sum.) Rank 0's parameters and buffers are broadcast at the start
// (and its run state and optimiser state when resuming, which only rank 0 reads from
// checkpointDir), and its BatchNorm running statistics after every epoch. Rank 0 alone validates (the result is broadcast, so every rank takes the same
// early-stopping and learning-rate decisions), writes checkpoints and reports to the observer. A
// last global batch too small to give every rank two clips is left out of that epoch.
//
// Reproducibility: torch::manual_seed and a std::mt19937 are re-seeded from (seed, epoch) at the
// start of every epoch, so a resumed run repeats exactly the epochs an uninterrupted one would.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/progress.h"
#include "core/train/trainer_options.h"
#include "core/train/training_observer.h"
#include "core/train/training_set.h"

namespace ser {

class Distributed;  // core/train/distributed.h

enum class StopReason { Completed, EarlyStopped, Cancelled };
std::string toString(StopReason reason);  // "completed", "early_stopped", "cancelled"

struct TrainResult {
  StopReason stop = StopReason::Completed;
  int epochs_completed = 0;                 // finished epochs, counting earlier sessions of a resumed run
  int best_epoch = 0;                       // 1-based; its weights are in best_checkpoint
  double best_val_uar = 0.0;
  double best_val_acc = 0.0;                // WA at the best epoch
  std::filesystem::path best_checkpoint;    // <dir>/best.ckpt
  std::filesystem::path last_checkpoint;    // <dir>/last.ckpt (with optimiser state, for resuming)
  std::vector<EpochStats> history;          // every finished epoch, earlier sessions included
  double train_seconds = 0.0;               // wall time of this call
  double train_samples_per_second = 0.0;    // training clips per second of optimisation steps (this call)
  std::string device;                       // "cpu (2 threads)", "cuda:0 (NVIDIA H100, 1 device)"
  std::string precision;                    // what the steps ran in: "fp32", "fp16" or "bf16"
  long long parameters = 0;                 // trainable parameter count
  int ranks = 1;                            // data-parallel ranks that trained (1: this process alone)
  double allreduce_ms_per_step = 0.0;       // data-parallel: mean wall time of a step's gradient all-reduce
};

class Trainer {
 public:
  static constexpr const char* kBestCheckpoint = "best.ckpt";
  static constexpr const char* kLastCheckpoint = "last.ckpt";

  explicit Trainer(TrainerOptions options);  // validates; throws ParameterError
  const TrainerOptions& options() const { return options_; }

  // Not owned; may be null. Set before train().
  void setObserver(TrainingObserver* observer) { observer_ = observer; }
  void setCancelFlag(const CancelFlag* cancel) { cancel_ = cancel; }
  // Not owned; null (the default) trains in this process alone. See "Data parallelism" above.
  void setDistributed(Distributed* distributed) { distributed_ = distributed; }

  // Trains on `train`, selects on `validation` (both non-empty, clips of one shape, labels in
  // [0, numClasses)). Checkpoints go to `checkpointDir` (created). `meta` is stored verbatim as
  // "run" in every checkpoint (labels, front-end parameters, ...).
  // resume: continue from <checkpointDir>/last.ckpt (which must exist and match the model kind,
  // class count, input shape and normalisation); the options given here apply from then on.
  // Cancellation is polled between batches: the unfinished epoch is discarded, both checkpoints
  // stay as they were after the last finished epoch, and the result says Cancelled.
  // A non-finite loss stops the run with ser::Error (the checkpoints written so far remain).
  // Other failures throw ser::Error with context.
  TrainResult train(const TrainingSet& train, const TrainingSet& validation, int numClasses,
                    const std::filesystem::path& checkpointDir, const nlohmann::json& meta = {},
                    bool resume = false);

 private:
  void log(const std::string& message) const;
  TrainerOptions options_;
  TrainingObserver* observer_ = nullptr;
  const CancelFlag* cancel_ = nullptr;
  Distributed* distributed_ = nullptr;
};

}  // namespace ser
