#include "core/model/resnet18.h"

#include <sstream>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace ser {

namespace nn = torch::nn;

namespace {

nn::Conv2d conv(int in, int out, int kernel, int stride, int padding) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(false));
}

nn::Sequential makeLayer(int& inPlanes, int planes, int stride) {
  nn::Sequential layer(BasicBlock(inPlanes, planes, stride), BasicBlock(planes, planes, 1));
  inPlanes = planes;
  return layer;
}

std::vector<std::string> splitName(const std::string& name) {
  std::vector<std::string> parts;
  std::stringstream ss(name);
  std::string part;
  while (std::getline(ss, part, '.')) parts.push_back(part);
  return parts;
}

// Follows the dotted name through nested archives; parameters and buffers are both accepted.
bool readNested(torch::serialize::InputArchive& archive, const std::vector<std::string>& parts,
                std::size_t index, torch::Tensor& out) {
  if (index + 1 == parts.size()) {
    try {
      if (archive.try_read(parts[index], out, /*is_buffer=*/false)) return true;
    } catch (const c10::Error&) {
    }
    return archive.try_read(parts[index], out, /*is_buffer=*/true);
  }
  torch::serialize::InputArchive child;
  if (!archive.try_read(parts[index], child)) return false;
  return readNested(child, parts, index + 1, out);
}

std::string shapeText(const torch::Tensor& t) {
  std::ostringstream os;
  os << t.sizes();
  return os.str();
}

}  // namespace

BasicBlockImpl::BasicBlockImpl(int inPlanes, int planes, int stride) {
  conv1 = register_module("conv1", conv(inPlanes, planes, 3, stride, 1));
  bn1 = register_module("bn1", SyncBatchNorm2d(planes));
  conv2 = register_module("conv2", conv(planes, planes, 3, 1, 1));
  bn2 = register_module("bn2", SyncBatchNorm2d(planes));
  if (stride != 1 || inPlanes != planes)
    downsample = register_module(
        "downsample", nn::Sequential(conv(inPlanes, planes, 1, stride, 0), SyncBatchNorm2d(planes)));
}

// In-place ReLU and residual sum, as torchvision does: batch norm's backward needs its input, not
// its output, so overwriting the output saves a full-size allocation and memory pass per ReLU.
torch::Tensor BasicBlockImpl::forward(torch::Tensor x) {
  torch::Tensor out = bn1(conv1(x));
  torch::relu_(out);
  out = bn2(conv2(out));
  out += downsample ? downsample->forward(x) : x;
  return out.relu_();
}

ResNet18Impl::ResNet18Impl(int numClasses, double dropoutRate, Pooling pooling, bool inputDeltas)
    : numClasses_(numClasses), inputDeltas_(inputDeltas) {
  conv1 = register_module("conv1", conv(inputDeltas ? 3 : 1, 64, 7, 2, 3));
  bn1 = register_module("bn1", SyncBatchNorm2d(64));
  int inPlanes = 64;
  layer1 = register_module("layer1", makeLayer(inPlanes, 64, 1));
  layer2 = register_module("layer2", makeLayer(inPlanes, 128, 2));
  layer3 = register_module("layer3", makeLayer(inPlanes, 256, 2));
  layer4 = register_module("layer4", makeLayer(inPlanes, 512, 2));
  pool = register_module("pool", TimePooling(512, pooling));
  dropout = register_module("dropout", nn::Dropout(dropoutRate));
  fc = register_module("fc", nn::Linear(pool->outputSize(), numClasses));

  // torchvision's initialisation: He-normal (fan-out) convolutions, BN scale 1 and shift 0.
  torch::NoGradGuard noGrad;
  for (auto& module : modules(/*include_self=*/false)) {
    if (auto* c = module->as<nn::Conv2d>()) {
      nn::init::kaiming_normal_(c->weight, 0.0, torch::kFanOut, torch::kReLU);
    } else if (auto* b = module->as<SyncBatchNorm2d>()) {
      nn::init::ones_(b->weight);
      nn::init::zeros_(b->bias);
    }
  }
}

torch::Tensor ResNet18Impl::embedding(torch::Tensor x) {
  if (inputDeltas_) x = withDeltas(x);
  x = bn1(conv1(x));
  torch::relu_(x);
  x = torch::max_pool2d(x, 3, 2, 1);
  x = layer4->forward(layer3->forward(layer2->forward(layer1->forward(x))));
  return pool(x);
}

torch::Tensor ResNet18Impl::head(torch::Tensor embedding) { return fc(dropout(embedding)); }

torch::Tensor ResNet18Impl::forward(torch::Tensor x) { return head(embedding(x)); }

std::vector<std::string> loadPretrainedResNet18(ResNet18Impl& model,
                                                const std::filesystem::path& path) {
  const std::string where = "pretrained weights '" + path.string() + "'";
  torch::serialize::InputArchive archive;
  const std::string bytes = readFile(path);
  try {
    archive.load_from(bytes.data(), bytes.size());
  } catch (const c10::Error& e) {
    throw Error(where + ": not a readable torch archive (" + e.what_without_backtrace() + ")");
  }

  std::vector<std::pair<std::string, torch::Tensor>> targets;
  for (const auto& item : model.named_parameters()) targets.emplace_back(item.key(), item.value());
  for (const auto& item : model.named_buffers())
    if (item.key().find("num_batches_tracked") == std::string::npos)
      targets.emplace_back(item.key(), item.value());

  std::vector<std::string> loaded;
  torch::NoGradGuard noGrad;
  for (auto& [name, target] : targets) {
    if (name.rfind("fc.", 0) == 0 || name.rfind("pool.", 0) == 0) continue;  // ours, not torchvision's
    torch::Tensor source;
    bool found = false;
    try {
      found = readNested(archive, splitName(name), 0, source);
    } catch (const c10::Error& e) {
      throw Error(where + ": cannot read '" + name + "' (" + e.what_without_backtrace() + ")");
    }
    if (!found) throw Error(where + ": tensor '" + name + "' is missing");
    if (name == "conv1.weight" && source.dim() == 4 && source.size(1) == 3)
      source = source.mean(1, /*keepdim=*/true);
    if (!source.sizes().equals(target.sizes()))
      throw Error(where + ": tensor '" + name + "' has shape " + shapeText(source) +
                  ", expected " + shapeText(target));
    target.copy_(source.to(target.dtype()));
    loaded.push_back(name);
  }
  return loaded;
}

void savePretrainedResNet18(const ResNet18Impl& model, const std::filesystem::path& path) {
  torch::serialize::OutputArchive archive;
  model.save(archive);
  std::ostringstream os;
  archive.save_to(os);
  writeFileAtomic(path, os.str());
}

}  // namespace ser
