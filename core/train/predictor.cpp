#include "core/train/predictor.h"

#include <algorithm>
#include <cstring>

#include "core/base/error.h"
#include "core/model/model_factory.h"
#include "core/train/checkpoint.h"
#include "core/train/checkpoint_meta.h"

namespace ser {

torch::Tensor makeBatchTensor(const std::vector<const FeatureMatrix*>& clips) {
  if (clips.empty()) return torch::empty({0, 1, 0, 0});
  const int rows = clips.front()->rows;
  const int cols = clips.front()->cols;
  torch::Tensor batch = torch::empty({std::int64_t(clips.size()), 1, rows, cols}, torch::kFloat32);
  float* out = batch.data_ptr<float>();
  const std::size_t cells = std::size_t(rows) * cols;
  for (std::size_t i = 0; i < clips.size(); ++i) {
    const FeatureMatrix& clip = *clips[i];
    if (clip.rows != rows || clip.cols != cols || clip.data.size() != cells)
      throw Error("clip " + std::to_string(i) + " has shape " + std::to_string(clip.rows) + "x" +
                  std::to_string(clip.cols) + ", expected " + std::to_string(rows) + "x" +
                  std::to_string(cols));
    std::memcpy(out + i * cells, clip.data.data(), cells * sizeof(float));
  }
  return batch;
}

std::vector<std::vector<float>> predictProbabilities(SerModelImpl& model,
                                                     const std::vector<FeatureMatrix>& features,
                                                     int batchSize, const CancelFlag* cancel) {
  if (batchSize < 1) throw ParameterError("batch_size", std::to_string(batchSize), "[1, 4096]");
  std::vector<std::vector<float>> result;
  result.reserve(features.size());
  const auto params = model.parameters();
  const torch::Device device = params.empty() ? torch::Device(torch::kCPU) : params.front().device();
  model.eval();
  torch::NoGradGuard noGrad;
  for (std::size_t start = 0; start < features.size(); start += std::size_t(batchSize)) {
    if (isCancelled(cancel)) throw Cancelled("cancelled during prediction");
    const std::size_t end = std::min(features.size(), start + std::size_t(batchSize));
    std::vector<const FeatureMatrix*> clips;
    for (std::size_t i = start; i < end; ++i) clips.push_back(&features[i]);
    torch::Tensor probs =
        torch::softmax(model.forward(makeBatchTensor(clips).to(device)), 1).to(torch::kCPU).contiguous();
    const int classes = int(probs.size(1));
    const float* p = probs.data_ptr<float>();
    for (std::size_t i = 0; i < end - start; ++i)
      result.emplace_back(p + i * classes, p + (i + 1) * classes);
  }
  return result;
}

TrainedModel loadTrainedModel(const std::filesystem::path& checkpoint, DeviceChoice device,
                              int threads) {
  CheckpointFile file(checkpoint);
  TrainedModel trained;
  trained.meta = file.meta();
  trained.integrityNote = file.integrityNote();
  ModelOptions options;
  try {
    const CheckpointModelMeta m = checkpointModelMeta(trained.meta);
    options = m.model;
    trained.inputRows = m.inputRows;
    trained.inputCols = m.inputCols;
    trained.normaliser = m.normaliser;
  } catch (const Error& e) {
    throw Error("checkpoint '" + checkpoint.string() + "': " + e.what());
  }
  trained.device = selectComputeDevice(device, threads);
  trained.model = makeModel(options);
  trained.model->to(trained.device.device);
  file.loadModel(*trained.model, trained.device.device);
  trained.model->eval();
  return trained;
}

std::vector<std::vector<float>> predictProbabilities(const TrainedModel& trained,
                                                     const std::vector<FeatureMatrix>& features,
                                                     const std::vector<std::string>& speakers,
                                                     int batchSize, const CancelFlag* cancel) {
  for (std::size_t i = 0; i < features.size(); ++i)
    if (features[i].rows != trained.inputRows || features[i].cols != trained.inputCols)
      throw Error("clip " + std::to_string(i) + " has shape " + std::to_string(features[i].rows) +
                  "x" + std::to_string(features[i].cols) + ", the model was trained on " +
                  std::to_string(trained.inputRows) + "x" + std::to_string(trained.inputCols));
  const std::vector<BandStats> plan = trained.normaliser.plan(features, speakers);
  std::vector<FeatureMatrix> normalised = features;
  for (std::size_t i = 0; i < normalised.size(); ++i) FeatureNormaliser::apply(normalised[i], plan[i]);
  return predictProbabilities(*trained.model, normalised, batchSize, cancel);
}

}  // namespace ser
