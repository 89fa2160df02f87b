#include "core/model/model_kind.h"

#include "core/base/error.h"

namespace ser {

std::string toString(ModelKind kind) {
  switch (kind) {
    case ModelKind::ResNet18: return "resnet18";
    case ModelKind::CompactCnn: return "cnn";
    case ModelKind::EncoderHead: return "encoder";
  }
  return "cnn";
}

ModelKind modelKindFromString(const std::string& name) {
  if (name == "resnet18") return ModelKind::ResNet18;
  if (name == "cnn") return ModelKind::CompactCnn;
  if (name == "encoder") return ModelKind::EncoderHead;
  throw ParameterError("model", name, "one of resnet18, cnn, encoder");
}

std::string toString(Pooling pooling) {
  switch (pooling) {
    case Pooling::Average: return "avg";
    case Pooling::Statistics: return "stats";
    case Pooling::Attentive: return "attentive";
  }
  return "avg";
}

Pooling poolingFromString(const std::string& name) {
  if (name == "avg") return Pooling::Average;
  if (name == "stats") return Pooling::Statistics;
  if (name == "attentive") return Pooling::Attentive;
  throw ParameterError("pooling", name, "one of avg, stats, attentive");
}

void ModelOptions::validate() const {
  checkRangeInt("num_classes", numClasses, 2, 1000);
  checkRange("dropout", dropout, 0.0, 0.9);
  if (!pretrainedWeights.empty() && kind != ModelKind::ResNet18)
    throw ParameterError("pretrained_weights", pretrainedWeights, "only with model resnet18");
  if (kind == ModelKind::EncoderHead && pooling != Pooling::Average)
    throw ParameterError("pooling", toString(pooling), "avg with model encoder (its head pools attentively)");
  if (kind == ModelKind::EncoderHead && inputDeltas)
    throw ParameterError("deltas", "true", "false with model encoder");
  if (inputDeltas && !pretrainedWeights.empty())
    throw ParameterError("deltas", "true", "false with pretrained_weights (ImageNet's input channels are colours)");
  if (kind == ModelKind::EncoderHead) {
    checkRangeInt("encoder_layers", encoderLayers, 1, 1000);
    checkRangeInt("encoder_dim", encoderDim, 1, 65536);
  }
}

}  // namespace ser
