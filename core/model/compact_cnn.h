#pragma once
// A compact CNN for CPU training: 4 blocks of [3x3 conv (no bias) -> BatchNorm -> ReLU ->
// 2x2 max pool (ceil mode)] with 16-32-64-128 channels, pooling over time (average by default,
// see ModelOptions::pooling), dropout, linear. With input deltas the first conv reads 3 channels.
// About 0.1M parameters and ~70M multiply-adds per 64x301 clip (a third of 32-64-128-128), so
// that it trains in minutes on a laptop CPU. Any input of at least 1x1 works thanks to the
// ceil-mode pooling.
#include "core/model/ser_model.h"
#include "core/model/time_pooling.h"

namespace ser {

class CompactCnnImpl : public SerModelImpl {
 public:
  CompactCnnImpl(int numClasses, double dropout, Pooling pooling = Pooling::Average,
                 bool inputDeltas = false);
  torch::Tensor forward(torch::Tensor x) override;
  torch::Tensor embedding(torch::Tensor x) override;
  torch::Tensor head(torch::Tensor embedding) override;
  int embeddingSize() const override { return pool->outputSize(); }
  ModelKind kind() const override { return ModelKind::CompactCnn; }
  int numClasses() const override { return numClasses_; }

  static constexpr int kWidths[4] = {16, 32, 64, 128};

 private:
  int numClasses_;
  bool inputDeltas_;
  torch::nn::Sequential features{nullptr};
  TimePooling pool{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear fc{nullptr};
};

}  // namespace ser
