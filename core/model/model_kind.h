#pragma once
// Which network to train, and its construction options. Torch-free, so the CLI and the UI can
// name models without including libtorch.
#include <string>

namespace ser {

enum class ModelKind {
  ResNet18,    // torchvision-style ResNet-18 on a 1-channel log-mel image, ~11.2M parameters
  CompactCnn,  // 4 conv blocks (16-32-64-128), ~0.1M parameters; the default
  EncoderHead, // head on a frozen pretrained speech encoder's hidden states (encoder_head.h)
};
std::string toString(ModelKind kind);                     // "resnet18", "cnn", "encoder"
ModelKind modelKindFromString(const std::string& name);   // throws ParameterError("model", ...)

// How a convolutional model (cnn, resnet18) turns its last feature map [B, C, F, T] into one
// vector per clip. The encoder head always uses attentive statistics pooling.
enum class Pooling {
  Average,     // "avg": the mean over frequency and time, C values (the default)
  Statistics,  // "stats": mean over frequency, then mean and standard deviation over time, 2C
  Attentive,   // "attentive": attentive statistics pooling over time (Okabe et al. 2018), 2C
};
std::string toString(Pooling pooling);                    // "avg", "stats", "attentive"
Pooling poolingFromString(const std::string& name);       // throws ParameterError("pooling", ...)

// The rules on which architecture takes which option, shared by ModelOptions and TrainerOptions:
// pretrained weights only with resnet18; pooling other than avg and delta channels only with the
// convolutional models; delta channels not with pretrained weights. Throws ParameterError.
void checkArchitecture(ModelKind kind, Pooling pooling, bool inputDeltas, const std::string& pretrainedWeights);

struct ModelOptions {
  ModelKind kind = ModelKind::CompactCnn;
  int numClasses = 6;                 // outputs (logits), [2, 1000]
  double dropout = 0.3;               // before the final linear layer, [0, 0.9]; 0 = none
  std::string pretrainedWeights;      // ResNet18 only: weights file (see resnet18.h); empty = random init
  int encoderLayers = 0;              // EncoderHead only: hidden-state layers in the input, [1, 1000]
  int encoderDim = 0;                 // EncoderHead only: values per layer and frame, [1, 65536]
  Pooling pooling = Pooling::Average; // CompactCnn and ResNet18 only (others: Average)
  // CompactCnn and ResNet18 only: the network computes the first and second time derivatives of
  // its log-mel input (torchaudio's compute_deltas, window 5, edges replicated) and reads the
  // three as channels. Not with pretrainedWeights (ImageNet's three channels are colours).
  bool inputDeltas = false;
  void validate() const;              // throws ParameterError
};

}  // namespace ser
