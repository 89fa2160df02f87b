#pragma once
// Triangular mel filterbank (HTK or Slaney mel scale; optional Slaney area normalisation),
// matching torchaudio.functional.melscale_fbanks.
#include <vector>

#include "core/features/feature_matrix.h"

namespace ser {

enum class MelScale { Htk, Slaney };
enum class MelNorm { None, Slaney };

struct MelParams {
  int nMels = 64;          // bands, [1, 512]
  double fMin = 0.0;       // Hz, [0, fMax)
  double fMax = 8000.0;    // Hz, (fMin, sampleRate/2]
  MelScale scale = MelScale::Htk;
  MelNorm norm = MelNorm::None;
  void validate(int sampleRate) const;  // throws ParameterError
};

double hzToMel(double hz, MelScale scale);
double melToHz(double mel, MelScale scale);

// Filter matrix: rows = mel bands, cols = FFT bins (nFft/2+1).
FeatureMatrix melFilterbank(const MelParams& params, int sampleRate, int nFft);

}  // namespace ser
