#include "core/model/compact_cnn.h"

#include "core/model/batch_norm.h"

namespace ser {

namespace nn = torch::nn;

CompactCnnImpl::CompactCnnImpl(int numClasses, double dropoutRate, Pooling pooling, bool inputDeltas)
    : numClasses_(numClasses), inputDeltas_(inputDeltas) {
  nn::Sequential blocks;
  int in = inputDeltas ? 3 : 1;
  for (int width : kWidths) {
    blocks->push_back(nn::Conv2d(nn::Conv2dOptions(in, width, 3).padding(1).bias(false)));
    blocks->push_back(SyncBatchNorm2d(width));
    blocks->push_back(nn::ReLU(nn::ReLUOptions().inplace(true)));  // BN backward needs no output
    blocks->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2).ceil_mode(true)));
    in = width;
  }
  features = register_module("features", blocks);
  pool = register_module("pool", TimePooling(in, pooling));
  dropout = register_module("dropout", nn::Dropout(dropoutRate));
  fc = register_module("fc", nn::Linear(pool->outputSize(), numClasses));
}

torch::Tensor CompactCnnImpl::embedding(torch::Tensor x) {
  if (inputDeltas_) x = withDeltas(x);
  return pool(features->forward(x));
}

torch::Tensor CompactCnnImpl::head(torch::Tensor embedding) { return fc(dropout(embedding)); }

torch::Tensor CompactCnnImpl::forward(torch::Tensor x) { return head(embedding(x)); }

}  // namespace ser
