#pragma once
// ResNet-18 (He et al. 2016) as in torchvision: 7x7/2 stem + 3x3/2 max pool, BasicBlock x [2,2,2,2]
// with widths 64-128-256-512, pooling over time (adaptive average by default, see
// ModelOptions::pooling), optional dropout, linear classifier. Adapted to a 1-channel log-mel input
// [B, 1, mels, frames] (3 channels with input deltas). Parameter names equal torchvision's
// ("conv1.weight", "layer2.0.downsample.1.running_mean", "fc.bias", ...).
#include <filesystem>
#include <string>
#include <vector>

#include "core/model/batch_norm.h"
#include "core/model/ser_model.h"
#include "core/model/time_pooling.h"

namespace ser {

class BasicBlockImpl : public torch::nn::Module {
 public:
  BasicBlockImpl(int inPlanes, int planes, int stride);
  torch::Tensor forward(torch::Tensor x);

 private:
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  SyncBatchNorm2d bn1{nullptr}, bn2{nullptr};
  torch::nn::Sequential downsample{nullptr};  // 1x1 conv + BN when shape changes, else null
};
TORCH_MODULE(BasicBlock);

class ResNet18Impl : public SerModelImpl {
 public:
  ResNet18Impl(int numClasses, double dropout, Pooling pooling = Pooling::Average,
               bool inputDeltas = false);
  torch::Tensor forward(torch::Tensor x) override;
  torch::Tensor embedding(torch::Tensor x) override;
  torch::Tensor head(torch::Tensor embedding) override;
  int embeddingSize() const override { return pool->outputSize(); }
  ModelKind kind() const override { return ModelKind::ResNet18; }
  int numClasses() const override { return numClasses_; }

 private:
  int numClasses_;
  bool inputDeltas_;
  torch::nn::Conv2d conv1{nullptr};
  SyncBatchNorm2d bn1{nullptr};
  torch::nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
  TimePooling pool{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear fc{nullptr};
};

// Initialises `model` from a pretrained-weights file; returns the names of the tensors loaded.
//
// Accepted format: a torch::serialize archive (what torch::serialize::OutputArchive::save_to and
// Python's torch.jit.save of a module tree both write) holding the tensors under their torchvision
// names, one nested archive per dotted name component: archive "layer1" -> "0" -> "conv1" ->
// tensor "weight". tools/export_resnet18_weights.py writes it from torchvision's resnet18 weights.
// conv1.weight may have 3 input channels (averaged to 1) or 1. Every "fc.*" tensor is skipped
// (the class count differs), as are our attentive pooling's "pool.*" and the num_batches_tracked
// counters. Every other parameter and BN buffer must be present with the right shape.
// Throws ser::Error naming the path and the first missing or mis-shaped tensor.
std::vector<std::string> loadPretrainedResNet18(ResNet18Impl& model,
                                                const std::filesystem::path& path);

// Writes the model's tensors (except num_batches_tracked) in the format above: for tests and
// for re-exporting a fine-tuned backbone.
void savePretrainedResNet18(const ResNet18Impl& model, const std::filesystem::path& path);

}  // namespace ser
