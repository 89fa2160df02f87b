#include "core/train/checkpoint.h"

#include <sstream>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace ser {

namespace {
constexpr const char* kFormat = "serwb-checkpoint";
constexpr std::int64_t kVersion = 1;
}  // namespace

void saveModuleOnCpu(const torch::nn::Module& module, torch::serialize::OutputArchive& archive) {
  // torch::nn::Module::save, with every tensor copied to contiguous CPU memory first.
  torch::NoGradGuard noGrad;
  for (const auto& item : module.named_parameters(/*recurse=*/false))
    archive.write(item.key(), item.value().to(torch::kCPU).contiguous());
  for (const auto& item : module.named_buffers(/*recurse=*/false))
    archive.write(item.key(), item.value().to(torch::kCPU).contiguous(), /*is_buffer=*/true);
  for (const auto& child : module.named_children()) {
    if (!child.value()->is_serializable()) continue;
    torch::serialize::OutputArchive childArchive(archive.compilation_unit());
    saveModuleOnCpu(*child.value(), childArchive);
    archive.write(child.key(), childArchive);
  }
}

void writeCheckpoint(const std::filesystem::path& path, const torch::nn::Module& model,
                     const torch::optim::Optimizer* optimizer, const nlohmann::json& meta) {
  std::ostringstream bytes;
  try {
    torch::serialize::OutputArchive archive;
    archive.write("format", c10::IValue(std::string(kFormat)));
    archive.write("version", c10::IValue(kVersion));
    archive.write("meta", c10::IValue(meta.dump()));
    torch::serialize::OutputArchive modelArchive(archive.compilation_unit());
    saveModuleOnCpu(model, modelArchive);
    archive.write("model", modelArchive);
    if (optimizer) {
      torch::serialize::OutputArchive optimizerArchive(archive.compilation_unit());
      optimizer->save(optimizerArchive);
      archive.write("optimizer", optimizerArchive);
    }
    archive.save_to(bytes);
  } catch (const c10::Error& e) {
    throw Error("cannot write checkpoint '" + path.string() + "': " + e.what_without_backtrace());
  }
  writeFileAtomic(path, bytes.str());
}

CheckpointFile::CheckpointFile(const std::filesystem::path& path) : path_(path) {
  const std::string where = "checkpoint '" + path.string() + "'";
  if (!std::filesystem::is_regular_file(path)) throw Error(where + ": file not found");
  bytes_ = readFile(path);
  try {
    torch::serialize::InputArchive archive = open(torch::kCPU);
    c10::IValue format;
    if (!archive.try_read("format", format) || !format.isString() ||
        format.toStringRef() != kFormat)
      throw Error(where + ": not a SER Workbench checkpoint (no format tag)");
    c10::IValue version;
    if (!archive.try_read("version", version) || !version.isInt() || version.toInt() > kVersion)
      throw Error(where + ": unsupported checkpoint version");
    c10::IValue meta;
    if (!archive.try_read("meta", meta) || !meta.isString())
      throw Error(where + ": metadata missing");
    meta_ = nlohmann::json::parse(meta.toStringRef());
    torch::serialize::InputArchive nested;
    if (!archive.try_read("model", nested)) throw Error(where + ": model weights missing");
    torch::serialize::InputArchive optimizerArchive;
    hasOptimizer_ = archive.try_read("optimizer", optimizerArchive);
  } catch (const c10::Error& e) {
    throw Error(where + ": unreadable or corrupt (" + e.what_without_backtrace() + ")");
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": metadata is not valid JSON (" + e.what() + ")");
  }
}

torch::serialize::InputArchive CheckpointFile::open(torch::Device device) const {
  torch::serialize::InputArchive archive;
  archive.load_from(bytes_.data(), bytes_.size(), device);
  return archive;
}

void CheckpointFile::loadModel(torch::nn::Module& model, torch::Device device) const {
  try {
    torch::serialize::InputArchive archive = open(device);
    torch::serialize::InputArchive nested;
    archive.read("model", nested);
    // Module::load replaces tensors whatever their shape; check the shapes it left behind.
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> expected;
    for (const auto& item : model.named_parameters()) expected.emplace_back(item.key(), item.value().sizes().vec());
    for (const auto& item : model.named_buffers()) expected.emplace_back(item.key(), item.value().sizes().vec());
    model.load(nested);
    const auto params = model.named_parameters();
    const auto buffers = model.named_buffers();
    for (const auto& [name, shape] : expected) {
      const torch::Tensor* loaded = params.find(name);
      if (!loaded) loaded = buffers.find(name);
      if (!loaded || loaded->sizes().vec() != shape)
        throw Error("checkpoint '" + path_.string() + "': weights do not fit the model (tensor '" +
                    name + "' has another shape)");
    }
  } catch (const c10::Error& e) {
    throw Error("checkpoint '" + path_.string() + "': weights do not fit the model (" +
                e.what_without_backtrace() + ")");
  }
}

void CheckpointFile::loadOptimizer(torch::optim::Optimizer& optimizer, torch::Device device) const {
  if (!hasOptimizer_) throw Error("checkpoint '" + path_.string() + "': no optimiser state");
  try {
    torch::serialize::InputArchive archive = open(device);
    torch::serialize::InputArchive nested;
    archive.read("optimizer", nested);
    optimizer.load(nested);
  } catch (const c10::Error& e) {
    throw Error("checkpoint '" + path_.string() + "': optimiser state does not fit (" +
                e.what_without_backtrace() + ")");
  }
}

}  // namespace ser
