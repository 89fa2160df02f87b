#pragma once
// Mixed-precision training on CUDA: which arithmetic a run uses, and the autocast scope of a
// forward pass. Weights, gradients and optimiser state stay fp32; under autocast the convolutions
// and matrix products run in fp16 or bf16 (PyTorch's autocast op lists decide which ops).
#include <torch/torch.h>

#include <string>

#include "core/train/compute_device.h"
#include "core/train/trainer_options.h"

namespace ser {

// The precision a run on `device` uses for `requested` (never Auto): auto -> fp32 on the CPU,
// bf16 on CUDA compute capability >= 8.0, fp16 below. fp16/bf16 on the CPU throw ser::Error
// (mixed precision is for CUDA; Debian's libtorch 1.13 has no fast CPU bf16 path).
//
// Why bf16 is the CUDA default: it has fp32's exponent range, so no loss scaling and no skipped
// steps, and on Ampere/Hopper tensor cores it runs as fast as fp16. The issue asks for "the
// fastest precision that trains to the same accuracy as fp32 on the demo corpus"; that has not
// been measured on a GPU yet (scripts/gpu-check.sh measures it): bf16 is the documented default
// pending that measurement.
Precision resolvePrecision(Precision requested, const ComputeDevice& device);

// The scalar type autocast casts to: kHalf for fp16, kBFloat16 for bf16, kFloat for fp32.
torch::ScalarType autocastType(Precision precision);

// CUDA autocast on for the lifetime of the guard when `precision` is fp16 or bf16 (a no-op for
// fp32). Thread-local, like PyTorch's torch.autocast: construct it on the thread that runs the
// forward pass; backward() runs outside it.
class AutocastGuard {
 public:
  explicit AutocastGuard(Precision precision);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  bool active_ = false;
  bool previousEnabled_ = false;
  torch::ScalarType previousType_ = torch::kHalf;
};

// Puts every 4-D parameter and buffer of `module` in channels-last (NHWC) memory format, in place.
// With channels-last inputs, cuDNN runs convolutions on tensor cores without layout transposes.
void toChannelsLast(torch::nn::Module& module);

}  // namespace ser
