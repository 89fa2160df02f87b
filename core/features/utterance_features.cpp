#include "core/features/utterance_features.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "core/base/error.h"
#include "core/features/mfcc.h"

namespace ser {

namespace {

constexpr float kFlatnessFloor = 1e-10f;  // power floor for the flatness logs (as librosa's amin)

// The hot loops below are compiled twice on x86-64 Linux with GCC: for AVX2 and for the baseline
// the distribution builds for (SSE2); the loader picks one per CPU. Neither uses FMA and every
// SIMD lane is an independent sum in a fixed order, so both give the same bits.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define SER_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SER_SIMD_CLONES
#endif

constexpr int kLanes = 8;  // independent partial sums: one AVX register of floats, two of SSE

float bitsToFloat(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}
std::uint32_t floatToBits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

// Appends the mean and population standard deviation of each of `rows` rows of `n` values
// (row r at values + r * n) to `out`: two passes in double, four partial sums each.
SER_SIMD_CLONES void appendRowStats(const float* values, int rows, int n, float* out) {
  for (int r = 0; r < rows; ++r) {
    const float* x = values + static_cast<std::size_t>(r) * n;
    double s[4] = {0.0, 0.0, 0.0, 0.0};
    int i = 0;
    for (; i + 4 <= n; i += 4)
      for (int l = 0; l < 4; ++l) s[l] += x[i + l];
    for (; i < n; ++i) s[0] += x[i];
    const double mean = n > 0 ? ((s[0] + s[1]) + (s[2] + s[3])) / n : 0.0;
    double v[4] = {0.0, 0.0, 0.0, 0.0};
    i = 0;
    for (; i + 4 <= n; i += 4) {
      for (int l = 0; l < 4; ++l) {
        const double d = x[i + l] - mean;
        v[l] += d * d;
      }
    }
    for (; i < n; ++i) v[0] += (x[i] - mean) * (x[i] - mean);
    const double var = (v[0] + v[1]) + (v[2] + v[3]);
    out[2 * r] = static_cast<float>(mean);
    out[2 * r + 1] = static_cast<float>(n > 0 ? std::sqrt(var / n) : 0.0);
  }
}

// Energy (sum of squares) and sign changes of x[0..len): changes between x[j-1] and x[j] for
// j in [1, len). The energy in kLanes float partial sums, the count as an integer reduction
// (both vectorise).
SER_SIMD_CLONES void energyAndCrossings(const float* x, int len, double& energy, int& crossings) {
  float e[kLanes] = {};
  int i = 0;
  for (; i + kLanes <= len; i += kLanes)
    for (int l = 0; l < kLanes; ++l) e[l] += x[i + l] * x[i + l];
  double sum = 0.0;
  for (int l = 0; l < kLanes; ++l) sum += e[l];
  for (; i < len; ++i) sum += x[i] * x[i];
  int count = 0;
  for (int j = 1; j < len; ++j) count += (x[j] >= 0.0f) != (x[j - 1] >= 0.0f);
  energy = sum;
  crossings = count;
}

// Per-frame totals of the power spectrum (`bins` rows of `frames`), summed as the spectral pass
// sums its running totals: in float over blocks of kBlock bins, the blocks in double.
constexpr int kBlock = 16;

SER_SIMD_CLONES void powerTotals(const float* __restrict power, int bins, int frames,
                                 float* __restrict f, double* __restrict total) {
  for (int t = 0; t < frames; ++t) {
    total[t] = 0.0;
    f[t] = 0.0f;
  }
  for (int k = 0; k < bins; ++k) {
    const float* row = power + static_cast<std::size_t>(k) * frames;
    for (int t = 0; t < frames; ++t) f[t] += row[t];
    if (k % kBlock == kBlock - 1 || k == bins - 1) {
      for (int t = 0; t < frames; ++t) {
        total[t] += f[t];
        f[t] = 0.0f;
      }
    }
  }
}

// One pass over the bins for the centroid, roll-off and flatness of every frame. Rows of `power`
// are contiguous, so the loops run over frames and vectorise. Running sums are in float over
// blocks of kBlock bins, the blocks' sums in double:
//   mag, dMag            sum of sqrt(p)
//   kMag, dKMag          sum of k sqrt(p) (bin k)
//   pow, dPow            sum of p, the running total for the roll-off
//   remaining            threshold - dPow: what the current block must add to reach it
//   rollBin              first bin where the running total reached `threshold`; >= bins: not yet
//   floored, dFloored    sum of max(p, floor)
// The geometric mean's log needs no log per bin: each floored value splits into its biased
// binary exponent (summed in `exponent`) and its mantissa in [1, 2) (multiplied up in
// `mantissa`: kBlock of them stay below 2^kBlock, then the product is split the same way).
// The float sums and `exponent` start at 0, `mantissa` at 1, the double sums at 0.
SER_SIMD_CLONES void spectralPass(const float* __restrict power, int bins, int frames,
                                  const double* __restrict threshold, float* __restrict mag,
                                  float* __restrict kMag, float* __restrict pow,
                                  float* __restrict remaining, float* __restrict rollBin,
                                  float* __restrict floored, float* __restrict mantissa,
                                  std::int32_t* __restrict exponent, double* __restrict dMag,
                                  double* __restrict dKMag, double* __restrict dPow,
                                  double* __restrict dFloored) {
  for (int t = 0; t < frames; ++t) {
    remaining[t] = static_cast<float>(threshold[t]);
    rollBin[t] = static_cast<float>(bins);
  }
  for (int k = 0; k < bins; ++k) {
    const float* row = power + static_cast<std::size_t>(k) * frames;
    const auto kf = static_cast<float>(k);
    for (int t = 0; t < frames; ++t) {
      const float p = row[t];
      const float m = std::sqrt(p);
      mag[t] += m;
      kMag[t] += kf * m;
      const float cumulative = pow[t] + p;
      pow[t] = cumulative;
      rollBin[t] = cumulative >= remaining[t] ? std::min(rollBin[t], kf) : rollBin[t];
      const float f = std::max(p, kFlatnessFloor);
      floored[t] += f;
      const std::uint32_t u = floatToBits(f);
      exponent[t] += static_cast<std::int32_t>(u >> 23);
      mantissa[t] *= bitsToFloat((u & 0x007fffffu) | 0x3f800000u);
    }
    if (k % kBlock == kBlock - 1 || k == bins - 1) {
      for (int t = 0; t < frames; ++t) {
        dMag[t] += mag[t];
        dKMag[t] += kMag[t];
        dPow[t] += pow[t];
        dFloored[t] += floored[t];
        mag[t] = 0.0f;
        kMag[t] = 0.0f;
        pow[t] = 0.0f;
        floored[t] = 0.0f;
        remaining[t] = static_cast<float>(threshold[t] - dPow[t]);
        const std::uint32_t u = floatToBits(mantissa[t]);
        exponent[t] += static_cast<std::int32_t>(u >> 23) - 127;
        mantissa[t] = bitsToFloat((u & 0x007fffffu) | 0x3f800000u);
      }
    }
  }
}

}  // namespace

void UtteranceFeatureParams::validate() const {
  logMel.validate();
  checkRangeInt("n_mfcc", nMfcc, 1, logMel.mel.nMels);
  if (!(rolloff > 0.0 && rolloff < 1.0)) {
    std::ostringstream os;
    os << rolloff;
    throw ParameterError("rolloff", os.str(), "(0, 1)");
  }
}

UtteranceFeatures::UtteranceFeatures(const UtteranceFeatureParams& params)
    : params_((params.validate(), params)),
      logMel_(params.logMel),
      dct_(dctMatrix(params.nMfcc, params.logMel.mel.nMels)) {
  auto addPair = [this](const std::string& base) {
    names_.push_back(base + "_mean");
    names_.push_back(base + "_std");
  };
  char buf[32];
  for (const char* prefix : {"mfcc", "dmfcc"}) {
    for (int i = 1; i <= params_.nMfcc; ++i) {
      std::snprintf(buf, sizeof buf, "%s%02d", prefix, i);
      addPair(buf);
    }
  }
  for (const char* base : {"rms", "zcr", "centroid", "rolloff", "flatness"}) addPair(base);
}

std::vector<float> UtteranceFeatures::compute(const std::vector<float>& samples) const {
  const FeatureMatrix power = logMel_.stft().power(samples);  // throws for too-short input
  return compute(samples, power, logMel_.fromPower(power));
}

std::vector<float> UtteranceFeatures::compute(const std::vector<float>& samples,
                                              const FeatureMatrix& power,
                                              const FeatureMatrix& logMel) const {
  const Stft& stft = logMel_.stft();
  if (power.rows != stft.params().bins() || power.cols != stft.frameCount(samples.size()) ||
      logMel.rows != logMel_.params().mel.nMels || logMel.cols != power.cols)
    throw Error("UtteranceFeatures: spectra do not match the samples and parameters");
  const FeatureMatrix mfcc = applyDct(dct_, logMel);
  const FeatureMatrix dmfcc = deltas(mfcc);
  const int frames = power.cols;
  const int bins = power.rows;

  std::vector<float> out(names_.size());
  appendRowStats(mfcc.data.data(), mfcc.rows, frames, out.data());
  appendRowStats(dmfcc.data.data(), dmfcc.rows, frames, out.data() + 2 * mfcc.rows);

  // Per-frame values, one row each: rms, zcr, centroid, rolloff, flatness.
  const auto nf = static_cast<std::size_t>(frames);
  std::vector<float> perFrame(5 * nf);
  float* rms = perFrame.data();
  float* zcr = rms + nf;
  float* centroid = zcr + nf;
  float* rolloff = centroid + nf;
  float* flatness = rolloff + nf;

  // Time-domain features over the samples under each STFT window (same padding and centres).
  const StftParams& sp = stft.params();
  const int nFft = sp.fftSize();
  const int winLength = sp.windowLength();
  const int hop = sp.hopLength();
  const std::size_t n = samples.size();
  const long long pad = sp.center ? nFft / 2 : 0;
  const long long offset = (nFft - winLength) / 2;  // window start within the FFT frame
  const auto last = static_cast<long long>(n) - 1;
  std::vector<float> frame(static_cast<std::size_t>(winLength));
  for (int t = 0; t < frames; ++t) {
    const long long start = static_cast<long long>(t) * hop - pad + offset;
    const float* x = frame.data();
    if (start >= 0 && start + winLength <= static_cast<long long>(n)) {
      x = samples.data() + start;
    } else {
      // At the edges: the samples under the window, reflect-padded exactly as in Stft::power.
      for (int i = 0; i < winLength; ++i) {
        long long j = start + i;
        if (j < 0) j = -j;
        if (j > last) j = 2 * last - j;
        frame[static_cast<std::size_t>(i)] = samples[static_cast<std::size_t>(j)];
      }
    }
    double energy = 0.0;
    int crossings = 0;
    energyAndCrossings(x, winLength, energy, crossings);
    rms[t] = static_cast<float>(std::sqrt(energy / winLength));
    zcr[t] = winLength > 1 ? static_cast<float>(crossings) / (winLength - 1) : 0.0f;
  }

  // Spectral features in one pass over the bins, after a cheap one for the roll-off threshold.
  std::vector<float> fScratch(7 * nf, 0.0f);
  std::vector<double> dScratch(5 * nf, 0.0);
  std::vector<std::int32_t> exponent(nf, 0);
  double* threshold = dScratch.data() + 4 * nf;
  powerTotals(power.data.data(), bins, frames, fScratch.data(), threshold);
  for (std::size_t t = 0; t < nf; ++t) threshold[t] *= params_.rolloff;
  float* mag = fScratch.data();
  float* kMag = mag + nf;
  float* pow = kMag + nf;
  float* floored = pow + nf;
  float* mantissa = floored + nf;
  float* remaining = mantissa + nf;
  float* rollBin = remaining + nf;
  std::fill(mag, mantissa, 0.0f);
  std::fill(mantissa, remaining, 1.0f);
  double* dMag = dScratch.data();
  double* dKMag = dMag + nf;
  double* dPow = dKMag + nf;
  double* dFloored = dPow + nf;
  std::fill(dMag, threshold, 0.0);
  spectralPass(power.data.data(), bins, frames, threshold, mag, kMag, pow, remaining, rollBin,
               floored, mantissa, exponent.data(), dMag, dKMag, dPow, dFloored);

  const double binHz = static_cast<double>(sp.sampleRate) / nFft;
  constexpr double kLn2 = 0.69314718055994530942;
  for (std::size_t t = 0; t < nf; ++t) {
    centroid[t] = dMag[t] > 0.0 ? static_cast<float>(binHz * dKMag[t] / dMag[t]) : 0.0f;
    // Roll-off: the first bin where the cumulative power reaches the fraction (bin 0 for a
    // silent frame, whose threshold is 0; the last bin if rounding left it just short).
    rolloff[t] = static_cast<float>(binHz * std::min(static_cast<int>(rollBin[t]), bins - 1));
    const double logSum = std::log(static_cast<double>(mantissa[t])) +
                          (static_cast<double>(exponent[t]) - 127.0 * bins) * kLn2;
    flatness[t] = static_cast<float>(std::exp(logSum / bins) / (dFloored[t] / bins));
  }
  appendRowStats(perFrame.data(), 5, frames, out.data() + 4 * mfcc.rows);
  return out;
}

}  // namespace ser
