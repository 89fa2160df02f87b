#pragma once
// Checkpoint files: model weights, optionally the optimiser state, and a JSON metadata string
// (model kind and size, input shape, normalisation statistics, trainer options and state, and
// the caller's experiment metadata), so evaluation and prediction need nothing else.
//
// Layout: a torch::serialize archive (zip) with "format" = "serwb-checkpoint", "version" = 1,
// "meta" = JSON text, nested archives "model" and (optionally) "optimizer".
#include <torch/torch.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace ser {

// Checkpoints move between devices: the weights are always written from CPU copies, and loading
// maps every tensor (weights and optimiser state) onto the device asked for, so a checkpoint written
// on CUDA loads on a CPU-only machine and the reverse.

// Writes atomically (temporary file + rename). Throws ser::Error naming the path.
void writeCheckpoint(const std::filesystem::path& path, const torch::nn::Module& model,
                     const torch::optim::Optimizer* optimizer, const nlohmann::json& meta);

// torch::nn::Module::save with every parameter and buffer copied to contiguous CPU memory first, so
// the archive holds no device tensors (the layout Module::load reads).
void saveModuleOnCpu(const torch::nn::Module& module, torch::serialize::OutputArchive& archive);

// A checkpoint read into memory. Construction validates the file; every failure (missing,
// truncated, corrupt, not a checkpoint, wrong shapes) is a ser::Error naming the path and reason.
class CheckpointFile {
 public:
  explicit CheckpointFile(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  const nlohmann::json& meta() const { return meta_; }
  bool hasOptimizer() const { return hasOptimizer_; }

  // Copies the stored weights into `model` (same architecture), tensors placed on `device`.
  void loadModel(torch::nn::Module& model, torch::Device device) const;
  // Restores the optimiser state; the optimiser must be built on the same model parameters.
  void loadOptimizer(torch::optim::Optimizer& optimizer, torch::Device device) const;

 private:
  torch::serialize::InputArchive open(torch::Device device) const;
  std::filesystem::path path_;
  std::string bytes_;
  nlohmann::json meta_;
  bool hasOptimizer_ = false;
};

}  // namespace ser
