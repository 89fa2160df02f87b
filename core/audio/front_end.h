#pragma once
// The audio front end: load, downmix to mono, resample, fix the length.
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

// Per-thread front end (owns a Resampler). Not thread-safe: one per worker.
class AudioFrontEnd {
 public:
  explicit AudioFrontEnd(const AudioFrontEndParams& params);
  const AudioFrontEndParams& params() const { return params_; }
  // Loads `path` and returns mono samples at params().sampleRate, of fixed length if set.
  // Throws ser::Error naming the file on unreadable audio.
  std::vector<float> load(const std::string& path);
  // Same, from already decoded samples.
  std::vector<float> process(const std::vector<float>& mono, int sampleRate);

 private:
  AudioFrontEndParams params_;
  Resampler resampler_;
};

}  // namespace ser
