#pragma once
// The interface every classifier network implements: a torch::nn::Module mapping a batch of
// log-mel images [B, 1, mels, frames] to logits [B, numClasses].
#include <torch/torch.h>

#include <cstdint>
#include <memory>

#include "core/model/model_kind.h"

namespace ser {

class SerModelImpl : public torch::nn::Module {
 public:
  // x: float [B, 1, mels, frames] on the module's device. Returns logits [B, numClasses].
  virtual torch::Tensor forward(torch::Tensor x) = 0;
  // The penultimate layer: the pooled features [B, embeddingSize()] that the classifier's final
  // linear layer reads (before dropout), for the same input as forward(). forward(x) equals the
  // linear layer applied to embedding(x) (after dropout).
  virtual torch::Tensor embedding(torch::Tensor x) = 0;
  // The classifier on top of an embedding: logits [B, numClasses]; forward(x) = head(embedding(x)).
  virtual torch::Tensor head(torch::Tensor embedding) = 0;
  virtual int embeddingSize() const = 0;
  virtual ModelKind kind() const = 0;
  virtual int numClasses() const = 0;
};

// Shared ownership, as with torch's own module holders; the trainer and predictor share one model.
using SerModel = std::shared_ptr<SerModelImpl>;

// Number of trainable parameter values (not buffers).
inline std::int64_t countParameters(const torch::nn::Module& module) {
  std::int64_t n = 0;
  for (const auto& p : module.parameters())
    if (p.requires_grad()) n += p.numel();
  return n;
}

}  // namespace ser
