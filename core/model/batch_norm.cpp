#include "core/model/batch_norm.h"

#include <algorithm>
#include <ostream>

namespace ser {

SyncBatchNorm2dImpl::SyncBatchNorm2dImpl(const torch::nn::BatchNormOptions& options_) : options(options_) {
  reset();
}

void SyncBatchNorm2dImpl::reset() {
  const std::int64_t n = options.num_features();
  if (options.affine()) {
    weight = register_parameter("weight", torch::ones({n}));
    bias = register_parameter("bias", torch::zeros({n}));
  } else {
    weight = register_parameter("weight", torch::Tensor(), /*requires_grad=*/false);
    bias = register_parameter("bias", torch::Tensor(), /*requires_grad=*/false);
  }
  if (options.track_running_stats()) {
    running_mean = register_buffer("running_mean", torch::zeros({n}));
    running_var = register_buffer("running_var", torch::ones({n}));
    num_batches_tracked = register_buffer("num_batches_tracked", torch::tensor(0, torch::kLong));
  } else {
    running_mean = register_buffer("running_mean", torch::Tensor());
    running_var = register_buffer("running_var", torch::Tensor());
    num_batches_tracked = register_buffer("num_batches_tracked", torch::Tensor());
  }
}

void SyncBatchNorm2dImpl::pretty_print(std::ostream& stream) const {
  stream << "ser::SyncBatchNorm2d(" << options.num_features() << ", eps=" << options.eps()
         << ", momentum=" << (options.momentum() ? std::to_string(*options.momentum()) : "None")
         << ", affine=" << options.affine() << ", track_running_stats=" << options.track_running_stats()
         << (statistics_ ? ", synchronised" : "") << ")";
}

double SyncBatchNorm2dImpl::averagingFactor() {
  double factor = options.momentum() ? *options.momentum() : 0.0;
  if (is_training() && options.track_running_stats() && num_batches_tracked.defined()) {
    num_batches_tracked += 1;
    if (!options.momentum()) factor = 1.0 / num_batches_tracked.item<double>();  // cumulative average
  }
  return factor;
}

torch::Tensor SyncBatchNorm2dImpl::forward(const torch::Tensor& input) {
  TORCH_CHECK(input.dim() == 4, "SyncBatchNorm2d: expected a 4-D input, got ", input.dim(), " dimensions");
  const double factor = averagingFactor();
  if (!statistics_ || !is_training()) {
    // BatchNorm2dImpl::forward, step for step.
    return torch::batch_norm(input, weight, bias, running_mean, running_var,
                             is_training() || !options.track_running_stats(), factor, options.eps(),
                             at::globalContext().userEnabledCuDNN());
  }
  const std::int64_t channels = input.size(1);
  const std::vector<std::int64_t> reduce{0, 2, 3};
  const std::vector<std::int64_t> perChannel{1, channels, 1, 1};
  // Two passes over the global batch, as BatchNorm's own kernel: the mean, then the mean squared
  // deviation from it (no E[x^2] - E[x]^2 cancellation). Each pass sums one vector over the ranks;
  // the element count rides along with the first.
  const torch::Tensor local = input.sum(reduce);
  const double localCount = double(input.numel() / std::max<std::int64_t>(channels, 1));
  const torch::Tensor first =
      statistics_->allReduceSum(torch::cat({local, torch::full({1}, localCount, local.options())}));
  const torch::Tensor count = first.slice(0, channels, channels + 1).detach();
  const torch::Tensor mean = first.slice(0, 0, channels) / count;
  const torch::Tensor centred = input - mean.view(perChannel);
  const torch::Tensor var = statistics_->allReduceSum(centred.square().sum(reduce)) / count;
  if (options.track_running_stats()) {
    const double n = count.item<double>();
    torch::NoGradGuard noGrad;
    running_mean.mul_(1.0 - factor).add_(mean.detach(), factor);
    // The running variance is the unbiased estimate, as in BatchNorm.
    running_var.mul_(1.0 - factor).add_(var.detach() * (n / std::max(n - 1.0, 1.0)), factor);
  }
  torch::Tensor out = centred * torch::rsqrt(var + options.eps()).view(perChannel);
  if (options.affine()) out = out * weight.view(perChannel) + bias.view(perChannel);
  return out;
}

int setBatchStatistics(torch::nn::Module& model, const std::shared_ptr<BatchStatistics>& statistics) {
  int layers = 0;
  for (const auto& module : model.modules(/*include_self=*/true)) {
    if (auto* bn = module->as<SyncBatchNorm2dImpl>()) {
      bn->setBatchStatistics(statistics);
      ++layers;
    }
  }
  return layers;
}

}  // namespace ser
