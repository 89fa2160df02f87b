#pragma once
// Dynamic loss scaling for fp16 training (libtorch's C++ API has no GradScaler).
//
// fp16 gradients of small losses underflow to zero; scaling the loss by S before backward() scales
// every gradient by S, and dividing the gradients by S before the optimiser step restores them.
// Too large an S overflows to inf/nan instead: then the step is skipped and S is halved. After
// `growth_interval` finite steps in a row S doubles again. This is the policy of PyTorch's
// torch.cuda.amp.GradScaler (initial 2^16, factors 2 and 0.5, interval 2000).
//
// One host synchronisation per step (the inf/nan check decides whether the optimiser steps), as in
// PyTorch. Works on any device; on CUDA the check and the unscaling are one fused kernel per step.
// Not thread-safe: one scaler per training loop.
#include <torch/torch.h>

#include <vector>

namespace ser {

struct LossScalerOptions {
  double init_scale = 65536.0;   // first S, > 0
  double growth_factor = 2.0;    // S multiplier after growth_interval finite steps, > 1
  double backoff_factor = 0.5;   // S multiplier after a step with inf/nan gradients, (0, 1)
  int growth_interval = 2000;    // finite steps in a row before S grows, >= 1
};

class DynamicLossScaler {
 public:
  explicit DynamicLossScaler(LossScalerOptions options = {});  // throws ParameterError

  double scale() const { return scale_; }
  int skippedSteps() const { return skipped_; }  // steps skipped for inf/nan gradients so far

  // loss * S, to call backward() on.
  torch::Tensor scaleLoss(const torch::Tensor& loss) const;

  // Divides the gradients of `params` (those that have one) by S in place; true when all of them
  // are finite afterwards.
  bool unscale(const std::vector<torch::Tensor>& params) const;

  // unscale(), then optimizer.step() when the gradients are finite, then the update of S.
  // Returns whether the optimiser stepped.
  bool step(torch::optim::Optimizer& optimizer, const std::vector<torch::Tensor>& params);

  // The update of S after a step whose gradients were (not) finite.
  void update(bool finite);

 private:
  LossScalerOptions options_;
  double scale_;
  int goodSteps_ = 0;
  int skipped_ = 0;
};

}  // namespace ser
