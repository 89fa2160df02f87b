#pragma once
// Checkpoint files: model weights, optionally the optimiser state, and a JSON metadata string
// (model kind and size, input shape, normalisation statistics, trainer options and state, and
// the caller's experiment metadata), so evaluation and prediction need nothing else.
//
// Layout: a torch::serialize archive (zip) with "format" = "serwb-checkpoint", "version" = 1,
// "meta" = JSON text, "weights_fnv1a64" = the checksum of the model tensors (see
// weightsChecksum; absent in checkpoints written before it existed), nested archives "model"
// and (optionally) "optimizer".
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

// FNV-1a 64 (hex) over every parameter, then every buffer of `model`, in named_parameters() /
// named_buffers() order: each tensor's name, dtype, shape and raw bytes (read on the CPU). The
// same weights give the same checksum on any device.
std::string weightsChecksum(const torch::nn::Module& model);

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
  // Empty when the file stores a weights checksum; otherwise a note for the log saying that the
  // weights cannot be verified (a checkpoint written by an older serwb). Loads work either way.
  std::string integrityNote() const;

  // Copies the stored weights into `model` (same architecture), tensors placed on `device`.
  // Throws ser::Error calling the file damaged when the weights do not match the stored
  // checksum or hold NaN or infinite values.
  void loadModel(torch::nn::Module& model, torch::Device device) const;
  // Restores the optimiser state; the optimiser must be built on the same model parameters.
  void loadOptimizer(torch::optim::Optimizer& optimizer, torch::Device device) const;

 private:
  torch::serialize::InputArchive open(torch::Device device) const;
  void verifyWeights(const torch::nn::Module& model) const;
  std::filesystem::path path_;
  std::string bytes_;
  nlohmann::json meta_;
  bool hasOptimizer_ = false;
  std::string checksum_;  // empty: written before checksums
};

}  // namespace ser
