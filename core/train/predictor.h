#pragma once
// Inference: class probabilities for clips, from a model in memory or a checkpoint file.
#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/progress.h"
#include "core/features/feature_matrix.h"
#include "core/model/ser_model.h"
#include "core/train/compute_device.h"
#include "core/train/feature_normaliser.h"

namespace ser {

// Copies clips (all rows x cols) into a float tensor [N, 1, rows, cols] on the CPU.
// Throws ser::Error when shapes differ.
torch::Tensor makeBatchTensor(const std::vector<const FeatureMatrix*>& clips);

// Softmax probabilities [clip][class] for already-normalised clips, computed in batches of
// `batchSize` in eval mode without gradients, on the device of the model's parameters.
// Leaves the model in eval mode. Polls `cancel` between batches: throws ser::Cancelled when set.
std::vector<std::vector<float>> predictProbabilities(SerModelImpl& model,
                                                     const std::vector<FeatureMatrix>& features,
                                                     int batchSize = 64,
                                                     const CancelFlag* cancel = nullptr);

// A trained model restored from a checkpoint, with what it needs to treat new clips as training did.
struct TrainedModel {
  SerModel model;                 // in eval mode, on `device.device`
  ComputeDevice device;
  FeatureNormaliser normaliser;   // the training run's normalisation and fallback statistics
  int inputRows = 0;              // mel bands the model was trained on
  int inputCols = 0;              // frames
  nlohmann::json meta;            // the whole checkpoint metadata ("run" = the caller's;
                                  // "experiment" in checkpoints written before format 2)
  std::string integrityNote;      // CheckpointFile::integrityNote(): empty when verified
};

// Throws ser::Error naming the path for unreadable or incompatible files.
TrainedModel loadTrainedModel(const std::filesystem::path& checkpoint,
                              DeviceChoice device = DeviceChoice::Auto, int threads = 0);

// Normalises raw log-mel clips as in training (speakers: per clip, may be empty) and predicts.
// Clips must have the training shape; throws ser::Error otherwise.
std::vector<std::vector<float>> predictProbabilities(const TrainedModel& trained,
                                                     const std::vector<FeatureMatrix>& features,
                                                     const std::vector<std::string>& speakers,
                                                     int batchSize = 64,
                                                     const CancelFlag* cancel = nullptr);

}  // namespace ser
