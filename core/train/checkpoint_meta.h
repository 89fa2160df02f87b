#pragma once
// The metadata a checkpoint carries (the JSON text of its "meta" entry, see checkpoint.h) and what
// evaluation and prediction read from it. Torch-free, so it can be tested and fuzzed without
// libtorch.
#include <string>

#include <nlohmann/json.hpp>

#include "core/model/model_kind.h"
#include "core/train/feature_normaliser.h"

namespace ser {

// Parses the metadata text. Throws ser::Error "metadata is not valid JSON (...)" or "metadata is
// not a JSON object"; the caller prefixes the checkpoint's path.
nlohmann::json parseCheckpointMeta(const std::string& text);

// The network and input shape a checkpoint was trained with, and its normalisation statistics.
struct CheckpointModelMeta {
  ModelOptions model;          // kind, numClasses, dropout (pretrainedWeights empty)
  int inputRows = 0;           // mel bands the model was trained on
  int inputCols = 0;           // frames
  FeatureNormaliser normaliser;
};

// Reads the "model" and "normalisation" sections. Throws ser::Error "metadata incomplete (...)"
// for a missing key or a value of the wrong type, and the ParameterError / ser::Error of the
// model kind and normalisation readers; the caller prefixes the checkpoint's path.
CheckpointModelMeta checkpointModelMeta(const nlohmann::json& meta);

}  // namespace ser
