#include "core/model/encoder_head.h"

#include "core/base/error.h"
#include "core/model/time_pooling.h"

namespace ser {

EncoderHeadImpl::EncoderHeadImpl(int numLayers, int hiddenDim, int numClasses, double dropoutP)
    : layers_(numLayers), dim_(hiddenDim), numClasses_(numClasses) {
  checkRangeInt("encoder_layers", numLayers, 1, 1000);
  checkRangeInt("encoder_dim", hiddenDim, 1, 65536);
  layerLogits_ = register_parameter("layer_logits", torch::zeros({numLayers}));
  attention = register_module("attention", torch::nn::Linear(hiddenDim, kAttentionDim));
  attentionScore = register_module("attention_score", torch::nn::Linear(kAttentionDim, 1));
  fc1 = register_module("fc1", torch::nn::Linear(2 * hiddenDim, kHiddenUnits));
  dropout = register_module("dropout", torch::nn::Dropout(dropoutP));
  fc2 = register_module("fc2", torch::nn::Linear(kHiddenUnits, numClasses));
}

torch::Tensor EncoderHeadImpl::layerWeights() const { return torch::softmax(layerLogits_, 0); }

torch::Tensor EncoderHeadImpl::embedding(torch::Tensor x) {
  const int64_t batch = x.size(0), frames = x.size(3);
  TORCH_CHECK(x.dim() == 4 && x.size(1) == 1 && x.size(2) == int64_t(layers_) * dim_,
              "encoder head: input rows ", x.size(2), " != layers ", layers_, " x dim ", dim_);
  // [B, L, D, F] -> weighted sum over L -> [B, F, D]
  const torch::Tensor h = x.view({batch, layers_, dim_, frames});
  const torch::Tensor w = layerWeights().to(x.dtype()).view({1, layers_, 1, 1});
  const torch::Tensor seq = (h * w).sum(1).transpose(1, 2);
  // Attentive statistics pooling over frames.
  const torch::Tensor score = attentionScore(torch::tanh(attention(seq)));  // [B, F, 1]
  const torch::Tensor alpha = torch::softmax(score, 1);
  return torch::relu(fc1(weightedMeanAndSd(seq, alpha)));  // [B, 2D] -> [B, hidden]
}

torch::Tensor EncoderHeadImpl::head(torch::Tensor embedding) { return fc2(dropout(embedding)); }

torch::Tensor EncoderHeadImpl::forward(torch::Tensor x) { return head(embedding(x)); }

}  // namespace ser
