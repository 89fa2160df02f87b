#include "core/train/mixed_precision.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include "core/base/error.h"

// libtorch 2.4 replaced the CUDA-only autocast calls with per-device-type ones (the old names are
// deprecated there).
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define SERWB_AUTOCAST_PER_DEVICE 1
#endif

namespace ser {

Precision resolvePrecision(Precision requested, const ComputeDevice& device) {
  if (!device.device.is_cuda()) {
    if (requested == Precision::Fp16 || requested == Precision::Bf16)
      throw Error("precision " + toString(requested) + " needs a CUDA device; this run is on " +
                  device.description + " (use --precision fp32 or auto)");
    return Precision::Fp32;
  }
  if (requested != Precision::Auto) return requested;
  return device.computeCapability >= 80 ? Precision::Bf16 : Precision::Fp16;
}

torch::ScalarType autocastType(Precision precision) {
  switch (precision) {
    case Precision::Fp16: return torch::kHalf;
    case Precision::Bf16: return torch::kBFloat16;
    case Precision::Auto:
    case Precision::Fp32: break;
  }
  return torch::kFloat;
}

AutocastGuard::AutocastGuard(Precision precision) {
  if (precision != Precision::Fp16 && precision != Precision::Bf16) return;
  active_ = true;
#ifdef SERWB_AUTOCAST_PER_DEVICE
  previousEnabled_ = at::autocast::is_autocast_enabled(at::kCUDA);
  previousType_ = at::autocast::get_autocast_dtype(at::kCUDA);
  at::autocast::set_autocast_enabled(at::kCUDA, true);
  at::autocast::set_autocast_dtype(at::kCUDA, autocastType(precision));
#else
  previousEnabled_ = at::autocast::is_enabled();
  previousType_ = at::autocast::get_autocast_gpu_dtype();
  at::autocast::set_enabled(true);
  at::autocast::set_autocast_gpu_dtype(autocastType(precision));
#endif
  at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard() {
  if (!active_) return;
  // Leaving the outermost scope drops the cast weights cached for this forward pass.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#ifdef SERWB_AUTOCAST_PER_DEVICE
  at::autocast::set_autocast_enabled(at::kCUDA, previousEnabled_);
  at::autocast::set_autocast_dtype(at::kCUDA, previousType_);
#else
  at::autocast::set_enabled(previousEnabled_);
  at::autocast::set_autocast_gpu_dtype(previousType_);
#endif
}

void toChannelsLast(torch::nn::Module& module) {
  torch::NoGradGuard noGrad;
  for (auto& p : module.parameters())
    if (p.dim() == 4) p.set_data(p.data().contiguous(torch::MemoryFormat::ChannelsLast));
  for (auto& b : module.buffers())
    if (b.dim() == 4) b.set_data(b.data().contiguous(torch::MemoryFormat::ChannelsLast));
}

}  // namespace ser
