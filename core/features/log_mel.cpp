#include "core/features/log_mel.h"

#include <cmath>
#include <sstream>
#include <string>

#include "core/base/error.h"

namespace ser {

void LogMelParams::validate() const {
  stft.validate();
  mel.validate(stft.sampleRate);
  if (!(logOffset > 0.0 && logOffset <= 1.0)) {
    std::ostringstream os;
    os << logOffset;
    throw ParameterError("log_offset", os.str(), "(0, 1]");
  }
}

LogMel::LogMel(const LogMelParams& params)
    : params_((params.validate(), params)),
      stft_(params.stft),
      filters_(melFilterbank(params.mel, params.stft.sampleRate, params.stft.fftSize())) {
  firstBin_.assign(static_cast<std::size_t>(filters_.rows), 0);
  endBin_.assign(static_cast<std::size_t>(filters_.rows), 0);
  for (int m = 0; m < filters_.rows; ++m) {
    int first = -1;
    int last = -1;
    for (int k = 0; k < filters_.cols; ++k) {
      if (filters_.at(m, k) != 0.0f) {
        if (first < 0) first = k;
        last = k;
      }
    }
    firstBin_[static_cast<std::size_t>(m)] = first < 0 ? 0 : first;
    endBin_[static_cast<std::size_t>(m)] = first < 0 ? 0 : last + 1;
  }
}

FeatureMatrix LogMel::melPower(const std::vector<float>& samples) const {
  return applyFilters(stft_.power(samples));
}

FeatureMatrix LogMel::applyFilters(const FeatureMatrix& power) const {
  if (power.rows != filters_.cols) {
    throw Error("LogMel: power spectrogram has " + std::to_string(power.rows) + " bins, expected " +
                std::to_string(filters_.cols));
  }
  const int frames = power.cols;
  FeatureMatrix mel(filters_.rows, frames);
  for (int m = 0; m < filters_.rows; ++m) {
    float* dst = mel.data.data() + static_cast<std::size_t>(m) * frames;
    for (int k = firstBin_[static_cast<std::size_t>(m)]; k < endBin_[static_cast<std::size_t>(m)];
         ++k) {
      const float w = filters_.at(m, k);
      const float* src = power.data.data() + static_cast<std::size_t>(k) * frames;
      for (int t = 0; t < frames; ++t) dst[t] += w * src[t];
    }
  }
  return mel;
}

FeatureMatrix LogMel::fromPower(const FeatureMatrix& power) const {
  FeatureMatrix mel = applyFilters(power);
  const float offset = static_cast<float>(params_.logOffset);
  for (float& v : mel.data) v = std::log(v + offset);
  return mel;
}

FeatureMatrix LogMel::compute(const std::vector<float>& samples) const {
  return fromPower(stft_.power(samples));
}

}  // namespace ser
