#pragma once
// The optimisers the trainer offers, built from TrainerOptions, and the two operations the training
// loop needs beyond step(): a learning-rate change (schedules) and clearing the gradients.
#include <torch/torch.h>

#include <memory>

#include "core/model/ser_model.h"
#include "core/train/trainer_options.h"

namespace ser {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const TrainerOptions& options, SerModelImpl& model);

// Sets the learning rate of every parameter group.
void setLearningRate(torch::optim::Optimizer& optimizer, OptimizerKind kind, double lr);

// Drops every gradient (undefined tensor) instead of filling it with zeros: backward() then
// allocates it fresh, which saves a memory pass over all parameters per step. libtorch 2.x's
// zero_grad() does this by default; 1.13's only zero-fills. The optimisers skip undefined grads.
void clearGradients(torch::optim::Optimizer& optimizer);

}  // namespace ser
