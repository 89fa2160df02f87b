#pragma once
// Log-mel spectrogram: power STFT -> mel filterbank -> log(x + offset).
// Configure once (plan, filter matrix), compute per clip; compute() is const and thread-safe.
#include "core/features/mel_filterbank.h"
#include "core/features/stft.h"

namespace ser {

struct LogMelParams {
  StftParams stft;          // defaults: 25 ms Hann, 10 ms hop at 16 kHz
  MelParams mel;            // defaults: 64 bands, 0-8000 Hz, HTK
  double logOffset = 1e-6;  // log(x + logOffset), (0, 1]
  void validate() const;    // throws ParameterError
};

class LogMel {
 public:
  explicit LogMel(const LogMelParams& params);
  const LogMelParams& params() const { return params_; }
  const Stft& stft() const { return stft_; }
  const FeatureMatrix& filters() const { return filters_; }  // rows = mel bands, cols = bins
  // rows = mel bands, cols = frames.
  FeatureMatrix compute(const std::vector<float>& samples) const;
  // Mel power (before the log), same layout.
  FeatureMatrix melPower(const std::vector<float>& samples) const;
  // Applies the filterbank and the log to an existing power spectrogram (bins x frames);
  // throws ser::Error if its row count is not the filterbank's bin count.
  FeatureMatrix fromPower(const FeatureMatrix& power) const;

 private:
  FeatureMatrix applyFilters(const FeatureMatrix& power) const;  // mel power, no log

  LogMelParams params_;
  Stft stft_;
  FeatureMatrix filters_;
  std::vector<int> firstBin_;  // per band: first nonzero filter bin
  std::vector<int> endBin_;    // per band: one past the last nonzero bin (== firstBin_ if empty)
};

}  // namespace ser
