#include "core/model/speech_encoder.h"

#include <fstream>

#include <torch/csrc/jit/runtime/graph_executor.h>

#include "core/base/error.h"
#include "core/base/hash.h"

namespace ser {

namespace {

std::string shapeText(const torch::Tensor& t) {
  std::string s = "[";
  for (int64_t i = 0; i < t.dim(); ++i) s += (i ? ", " : "") + std::to_string(t.size(i));
  return s + "]";
}

// The first line of a libtorch message (TorchScript errors carry a long traceback), bounded.
std::string firstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  // A TorchScript `raise` puts the user's message on a later line: keep it.
  const auto raised = text.find("RuntimeError: ");
  if (raised != std::string::npos) {
    const std::string tail = text.substr(raised + 14);
    line = tail.substr(0, tail.find('\n'));
  }
  return quoteForMessage(line, 300);
}

}  // namespace

std::string hashFileContents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read '" + path.string() + "'");
  Fnv1a64 h;
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), std::streamsize(block.size()));
    h.addBytes(std::string_view(block.data(), std::size_t(in.gcount())));
  }
  if (in.bad()) throw Error("cannot read '" + path.string() + "': read error");
  return h.hex();
}

SpeechEncoder::SpeechEncoder(const std::filesystem::path& path) {
  const std::string where = "encoder '" + path.string() + "': ";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(where + "no such file");
  info_.file = std::filesystem::absolute(path).lexically_normal().string();
  info_.fileName = path.filename().string();
  info_.hash = hashFileContents(path);
  try {
    // libtorch 1.13's optimising graph executor fails an internal assert (jit_type_base.h:547)
    // on the second call of torchaudio's wav2vec 2.0 traced inside a scripted wrapper (the first
    // call, profiled, works). The encoder runs once per clip and is no hot loop worth its JIT
    // optimisations, so TorchScript runs unoptimised in this process (serwb's own networks are
    // not TorchScript and are not affected).
    torch::jit::setGraphExecutorOptimize(false);
    module_ = torch::jit::load(path.string(), torch::kCPU);
  } catch (const c10::Error& e) {
    throw Error(where + "not a TorchScript file (" + firstLine(e.what_without_backtrace()) + ")");
  } catch (const std::exception& e) {
    throw Error(where + "not a TorchScript file (" + firstLine(e.what()) + ")");
  }
  module_.eval();
  auto intAttr = [&](const char* name) {
    if (!module_.hasattr(name))
      throw Error(where + "missing attribute '" + name +
                  "' (export it with tools/export_encoder.py)");
    const c10::IValue v = module_.attr(name);
    if (!v.isInt()) throw Error(where + "attribute '" + name + "' is not an integer");
    return v.toInt();
  };
  const int64_t rate = intAttr("sample_rate");
  if (rate != kSampleRate)
    throw Error(where + "declares sample rate " + std::to_string(rate) + " Hz; SER Workbench feeds " +
                std::to_string(kSampleRate) + " Hz audio");
  const int64_t layers = intAttr("num_layers"), dim = intAttr("hidden_dim");
  if (layers < 1 || layers > 1000) throw Error(where + "num_layers = " + std::to_string(layers) + " is not in [1, 1000]");
  if (dim < 1 || dim > 65536) throw Error(where + "hidden_dim = " + std::to_string(dim) + " is not in [1, 65536]");
  if (!module_.hasattr("arch") || !module_.attr("arch").isString())
    throw Error(where + "missing attribute 'arch' (a string; export it with tools/export_encoder.py)");
  info_.arch = module_.attr("arch").toStringRef();
  info_.sampleRate = int(rate);
  info_.numLayers = int(layers);
  info_.hiddenDim = int(dim);
  // One second of silence must go through as the contract says.
  const torch::Tensor out = run(torch::zeros({1, kSampleRate}));
  if (out.size(1) != 1) throw Error(where + "output " + shapeText(out) + " for a batch of 1");
}

torch::Tensor SpeechEncoder::run(const torch::Tensor& batch) {
  const std::string where = "encoder '" + info_.file + "': ";
  torch::NoGradGuard noGrad;
  c10::IValue result;
  ++calls_;
  try {
    result = module_.forward({batch});
  } catch (const c10::Error& e) {
    throw Error(where + "forward on a [batch, samples] waveform " + shapeText(batch) +
                " failed (" + firstLine(e.what_without_backtrace()) +
                "); the encoder must take a rank-2 [batch, samples] input");
  } catch (const std::exception& e) {
    throw Error(where + "forward on a [batch, samples] waveform " + shapeText(batch) + " failed (" +
                firstLine(e.what()) + "); the encoder must take a rank-2 [batch, samples] input");
  }
  if (!result.isTensor())
    throw Error(where + "forward returns a " + result.tagKind() +
                ", expected one tensor [num_layers, batch, frames, hidden_dim]");
  torch::Tensor out = result.toTensor();
  if (out.dim() != 4)
    throw Error(where + "output has rank " + std::to_string(out.dim()) + " " + shapeText(out) +
                ", expected 4: [num_layers, batch, frames, hidden_dim]");
  if (out.size(0) != info_.numLayers || out.size(3) != info_.hiddenDim)
    throw Error(where + "output " + shapeText(out) + " does not match its attributes num_layers = " +
                std::to_string(info_.numLayers) + ", hidden_dim = " + std::to_string(info_.hiddenDim));
  if (out.size(2) < 1) throw Error(where + "output has no frames " + shapeText(out));
  return out.to(torch::kCPU, torch::kFloat);
}

torch::Tensor SpeechEncoder::hiddenStates(const std::vector<float>& samples) {
  if (samples.size() < 400)
    throw Error("encoder '" + info_.file + "': clip of " + std::to_string(samples.size()) +
                " samples is shorter than 400 (25 ms at 16 kHz)");
  const torch::Tensor wave =
      torch::from_blob(const_cast<float*>(samples.data()), {1, int64_t(samples.size())}, torch::kFloat);
  return run(wave).select(1, 0).contiguous();
}

}  // namespace ser
