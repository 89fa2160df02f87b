#include "core/model/model_factory.h"

#include "core/model/compact_cnn.h"
#include "core/model/encoder_head.h"
#include "core/model/resnet18.h"

namespace ser {

SerModel makeModel(const ModelOptions& options) {
  options.validate();
  switch (options.kind) {
    case ModelKind::ResNet18: {
      auto model = std::make_shared<ResNet18Impl>(options.numClasses, options.dropout, options.pooling,
                                                  options.inputDeltas);
      if (!options.pretrainedWeights.empty()) loadPretrainedResNet18(*model, options.pretrainedWeights);
      return model;
    }
    case ModelKind::CompactCnn:
      return std::make_shared<CompactCnnImpl>(options.numClasses, options.dropout, options.pooling,
                                              options.inputDeltas);
    case ModelKind::EncoderHead:
      return std::make_shared<EncoderHeadImpl>(options.encoderLayers, options.encoderDim,
                                               options.numClasses, options.dropout);
  }
  return std::make_shared<CompactCnnImpl>(options.numClasses, options.dropout);
}

}  // namespace ser
