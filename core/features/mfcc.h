#pragma once
// MFCC = log-mel + orthonormal DCT-II over the mel axis (torchaudio's create_dct(norm="ortho")).
#include "core/features/log_mel.h"

namespace ser {

// DCT-II matrix, rows = coefficients, cols = mel bands, orthonormal. nMfcc in [1, nMels].
FeatureMatrix dctMatrix(int nMfcc, int nMels);

// Applies `dct` (nMfcc x nMels) to a log-mel matrix (nMels x frames): nMfcc x frames.
// Throws ser::Error when the band counts differ.
FeatureMatrix applyDct(const FeatureMatrix& dct, const FeatureMatrix& logMel);

class Mfcc {
 public:
  Mfcc(const LogMelParams& params, int nMfcc = 13);  // nMfcc in [1, nMels]; throws ParameterError
  int coefficients() const { return dct_.rows; }
  FeatureMatrix compute(const std::vector<float>& samples) const;  // nMfcc x frames
  FeatureMatrix fromLogMel(const FeatureMatrix& logMel) const;

 private:
  LogMel logMel_;
  FeatureMatrix dct_;
};

// Deltas along the frame axis (cols) of each row: regression over +-N frames with N = (width-1)/2,
// edges replicated, as torchaudio.functional.compute_deltas(win_length=width, mode="replicate").
// width in [3, 99], else ParameterError.
FeatureMatrix deltas(const FeatureMatrix& m, int width = 5);

}  // namespace ser
