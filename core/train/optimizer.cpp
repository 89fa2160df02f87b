#include "core/train/optimizer.h"

#include "core/base/error.h"
#include "core/train/multi_tensor_adam.h"

namespace ser {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const TrainerOptions& o, SerModelImpl& model) {
  namespace optim = torch::optim;
  // On CUDA the multi-tensor step (a handful of kernel launches instead of ~10 per parameter);
  // on the CPU libtorch's own, so CPU runs keep their exact metrics.
  const std::vector<torch::Tensor> params = model.parameters();
  const bool multiTensor = !params.empty() && params.front().is_cuda();
  switch (o.optimizer) {
    case OptimizerKind::Adam: {
      const auto options = optim::AdamOptions(o.learning_rate).weight_decay(o.weight_decay);
      if (multiTensor) return std::make_unique<MultiTensorAdam>(params, options);
      return std::make_unique<optim::Adam>(params, options);
    }
    case OptimizerKind::AdamW: {
      const auto options = optim::AdamWOptions(o.learning_rate).weight_decay(o.weight_decay);
      if (multiTensor) return std::make_unique<MultiTensorAdamW>(params, options);
      return std::make_unique<optim::AdamW>(params, options);
    }
    case OptimizerKind::Sgd:
      return std::make_unique<optim::SGD>(
          model.parameters(),
          optim::SGDOptions(o.learning_rate).momentum(o.momentum).weight_decay(o.weight_decay));
  }
  throw Error("unknown optimizer");
}

// Uses the concrete option types: OptimizerOptions::set_lr is not in every libtorch we support.
void setLearningRate(torch::optim::Optimizer& optimizer, OptimizerKind kind, double lr) {
  for (auto& group : optimizer.param_groups()) {
    switch (kind) {
      case OptimizerKind::Adam: static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr); break;
      case OptimizerKind::AdamW: static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr); break;
      case OptimizerKind::Sgd: static_cast<torch::optim::SGDOptions&>(group.options()).lr(lr); break;
    }
  }
}

void clearGradients(torch::optim::Optimizer& optimizer) {
  for (auto& group : optimizer.param_groups())
    for (auto& p : group.params()) p.mutable_grad() = torch::Tensor();
}

}  // namespace ser
