#pragma once
// Which network to train, and its construction options. Torch-free, so the CLI and the UI can
// name models without including libtorch.
#include <string>

namespace ser {

enum class ModelKind {
  ResNet18,    // torchvision-style ResNet-18 on a 1-channel log-mel image, ~11.2M parameters
  CompactCnn,  // 4 conv blocks (32-64-128-128), ~0.24M parameters; the default on CPU
  EncoderHead, // head on a frozen pretrained speech encoder's hidden states (encoder_head.h)
};
std::string toString(ModelKind kind);                     // "resnet18", "cnn", "encoder"
ModelKind modelKindFromString(const std::string& name);   // throws ParameterError("model", ...)

struct ModelOptions {
  ModelKind kind = ModelKind::CompactCnn;
  int numClasses = 6;                 // outputs (logits), [2, 1000]
  double dropout = 0.3;               // before the final linear layer, [0, 0.9]; 0 = none
  std::string pretrainedWeights;      // ResNet18 only: weights file (see resnet18.h); empty = random init
  int encoderLayers = 0;              // EncoderHead only: hidden-state layers in the input, [1, 1000]
  int encoderDim = 0;                 // EncoderHead only: values per layer and frame, [1, 65536]
  void validate() const;              // throws ParameterError
};

}  // namespace ser
