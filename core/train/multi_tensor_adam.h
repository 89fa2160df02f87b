#pragma once
// Adam and AdamW whose step updates all parameters of a group with a handful of multi-tensor
// ("foreach") operations instead of ~10 operations per parameter. On CUDA that is the difference
// between ~600 kernel launches per step for ResNet18 and ~10: with the data resident on the device
// the per-step host work is what limits small batches (PyTorch's Python Adam does the same, its
// foreach implementation being the default on CUDA).
//
// The arithmetic is libtorch's Adam/AdamW step (same order of operations, same state:
// AdamParamState, so save()/load() and checkpoints are unchanged); tests/core/train checks the
// two against each other. amsgrad, sparse gradients or parameters at different step counts fall
// back to the libtorch step. The trainer uses these on CUDA only: CPU runs keep libtorch's step
// and with it their exact metrics.
#include <torch/torch.h>

namespace ser {

class MultiTensorAdam : public torch::optim::Adam {
 public:
  using torch::optim::Adam::Adam;
  torch::Tensor step(LossClosure closure = nullptr) override;
};

class MultiTensorAdamW : public torch::optim::AdamW {
 public:
  using torch::optim::AdamW::AdamW;
  torch::Tensor step(LossClosure closure = nullptr) override;
};

}  // namespace ser
