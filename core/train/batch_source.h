#pragma once
// Where the trainer's mini-batches come from, separate from the optimisation step so that a
// data-parallel trainer can give each replica its own source (over its shard of the order).
//
//  host:     each batch is put together on the CPU clip by clip (gain, normalisation, noise,
//            SpecAugment, all drawn from the epoch's std::mt19937): the CPU training path, unchanged.
//            With `prefetch` (the CUDA path when the data do not fit on the device) a second thread
//            builds the next batch in pinned memory while the current one trains, drawing from its
//            own generator seeded from the epoch's, and the copy to the device is asynchronous.
//  resident: the normalised training and validation features are uploaded once; a batch is an
//            index_select on the device plus the tensor-op augmentations of batch_augmentation.h.
//            No host work and no host-to-device copy per step apart from nothing at all: the
//            epoch's order is uploaded once per epoch.
#include <torch/torch.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/train/feature_normaliser.h"
#include "core/train/trainer_options.h"
#include "core/train/training_set.h"

namespace ser {

struct TrainBatch {
  torch::Tensor x;       // [n, 1, rows, cols] float32 on the training device, normalised and augmented
  torch::Tensor y;       // [n] int64 class indices on the training device
  std::size_t size = 0;  // n
};

class BatchSource {
 public:
  virtual ~BatchSource() = default;
  // A new epoch over the training clips order[0, usable), in batches of the options' batch_size.
  // rng: the epoch's generator (the host source draws its augmentations from it).
  virtual void startEpoch(const std::vector<std::size_t>& order, std::size_t usable, std::mt19937& rng) = 0;
  // Batch b of the epoch; b runs 0, 1, 2, ... in sequence.
  virtual TrainBatch next(int b, std::mt19937& rng) = 0;
  // Validation clips [start, end), normalised, on the training device.
  virtual torch::Tensor validation(std::size_t start, std::size_t end) = 0;
  // A random permutation of [0, n) on the training device (mixup partners).
  virtual torch::Tensor permutation(std::size_t n, std::mt19937& rng) = 0;
  virtual bool resident() const = 0;
};

// `train` and `validation` must outlive the source. trainPlan: the normalisation of each training
// clip; normalisedValidation: the validation clips already normalised (copied by the resident source).
std::unique_ptr<BatchSource> makeHostBatchSource(const TrainingSet& train, std::vector<BandStats> trainPlan,
                                                 const std::vector<FeatureMatrix>& normalisedValidation,
                                                 const TrainerOptions& options, torch::Device device,
                                                 bool prefetch);
// Throws c10::Error (out of device memory, typically) when the upload fails.
std::unique_ptr<BatchSource> makeResidentBatchSource(const TrainingSet& train,
                                                     const std::vector<BandStats>& trainPlan,
                                                     const std::vector<FeatureMatrix>& normalisedValidation,
                                                     const TrainerOptions& options, torch::Device device);

// Device bytes the resident source holds for these sets (features, labels, per-clip 1/stddev).
std::int64_t residentBytes(const TrainingSet& train, std::size_t validationClips);

// Whether `bytes` fit in `freeBytes` of device memory with room to train: at most half of what is
// free, and at least 2 GiB left for activations, workspaces and the allocator's cache.
bool fitsOnDevice(std::int64_t bytes, std::int64_t freeBytes);

}  // namespace ser
