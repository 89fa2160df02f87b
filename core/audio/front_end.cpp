#include "core/audio/front_end.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/audio/audio_file.h"
#include "core/base/error.h"

namespace ser {

namespace {

// Centre-crops or zero-pads n samples at `s` to `length` samples in `out`.
void fixLengthInto(const float* s, std::size_t n, std::size_t length, std::vector<float>& out) {
  if (n >= length) {
    const float* first = s + (n - length) / 2;
    out.assign(first, first + length);
    return;
  }
  out.assign(s, s + n);
  out.resize(length, 0.0f);
}

}  // namespace

void AudioFrontEndParams::validate() const {
  checkRangeInt("sample_rate", sampleRate, 8000, 96000);
  if (fixedSeconds != 0.0) checkRange("fixed_seconds", fixedSeconds, 0.01, 60.0);
}

std::vector<float> fixLength(const std::vector<float>& samples, std::size_t length) {
  std::vector<float> out;
  fixLengthInto(samples.data(), samples.size(), length, out);
  return out;
}

AudioFrontEnd::AudioFrontEnd(const AudioFrontEndParams& params)
    : params_((params.validate(), params)), resampler_(params.sampleRate) {}

std::vector<float> AudioFrontEnd::load(const std::string& path) {
  MonoAudio audio = loadMono(path);
  return process(audio.samples, audio.sampleRate);
}

std::vector<float> AudioFrontEnd::process(const std::vector<float>& mono, int sampleRate) {
  std::vector<float> out;
  process(mono.data(), mono.size(), sampleRate, out);
  return out;
}

void AudioFrontEnd::process(const float* mono, std::size_t n, int sampleRate,
                            std::vector<float>& out) {
  if (sampleRate <= 0) throw ParameterError("inputRate", std::to_string(sampleRate), "(0, inf)");
  const int target = params_.sampleRate;
  if (params_.fixedSeconds <= 0.0) {
    resampler_.process(mono, n, sampleRate, out);
    return;
  }
  const auto length = static_cast<std::size_t>(std::llround(params_.fixedSeconds * target));
  // The whole clip's length after resampling, as Resampler::process computes it.
  const auto resampledLength =
      static_cast<std::size_t>(std::llround(double(n) * (double(target) / sampleRate)));
  // The margin in output samples: kCropMargin at the lower rate.
  const std::size_t margin =
      kCropMargin * static_cast<std::size_t>(std::max(1, (target + sampleRate - 1) / sampleRate));
  if (sampleRate == target || resampledLength <= length + 2 * margin) {
    resampler_.process(mono, n, sampleRate, resampled_);
    fixLengthInto(resampled_.data(), resampled_.size(), length, out);
    return;
  }
  // The crop keeps [start, start + length) of the resampled clip. Input sample i*inStep falls
  // exactly on output sample i*outStep, so a window of the input starting there resamples to
  // the same output samples (away from the window's edges, which the margin absorbs).
  const std::size_t start = (resampledLength - length) / 2;
  const int g = std::gcd(sampleRate, target);
  const auto inStep = static_cast<std::size_t>(sampleRate / g);
  const auto outStep = static_cast<std::size_t>(target / g);
  const std::size_t first = (start - std::min(start, margin)) / outStep;  // in steps
  const std::size_t last = (start + length + margin + outStep - 1) / outStep;
  const std::size_t a = first * inStep;
  const std::size_t b = std::min(n, last * inStep);
  resampler_.process(mono + a, b - a, sampleRate, resampled_);
  const std::size_t offset = start - first * outStep;
  if (offset + length > resampled_.size())  // cannot happen: the window covers the crop
    throw Error("front end: resampled window too short for the crop");
  out.assign(resampled_.begin() + static_cast<std::ptrdiff_t>(offset),
             resampled_.begin() + static_cast<std::ptrdiff_t>(offset + length));
}

}  // namespace ser
