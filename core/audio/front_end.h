#pragma once
// The audio front end: load, downmix to mono, resample, fix the length.
#include <cstddef>
#include <string>
#include <vector>

#include "core/audio/resampler.h"

namespace ser {

struct AudioFrontEndParams {
  int sampleRate = 16000;     // target rate in Hz, [8000, 96000]
  double fixedSeconds = 3.0;  // clip length in seconds, (0, 60]; 0 = keep each clip's length
  // Longer clips are centre-cropped, shorter ones zero-padded at the end.
  void validate() const;      // throws ParameterError
};

// Centre-crops or zero-pads `samples` to exactly `length` samples.
std::vector<float> fixLength(const std::vector<float>& samples, std::size_t length);

// Per-thread front end (owns a Resampler and a scratch buffer). Not thread-safe: one per worker.
class AudioFrontEnd {
 public:
  // Samples (at the lower of the two rates) resampled beyond each side of the kept window when a
  // clip is cropped before resampling. libsoxr's high-quality filter reaches about 96 of them:
  // with this margin the kept samples equal those of the whole clip resampled, up to float
  // rounding (at most 5e-7 on full-scale signals from 8 to 192 kHz; test_audio checks 1e-6).
  static constexpr std::size_t kCropMargin = 256;

  explicit AudioFrontEnd(const AudioFrontEndParams& params);
  const AudioFrontEndParams& params() const { return params_; }
  // Loads `path` and returns mono samples at params().sampleRate, of fixed length if set.
  // Throws ser::Error naming the file on unreadable audio.
  std::vector<float> load(const std::string& path);
  // Same, from already decoded samples.
  std::vector<float> process(const std::vector<float>& mono, int sampleRate);
  // Same, from n decoded samples at `mono`, written to `out` (its capacity is reused). With a
  // fixed length, only the part of the clip the centre crop keeps (plus kCropMargin samples
  // each side) is resampled: the result is fixLength() of the whole clip resampled,
  // up to float rounding (see test_audio).
  void process(const float* mono, std::size_t n, int sampleRate, std::vector<float>& out);

 private:
  AudioFrontEndParams params_;
  Resampler resampler_;
  std::vector<float> resampled_;  // scratch: the resampled window
};

}  // namespace ser
