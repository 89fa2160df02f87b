#include "core/train/batch_augmentation.h"

#include <algorithm>
#include <cmath>

namespace ser {

namespace {

// [n, extent] boolean: the union of `masks` random ranges per row.
torch::Tensor rangeMask(std::int64_t n, std::int64_t extent, int masks, int maxWidth, torch::Device device) {
  const auto real = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  const auto index = torch::TensorOptions().dtype(torch::kInt64).device(device);
  const std::int64_t widest = std::min<std::int64_t>(maxWidth, extent);
  // floor(U[0,1) * k) is uniform on {0..k-1}; the clamp guards the (rounding) case U * k == k.
  torch::Tensor width = (torch::rand({n, masks}, real) * double(widest + 1)).floor().to(torch::kInt64)
                            .clamp_max(widest);
  torch::Tensor start = (torch::rand({n, masks}, real) * (extent - width + 1).to(torch::kFloat32))
                            .floor().to(torch::kInt64);
  start = torch::min(start, extent - width);
  const torch::Tensor pos = torch::arange(extent, index).view({1, 1, extent});
  const torch::Tensor inside = pos.ge(start.unsqueeze(2)).logical_and(pos.lt((start + width).unsqueeze(2)));
  return inside.any(1);
}

}  // namespace

void applyGainBatch(torch::Tensor& x, const torch::Tensor& invStd, double db) {
  if (db <= 0.0) return;
  const std::int64_t n = x.size(0);
  const double scale = db * std::log(10.0) / 10.0;
  torch::Tensor offset = (torch::rand({n}, x.options()) * 2.0 - 1.0) * scale;
  x.add_(offset.view({n, 1, 1, 1}) * invStd.view({n, 1, x.size(2), 1}));
}

void addGaussianNoiseBatch(torch::Tensor& x, double stddev) {
  if (stddev <= 0.0) return;
  x.add_(torch::randn_like(x) * stddev);
}

torch::Tensor applySpecAugmentBatch(torch::Tensor& x, const SpecAugmentOptions& options) {
  const std::int64_t n = x.size(0);
  const std::int64_t rows = x.size(2);
  const std::int64_t cols = x.size(3);
  torch::Tensor mask = torch::zeros({n, 1, rows, cols}, x.options().dtype(torch::kBool));
  if (n == 0 || rows == 0 || cols == 0) return mask;
  if (options.freq_masks > 0 && options.freq_mask_width > 0)
    mask.logical_or_(rangeMask(n, rows, options.freq_masks, options.freq_mask_width, x.device())
                         .view({n, 1, rows, 1}));
  if (options.time_masks > 0 && options.time_mask_width > 0)
    mask.logical_or_(rangeMask(n, cols, options.time_masks, options.time_mask_width, x.device())
                         .view({n, 1, 1, cols}));
  const torch::Tensor fill = x.mean({1, 2, 3}, /*keepdim=*/true);
  x = torch::where(mask, fill.expand_as(x), x);
  return mask;
}

}  // namespace ser
