#include "core/model/time_pooling.h"

namespace ser {

namespace F = torch::nn::functional;

TimePoolingImpl::TimePoolingImpl(int channels, Pooling mode) : channels_(channels), mode_(mode) {
  if (mode_ == Pooling::Attentive) {
    attention = register_module("attention", torch::nn::Linear(channels, kAttentionDim));
    attentionScore = register_module("attention_score", torch::nn::Linear(kAttentionDim, 1));
  }
}

torch::Tensor TimePoolingImpl::weightsOf(const torch::Tensor& seq) {
  if (mode_ == Pooling::Attentive) return torch::softmax(attentionScore(torch::tanh(attention(seq))), 1);
  return torch::full({seq.size(0), seq.size(1), 1}, 1.0 / double(seq.size(1)), seq.options());
}

torch::Tensor TimePoolingImpl::frameWeights(torch::Tensor x) {
  return weightsOf(x.mean(2).transpose(1, 2)).squeeze(2);
}

torch::Tensor TimePoolingImpl::forward(torch::Tensor x) {
  TORCH_CHECK(x.dim() == 4 && x.size(1) == channels_, "time pooling: expected [B, ", channels_,
              ", F, T], got ", x.sizes());
  if (mode_ == Pooling::Average) return torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
  const torch::Tensor seq = x.mean(2).transpose(1, 2);  // [B, T, C]
  return weightedMeanAndSd(seq, weightsOf(seq));
}

torch::Tensor weightedMeanAndSd(const torch::Tensor& seq, const torch::Tensor& alpha) {
  const torch::Tensor mean = (alpha * seq).sum(1);
  const torch::Tensor var = (alpha * seq * seq).sum(1) - mean * mean;
  return torch::cat({mean, torch::sqrt(var.clamp_min(1e-6))}, 1);
}

torch::Tensor withDeltas(const torch::Tensor& x) {
  TORCH_CHECK(x.dim() == 4 && x.size(1) == 1, "deltas: expected [B, 1, F, T], got ", x.sizes());
  const torch::Tensor kernel =
      torch::tensor({-2.0f, -1.0f, 0.0f, 1.0f, 2.0f}, x.options().dtype(torch::kFloat32))
          .div(10.0)
          .to(x.scalar_type())
          .view({1, 1, 1, 5});
  auto delta = [&kernel](const torch::Tensor& in) {
    return F::conv2d(F::pad(in, F::PadFuncOptions({2, 2, 0, 0}).mode(torch::kReplicate)), kernel);
  };
  const torch::Tensor d1 = delta(x);
  return torch::cat({x, d1, delta(d1)}, 1);
}

}  // namespace ser
