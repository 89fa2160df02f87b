#pragma once
// The classifier trained on a frozen speech encoder's hidden states (SUPERB / EmoBox style):
//   1. a learned softmax-weighted sum of the encoder's layers,
//   2. attentive statistics pooling over frames (Okabe et al. 2018): attention weights from a
//      small tanh layer, then the weighted mean and standard deviation,
//   3. a small classifier: linear 2*dim -> 256, ReLU, dropout, linear 256 -> classes.
// Input: the hidden states as the trainer's feature image [B, 1, layers * dim, frames], row
// l * dim + d holding layer l's value d (see encoder_features.h).
#include "core/model/ser_model.h"

namespace ser {

class EncoderHeadImpl : public SerModelImpl {
 public:
  static constexpr int kAttentionDim = 128;
  static constexpr int kHiddenUnits = 256;

  EncoderHeadImpl(int numLayers, int hiddenDim, int numClasses, double dropout);
  torch::Tensor forward(torch::Tensor x) override;
  // The pooled statistics through the first classifier layer: [B, kHiddenUnits] (what fc2 reads).
  torch::Tensor embedding(torch::Tensor x) override;
  torch::Tensor head(torch::Tensor embedding) override;
  int embeddingSize() const override { return kHiddenUnits; }
  ModelKind kind() const override { return ModelKind::EncoderHead; }
  int numClasses() const override { return numClasses_; }
  // The layer weights, softmax of the learned logits: [numLayers], summing to 1.
  torch::Tensor layerWeights() const;

 private:
  int layers_, dim_, numClasses_;
  torch::Tensor layerLogits_;  // [numLayers], zeros at start: every layer weighs the same
  torch::nn::Linear attention{nullptr}, attentionScore{nullptr};
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  torch::nn::Dropout dropout{nullptr};
};

}  // namespace ser
