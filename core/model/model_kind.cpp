#include "core/model/model_kind.h"

#include "core/base/enum_names.h"
#include "core/base/error.h"

namespace ser {

namespace {

constexpr std::pair<ModelKind, const char*> kModelKinds[] = {
    {ModelKind::ResNet18, "resnet18"}, {ModelKind::CompactCnn, "cnn"}, {ModelKind::EncoderHead, "encoder"}};
constexpr std::pair<Pooling, const char*> kPoolings[] = {
    {Pooling::Average, "avg"}, {Pooling::Statistics, "stats"}, {Pooling::Attentive, "attentive"}};

}  // namespace

std::string toString(ModelKind kind) { return enumName(kind, kModelKinds); }
ModelKind modelKindFromString(const std::string& name) { return enumFromName("model", name, kModelKinds); }
std::string toString(Pooling pooling) { return enumName(pooling, kPoolings); }
Pooling poolingFromString(const std::string& name) { return enumFromName("pooling", name, kPoolings); }

void checkArchitecture(ModelKind kind, Pooling pooling, bool inputDeltas, const std::string& pretrainedWeights) {
  if (!pretrainedWeights.empty() && kind != ModelKind::ResNet18)
    throw ParameterError("pretrained_weights", pretrainedWeights, "only with model resnet18");
  if (kind == ModelKind::EncoderHead && pooling != Pooling::Average)
    throw ParameterError("pooling", toString(pooling), "avg with model encoder (its head pools attentively)");
  if (kind == ModelKind::EncoderHead && inputDeltas)
    throw ParameterError("deltas", "true", "false with model encoder");
  if (inputDeltas && !pretrainedWeights.empty())
    throw ParameterError("deltas", "true", "false with pretrained_weights (ImageNet's input channels are colours)");
}

void ModelOptions::validate() const {
  checkRangeInt("num_classes", numClasses, 2, 1000);
  checkRange("dropout", dropout, 0.0, 0.9);
  checkArchitecture(kind, pooling, inputDeltas, pretrainedWeights);
  if (kind == ModelKind::EncoderHead) {
    checkRangeInt("encoder_layers", encoderLayers, 1, 1000);
    checkRangeInt("encoder_dim", encoderDim, 1, 65536);
  }
}

}  // namespace ser
