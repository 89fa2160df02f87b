#pragma once
// Building blocks the convolutional models share: the pooling of their last feature map into one
// vector per clip (ModelOptions::pooling) and the delta channels of their input
// (ModelOptions::inputDeltas).
#include <torch/torch.h>

#include "core/model/model_kind.h"

namespace ser {

// Pools a feature map [B, C, F, T] into [B, outputSize()]:
//   avg        adaptive average over F and T (C values; no parameters),
//   stats      mean over F, then the mean and standard deviation over T (2C; no parameters),
//   attentive  mean over F, then attention weights over T from a small tanh layer
//              (C -> kAttentionDim -> 1, softmax over frames) and the weighted mean and
//              standard deviation (2C; Okabe et al. 2018, as in ECAPA-TDNN and the encoder head).
class TimePoolingImpl : public torch::nn::Module {
 public:
  static constexpr int kAttentionDim = 64;

  TimePoolingImpl(int channels, Pooling mode);
  torch::Tensor forward(torch::Tensor x);
  int outputSize() const { return mode_ == Pooling::Average ? channels_ : 2 * channels_; }
  Pooling mode() const { return mode_; }
  // The attention weights over frames for x [B, C, F, T]: [B, T], each row summing to 1 (uniform
  // for avg and stats).
  torch::Tensor frameWeights(torch::Tensor x);

 private:
  torch::Tensor weightsOf(const torch::Tensor& seq);  // seq [B, T, C] -> [B, T, 1]

  int channels_;
  Pooling mode_;
  torch::nn::Linear attention{nullptr}, attentionScore{nullptr};  // attentive only
};
TORCH_MODULE(TimePooling);

// The weighted mean and standard deviation over dim 1 of seq [B, T, D] with weights alpha
// [B, T, 1] that sum to 1 over T: [B, 2D] (mean, then sd; the variance is clamped at 1e-6 before
// the square root, so the gradient stays finite on constant input).
torch::Tensor weightedMeanAndSd(const torch::Tensor& seq, const torch::Tensor& alpha);

// x [B, 1, F, T] -> [B, 3, F, T]: x, its first time derivative and the derivative of that, each
// by the regression formula over 5 frames, d_t = sum_{n=1..2} n (x_{t+n} - x_{t-n}) / 10, with
// the edge frames replicated (torchaudio.functional.compute_deltas with win_length 5).
torch::Tensor withDeltas(const torch::Tensor& x);

}  // namespace ser
