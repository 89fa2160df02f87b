#include "core/train/loss_scaler.h"

#include <string>

#include "core/base/error.h"

namespace ser {

DynamicLossScaler::DynamicLossScaler(LossScalerOptions options)
    : options_(options), scale_(options.init_scale) {
  checkPositive("init_scale", options_.init_scale);
  if (!(options_.growth_factor > 1.0))
    throw ParameterError("growth_factor", std::to_string(options_.growth_factor), "> 1");
  if (!(options_.backoff_factor > 0.0 && options_.backoff_factor < 1.0))
    throw ParameterError("backoff_factor", std::to_string(options_.backoff_factor), "(0, 1)");
  checkRangeInt("growth_interval", options_.growth_interval, 1, 1000000000);
}

torch::Tensor DynamicLossScaler::scaleLoss(const torch::Tensor& loss) const { return loss * scale_; }

bool DynamicLossScaler::unscale(const std::vector<torch::Tensor>& params) const {
  std::vector<torch::Tensor> grads;
  for (const auto& p : params)
    if (p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return true;
  const auto device = grads.front().device();
  const torch::Tensor invScale = torch::full({1}, 1.0 / scale_, torch::dtype(torch::kFloat32).device(device));
  torch::Tensor foundInf = torch::zeros({1}, torch::dtype(torch::kFloat32).device(device));
  if (device.is_cuda()) {
    // PyTorch's own fused kernel (what GradScaler calls): unscales and flags inf/nan in one pass.
    at::_amp_foreach_non_finite_check_and_unscale_(grads, foundInf, invScale);
  } else {
    for (auto& g : grads) {
      g.mul_(invScale.to(g.scalar_type()));
      foundInf.add_(g.isfinite().logical_not().any().to(torch::kFloat32));
    }
  }
  return foundInf.item<float>() == 0.0f;
}

bool DynamicLossScaler::step(torch::optim::Optimizer& optimizer, const std::vector<torch::Tensor>& params) {
  const bool finite = unscale(params);
  if (finite) optimizer.step();
  update(finite);
  return finite;
}

void DynamicLossScaler::update(bool finite) {
  if (!finite) {
    scale_ *= options_.backoff_factor;
    goodSteps_ = 0;
    ++skipped_;
    return;
  }
  if (++goodSteps_ >= options_.growth_interval) {
    scale_ *= options_.growth_factor;
    goodSteps_ = 0;
  }
}

}  // namespace ser
