#pragma once
// A user-supplied pretrained speech encoder (wav2vec 2.0, HuBERT, WavLM, Whisper's encoder, ...)
// as a TorchScript file written by tools/export_encoder.py. SER Workbench never downloads one.
//
// The file's contract (one, checked when it is opened):
//   forward(Tensor waveform [batch, samples], float32, 16 kHz mono)
//       -> Tensor [num_layers, batch, frames, hidden_dim], float32: every transformer layer's
//          output, first to last, stacked;
//   attributes: int sample_rate (must be 16000), int num_layers, int hidden_dim, str arch.
// The encoder stays frozen: it runs in eval mode, without gradients, on the CPU.
#include <torch/script.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ser {

struct SpeechEncoderInfo {
  std::string file;        // the path it was opened from
  std::string fileName;    // its file name (provenance)
  std::string hash;        // FNV-1a 64 of the file's bytes, 16 hex digits: keys the cache
  std::string arch;        // the file's `arch` attribute ("wav2vec2_base", "hubert_base", ...)
  int sampleRate = 16000;  // Hz
  int numLayers = 0;       // hidden-state layers returned per clip
  int hiddenDim = 0;       // values per frame and layer
};

class SpeechEncoder {
 public:
  static constexpr int kSampleRate = 16000;

  // Loads and checks `path`: a TorchScript file with the attributes above, whose forward on one
  // second of silence returns [num_layers, 1, frames, hidden_dim]. Throws ser::Error
  // "encoder 'FILE': REASON" (not TorchScript, missing attribute, sample rate not 16000, a
  // forward that fails on a [batch, samples] waveform, an output of the wrong rank or shape).
  explicit SpeechEncoder(const std::filesystem::path& path);
  const SpeechEncoderInfo& info() const { return info_; }

  // Hidden states of one clip: `samples` mono at 16 kHz (at least 400, one 25 ms window) ->
  // float [num_layers, frames, hidden_dim] on the CPU. Not thread-safe (one caller at a time).
  // Throws ser::Error naming the encoder when its forward fails or its output breaks the contract.
  torch::Tensor hiddenStates(const std::vector<float>& samples);
  // Forward calls made so far (the opening check included): lets tests see cache hits.
  std::int64_t forwardCalls() const { return calls_; }

 private:
  torch::Tensor run(const torch::Tensor& batch);
  SpeechEncoderInfo info_;
  torch::jit::Module module_;
  std::int64_t calls_ = 0;
};

// FNV-1a 64 of a file's bytes (16 hex digits), read in blocks. Throws ser::Error naming the file.
std::string hashFileContents(const std::filesystem::path& path);

}  // namespace ser
