#include "core/features/log_mel.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>

#include "core/base/error.h"

namespace ser {

namespace {

// Compiled for AVX2 and for the baseline on x86-64 Linux with GCC (the loader picks one per CPU);
// no FMA in either, so both give the same bits.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define SER_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SER_SIMD_CLONES
#endif

// out[i] = log(in[i] + offset) for n values. The logarithm is Cephes' logf (exponent split off,
// a degree-9 polynomial of the mantissa: within about 1 ulp of the correctly rounded value),
// written so that the loop vectorises; libm's logf is a call per value. Returns whether any
// in[i] + offset was outside the normal positive floats (zero, negative, subnormal, infinite,
// NaN): the values computed for those are meaningless and the caller redoes them.
SER_SIMD_CLONES bool logOffsetFast(const float* __restrict in, float* __restrict out, int n,
                                   float offset) {
  int unusual = 0;
  for (int i = 0; i < n; ++i) {
    const float v = in[i] + offset;
    std::uint32_t u;
    std::memcpy(&u, &v, sizeof u);
    // Integer tests on the bits (a float comparison may trap, which keeps GCC from vectorising
    // the selects): normal positive floats have biased exponents 1 to 254 and no sign bit.
    unusual |= static_cast<int>(u - 0x00800000u >= 0x7f000000u);
    // v = 2^e * m with m in [0.5, 1); below sqrt(1/2) (0x3f3504f3 is its float), f = 2m - 1
    // (exactly (m - 1) + m) and e - 1, else f = m - 1. Selected with bit masks: GCC turns a
    // select into a branch here, and a branch with arithmetic in it does not vectorise.
    const std::uint32_t mu = (u & 0x007fffffu) | 0x3f000000u;
    const std::uint32_t low = mu < 0x3f3504f3u ? 1u : 0u;
    const std::uint32_t addBits = mu & (0u - low);
    float m, add;
    std::memcpy(&m, &mu, sizeof m);
    std::memcpy(&add, &addBits, sizeof add);
    const float f = (m - 1.0f) + add;
    const auto e = static_cast<float>(static_cast<std::int32_t>((u >> 23) & 0xffu) - 126 -
                                      static_cast<std::int32_t>(low));
    const float z = f * f;
    float y = 7.0376836292e-2f;
    y = y * f - 1.1514610310e-1f;
    y = y * f + 1.1676998740e-1f;
    y = y * f - 1.2420140846e-1f;
    y = y * f + 1.4249322787e-1f;
    y = y * f - 1.6668057665e-1f;
    y = y * f + 2.0000714765e-1f;
    y = y * f - 2.4999993993e-1f;
    y = y * f + 3.3333331174e-1f;
    y = y * f * z;
    y += -2.12194440e-4f * e;
    y += -0.5f * z;
    out[i] = (f + y) + 0.693359375f * e;
  }
  return unusual != 0;
}

// x[i] = log(x[i] + offset), in chunks so that unusual values can be redone with std::log.
void logOffsetInPlace(float* x, std::size_t n, float offset) {
  constexpr std::size_t kChunk = 256;
  float in[kChunk];
  for (std::size_t c = 0; c < n; c += kChunk) {
    const std::size_t len = std::min(kChunk, n - c);
    float* chunk = x + c;
    std::memcpy(in, chunk, len * sizeof(float));
    if (!logOffsetFast(in, chunk, static_cast<int>(len), offset)) continue;
    for (std::size_t i = 0; i < len; ++i) {
      const float v = in[i] + offset;
      if (!std::isnormal(v) || v < 0.0f) chunk[i] = std::log(v);
    }
  }
}

}  // namespace

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
  logOffsetInPlace(mel.data.data(), mel.data.size(), static_cast<float>(params_.logOffset));
  return mel;
}

FeatureMatrix LogMel::compute(const std::vector<float>& samples) const {
  return fromPower(stft_.power(samples));
}

}  // namespace ser
