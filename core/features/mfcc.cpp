#include "core/features/mfcc.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/base/error.h"

namespace ser {

FeatureMatrix dctMatrix(int nMfcc, int nMels) {
  checkRangeInt("n_mels", nMels, 1, 512);
  checkRangeInt("n_mfcc", nMfcc, 1, nMels);
  FeatureMatrix dct(nMfcc, nMels);
  const double scale = std::sqrt(2.0 / nMels);
  for (int k = 0; k < nMfcc; ++k) {
    const double rowScale = k == 0 ? scale / std::sqrt(2.0) : scale;
    for (int n = 0; n < nMels; ++n) {
      dct.at(k, n) = static_cast<float>(rowScale * std::cos(M_PI / nMels * (n + 0.5) * k));
    }
  }
  return dct;
}

FeatureMatrix applyDct(const FeatureMatrix& dct, const FeatureMatrix& logMel) {
  if (dct.cols != logMel.rows) {
    throw Error("MFCC: log-mel has " + std::to_string(logMel.rows) + " bands, the DCT expects " +
                std::to_string(dct.cols));
  }
  const int frames = logMel.cols;
  FeatureMatrix out(dct.rows, frames);
  for (int k = 0; k < dct.rows; ++k) {
    float* dst = out.data.data() + static_cast<std::size_t>(k) * frames;
    for (int n = 0; n < dct.cols; ++n) {
      const float w = dct.at(k, n);
      const float* src = logMel.data.data() + static_cast<std::size_t>(n) * frames;
      for (int t = 0; t < frames; ++t) dst[t] += w * src[t];
    }
  }
  return out;
}

Mfcc::Mfcc(const LogMelParams& params, int nMfcc)
    : logMel_(params), dct_(dctMatrix(nMfcc, params.mel.nMels)) {}

FeatureMatrix Mfcc::compute(const std::vector<float>& samples) const {
  return applyDct(dct_, logMel_.compute(samples));
}

FeatureMatrix Mfcc::fromLogMel(const FeatureMatrix& logMel) const { return applyDct(dct_, logMel); }

FeatureMatrix deltas(const FeatureMatrix& m, int width) {
  checkRangeInt("width", width, 3, 99);
  const int n = (width - 1) / 2;
  const double denom = n * (n + 1) * (2.0 * n + 1) / 3.0;
  const int frames = m.cols;
  FeatureMatrix out(m.rows, frames);
  if (frames == 0) return out;
  std::vector<double> acc(static_cast<std::size_t>(frames));  // per-frame sums of a row
  for (int r = 0; r < m.rows; ++r) {
    const float* src = m.data.data() + static_cast<std::size_t>(r) * frames;
    float* dst = out.data.data() + static_cast<std::size_t>(r) * frames;
    // Edge frames clamp their neighbours' indices; the frames between need no clamping, so
    // that loop vectorises (the same operations in the same order: the same values).
    const int lo = std::min(n, frames);
    const int hi = std::max(lo, frames - n);
    auto edge = [&](int t) {
      double sum = 0.0;
      for (int k = 1; k <= n; ++k) {
        const int after = std::min(t + k, frames - 1);
        const int before = std::max(t - k, 0);
        sum += k * (static_cast<double>(src[after]) - src[before]);
      }
      dst[t] = static_cast<float>(sum / denom);
    };
    for (int t = 0; t < lo; ++t) edge(t);
    std::fill(acc.begin() + lo, acc.begin() + hi, 0.0);
    for (int k = 1; k <= n; ++k)
      for (int t = lo; t < hi; ++t) acc[t] += k * (static_cast<double>(src[t + k]) - src[t - k]);
    for (int t = lo; t < hi; ++t) dst[t] = static_cast<float>(acc[t] / denom);
    for (int t = hi; t < frames; ++t) edge(t);
  }
  return out;
}

}  // namespace ser
