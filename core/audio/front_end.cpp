#include "core/audio/front_end.h"

#include <cmath>

#include "core/audio/audio_file.h"
#include "core/base/error.h"

namespace ser {

void AudioFrontEndParams::validate() const {
  checkRangeInt("sample_rate", sampleRate, 8000, 96000);
  if (fixedSeconds != 0.0) checkRange("fixed_seconds", fixedSeconds, 0.01, 60.0);
}

std::vector<float> fixLength(const std::vector<float>& samples, std::size_t length) {
  if (samples.size() == length) return samples;
  if (samples.size() > length) {
    const std::size_t start = (samples.size() - length) / 2;
    return std::vector<float>(samples.begin() + static_cast<std::ptrdiff_t>(start),
                              samples.begin() + static_cast<std::ptrdiff_t>(start + length));
  }
  std::vector<float> out(samples);
  out.resize(length, 0.0f);
  return out;
}

AudioFrontEnd::AudioFrontEnd(const AudioFrontEndParams& params)
    : params_((params.validate(), params)), resampler_(params.sampleRate) {}

std::vector<float> AudioFrontEnd::load(const std::string& path) {
  MonoAudio audio = loadMono(path);
  return process(audio.samples, audio.sampleRate);
}

std::vector<float> AudioFrontEnd::process(const std::vector<float>& mono, int sampleRate) {
  std::vector<float> out = resampler_.process(mono, sampleRate);
  if (params_.fixedSeconds > 0.0) {
    const auto length =
        static_cast<std::size_t>(std::llround(params_.fixedSeconds * params_.sampleRate));
    out = fixLength(out, length);
  }
  return out;
}

}  // namespace ser
