#include "core/train/checkpoint_meta.h"

#include "core/base/json_text.h"

#include "core/base/error.h"
#include "core/base/json_number.h"

namespace ser {

namespace {

// m[key] as an int: a JSON integer within int's range (a float such as 1e10 would not convert).
int intAt(const nlohmann::json& m, const char* key) {
  const nlohmann::json& v = m.at(key);
  if (!jsonIsIntegerOf<int>(v))
    throw Error(std::string("metadata: model.") + key + " is not an integer within range");
  return v.get<int>();
}

}  // namespace

nlohmann::json parseCheckpointMeta(const std::string& text) {
  nlohmann::json meta;
  try {
    meta = parseJson(text);  // serwb's JSON: non-UTF-8 bytes escaped reversibly (json_text.h)
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("metadata is not valid JSON (") + e.what() + ")");
  }
  if (!meta.is_object()) throw Error("metadata is not a JSON object");
  return meta;
}

CheckpointModelMeta checkpointModelMeta(const nlohmann::json& meta) {
  CheckpointModelMeta out;
  try {
    const auto& m = meta.at("model");
    out.model.kind = modelKindFromString(m.at("kind").get<std::string>());
    out.model.numClasses = intAt(m, "num_classes");
    out.model.dropout = m.at("dropout").get<double>();
    out.inputRows = intAt(m, "input_rows");
    out.inputCols = intAt(m, "input_cols");
    out.normaliser = FeatureNormaliser::fromJson(meta.at("normalisation"));
    if (out.model.kind == ModelKind::EncoderHead) out.model.encoderLayers = intAt(m, "encoder_layers");
    // Absent in checkpoints from before these options: an average-pooled, one-channel network.
    if (m.contains("pooling")) out.model.pooling = poolingFromString(m.at("pooling").get<std::string>());
    if (m.contains("deltas")) out.model.inputDeltas = m.at("deltas").get<bool>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("metadata incomplete (") + e.what() + ")");
  }
  if (out.inputRows < 1 || out.inputCols < 1)
    throw Error("metadata: input shape " + std::to_string(out.inputRows) + "x" +
                std::to_string(out.inputCols) + " is not positive");
  if (out.model.kind == ModelKind::EncoderHead) {
    if (out.model.encoderLayers < 1 || out.inputRows % out.model.encoderLayers != 0)
      throw Error("metadata: " + std::to_string(out.inputRows) + " input rows are not a whole number of " +
                  std::to_string(out.model.encoderLayers) + " encoder layers");
    out.model.encoderDim = out.inputRows / out.model.encoderLayers;
  }
  return out;
}

}  // namespace ser
