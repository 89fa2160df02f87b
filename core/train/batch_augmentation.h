#pragma once
// Training-time augmentation of whole batches with tensor operations, on the device the batch is
// on (the device-resident data path, batch_source.h). The same augmentations as augmentation.h
// (gain before normalisation, Gaussian noise, SpecAugment masks filled with the clip's mean) with
// the same distributions, but the random draws come from libtorch's generator of that device
// (seeded by torch::manual_seed), not from a std::mt19937: the two paths draw different masks.
#include <torch/torch.h>

#include "core/train/trainer_options.h"

namespace ser {

// x [n, 1, rows, cols]; invStd [n, rows]: 1 / stddev of the normalisation each clip got (ones when
// none). Adds a random gain U[-db, db] dB per clip as the normalised network input sees it:
// db * ln(10) / 10 / stddev per band. No-op for db <= 0.
void applyGainBatch(torch::Tensor& x, const torch::Tensor& invStd, double db);

// Adds N(0, stddev^2) to every cell; no-op for stddev <= 0.
void addGaussianNoiseBatch(torch::Tensor& x, double stddev);

// SpecAugment per clip of x [n, 1, rows, cols]: options.freq_masks bands and options.time_masks
// frame ranges, each of a width drawn from U{0..min(max width, extent)} at a start drawn from
// U{0..extent - width}, set to the clip's mean before masking. Returns the [n, 1, rows, cols]
// boolean mask it applied (for tests).
torch::Tensor applySpecAugmentBatch(torch::Tensor& x, const SpecAugmentOptions& options);

}  // namespace ser
