#pragma once
// Utterance-level handcrafted features for the classical SVM baseline: mean and (population)
// standard deviation over frames of MFCC, delta-MFCC, RMS energy, zero-crossing rate, spectral
// centroid, roll-off and flatness. Frames are the STFT's frames: the time-domain features (RMS,
// ZCR) use the unwindowed samples under each analysis window, the spectral ones its power spectrum.
//   rms       sqrt(mean x^2) (linear amplitude)
//   zcr       sign changes per adjacent sample pair (a sine of f Hz gives ~2f/sampleRate)
//   centroid  magnitude-weighted mean frequency, Hz (0 for a silent frame)
//   rolloff   lowest bin frequency (Hz) below which `rolloff` of the frame's power lies (0 if
//   silent) flatness  geometric / arithmetic mean of the power spectrum, floored at 1e-10 (1 if
//   silent)
#include <string>
#include <vector>

#include "core/features/log_mel.h"

namespace ser {

struct UtteranceFeatureParams {
  LogMelParams logMel;    // framing and mel front end shared with the log-mel features
  int nMfcc = 13;         // [1, nMels]
  double rolloff = 0.85;  // roll-off energy fraction, (0, 1)
  void validate() const;  // throws ParameterError
};

class UtteranceFeatures {
 public:
  explicit UtteranceFeatures(const UtteranceFeatureParams& params);
  // Names of the values compute() returns, in order ("mfcc01_mean", ..., "flatness_std").
  const std::vector<std::string>& names() const { return names_; }
  // Thread-safe. Silent input gives finite values (no NaN). Throws ser::Error for input too
  // short to frame (see Stft::power).
  std::vector<float> compute(const std::vector<float>& samples) const;
  // The same from spectra already computed with these parameters (the preprocessor computes the
  // power STFT once for both feature kinds): `power` from stft, `logMel` from LogMel::fromPower.
  std::vector<float> compute(const std::vector<float>& samples, const FeatureMatrix& power,
                             const FeatureMatrix& logMel) const;

 private:
  UtteranceFeatureParams params_;
  LogMel logMel_;
  FeatureMatrix dct_;
  std::vector<std::string> names_;
};

}  // namespace ser
