#include "core/train/checkpoint.h"

#include <sstream>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/train/checkpoint_meta.h"
#include "core/base/json_text.h"
#include "core/base/hash.h"

namespace ser {

namespace {
constexpr const char* kFormat = "serwb-checkpoint";
constexpr std::int64_t kVersion = 1;
constexpr const char* kChecksumKey = "weights_fnv1a64";

// Every tensor of `model` in a fixed order: parameters, then buffers.
std::vector<std::pair<std::string, torch::Tensor>> weightTensors(const torch::nn::Module& model) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& item : model.named_parameters()) out.emplace_back(item.key(), item.value());
  for (const auto& item : model.named_buffers()) out.emplace_back(item.key(), item.value());
  return out;
}

// The first tensor of `model` holding a NaN or an infinity ("" when all are finite).
std::string firstNonFinite(const torch::nn::Module& model) {
  torch::NoGradGuard noGrad;
  for (const auto& [name, tensor] : weightTensors(model))
    if (tensor.is_floating_point() && !torch::isfinite(tensor).all().item<bool>()) return name;
  return {};
}
}  // namespace

std::string weightsChecksum(const torch::nn::Module& model) {
  torch::NoGradGuard noGrad;
  Fnv1a64 h;
  for (const auto& [name, tensor] : weightTensors(model)) {
    const torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
    h.addBytes(name);
    h.addBytes(std::string(c10::toString(t.scalar_type())));
    h.addU64(std::uint64_t(t.dim()));
    for (std::int64_t d : t.sizes()) h.addU64(std::uint64_t(d));
    h.addBytes(std::string_view(static_cast<const char*>(t.data_ptr()), t.nbytes()));
  }
  return h.hex();
}

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
    archive.write("meta", c10::IValue(dumpJson(meta)));
    archive.write(kChecksumKey, c10::IValue(weightsChecksum(model)));
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
    try {
      meta_ = parseCheckpointMeta(meta.toStringRef());
    } catch (const Error& e) {
      throw Error(where + ": " + e.what());
    }
    torch::serialize::InputArchive nested;
    if (!archive.try_read("model", nested)) throw Error(where + ": model weights missing");
    torch::serialize::InputArchive optimizerArchive;
    hasOptimizer_ = archive.try_read("optimizer", optimizerArchive);
    c10::IValue checksum;
    if (archive.try_read(kChecksumKey, checksum)) {
      if (!checksum.isString()) throw Error(where + ": damaged (the weights checksum is not text)");
      checksum_ = checksum.toStringRef();
    }
  } catch (const c10::Error& e) {
    throw Error(where + ": unreadable or corrupt (" + e.what_without_backtrace() + ")");
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
    verifyWeights(model);
  } catch (const c10::Error& e) {
    throw Error("checkpoint '" + path_.string() + "': weights do not fit the model (" +
                e.what_without_backtrace() + ")");
  }
}

std::string CheckpointFile::integrityNote() const {
  if (!checksum_.empty()) return {};
  return "checkpoint '" + path_.string() +
         "' has no weights checksum (written by an older serwb): its weights are checked for "
         "NaN and infinity only";
}

void CheckpointFile::verifyWeights(const torch::nn::Module& model) const {
  const std::string where = "checkpoint '" + path_.string() + "': damaged: ";
  if (!checksum_.empty()) {
    const std::string actual = weightsChecksum(model);
    if (actual != checksum_)
      throw Error(where + "the weights do not match their checksum (stored " +
                  quoteForMessage(checksum_, 32) + ", read " + actual +
                  "); restore the file or train again");
  }
  const std::string bad = firstNonFinite(model);
  if (!bad.empty())
    throw Error(where + "tensor '" + bad + "' holds NaN or infinite values");
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
