#include "core/features/stft.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <string>

#include "core/base/error.h"

namespace ser {

namespace {

// FFTW's planner (plan creation and destruction) is not thread-safe; execution is.
std::mutex& plannerMutex() {
  static std::mutex m;
  return m;
}

struct FftwFloatDeleter {
  void operator()(void* p) const { fftwf_free(p); }
};

template <typename T>
std::unique_ptr<T, FftwFloatDeleter> fftwAlloc(std::size_t n) {
  auto* p = static_cast<T*>(fftwf_malloc(sizeof(T) * n));
  if (p == nullptr) throw Error("STFT: out of memory allocating FFT buffers");
  return std::unique_ptr<T, FftwFloatDeleter>(p);
}

// Index into a signal of n samples for position j of its reflect-padded extension (the edge
// sample is not repeated), as torch.nn.functional.pad(mode='reflect'); needs |overhang| < n.
std::size_t reflectIndex(long long j, std::size_t n) {
  if (j < 0) return static_cast<std::size_t>(-j);
  const auto last = static_cast<long long>(n) - 1;
  if (j > last) return static_cast<std::size_t>(2 * last - j);
  return static_cast<std::size_t>(j);
}

int roundSamples(double ms, int sampleRate) {
  return static_cast<int>(std::lround(ms * sampleRate / 1000.0));
}

}  // namespace

void StftParams::validate() const {
  checkRangeInt("sample_rate", sampleRate, 1000, 192000);
  checkRange("window_ms", windowMs, 1.0, 500.0);
  checkRange("hop_ms", hopMs, 0.5, windowMs);
  if (nFft != 0) checkRangeInt("n_fft", nFft, windowLength(), 65536);
}

int StftParams::windowLength() const { return std::max(1, roundSamples(windowMs, sampleRate)); }

int StftParams::hopLength() const { return std::max(1, roundSamples(hopMs, sampleRate)); }

int StftParams::fftSize() const {
  if (nFft > 0) return nFft;
  int n = 1;
  while (n < windowLength()) n *= 2;
  return n;
}

struct Stft::Plan {
  fftwf_plan plan = nullptr;
  ~Plan() {
    if (plan != nullptr) {
      std::lock_guard<std::mutex> lock(plannerMutex());
      fftwf_destroy_plan(plan);
    }
  }
};

Stft::Stft(const StftParams& params) : params_(params) {
  params_.validate();
  const int nFft = params_.fftSize();
  const int winLength = params_.windowLength();

  // Periodic window of winLength samples, centred in nFft (torch.stft pads the window this way).
  window_.assign(static_cast<std::size_t>(nFft), 0.0f);
  const int offset = (nFft - winLength) / 2;
  const double a0 = params_.window == WindowType::Hann ? 0.5 : 0.54;
  const double a1 = 1.0 - a0;
  for (int i = 0; i < winLength; ++i) {
    window_[static_cast<std::size_t>(offset + i)] =
        winLength == 1 ? 1.0f : static_cast<float>(a0 - a1 * std::cos(2.0 * M_PI * i / winLength));
  }

  auto in = fftwAlloc<float>(static_cast<std::size_t>(nFft));
  auto out = fftwAlloc<fftwf_complex>(static_cast<std::size_t>(nFft / 2 + 1));
  plan_ = std::make_unique<Plan>();
  {
    std::lock_guard<std::mutex> lock(plannerMutex());
    // FFTW_ESTIMATE: deterministic plan, does not touch the arrays.
    plan_->plan = fftwf_plan_dft_r2c_1d(nFft, in.get(), out.get(), FFTW_ESTIMATE);
  }
  if (plan_->plan == nullptr)
    throw Error("STFT: FFTW could not plan an FFT of size " + std::to_string(nFft));
}

Stft::~Stft() = default;

int Stft::frameCount(std::size_t samples) const {
  const long long nFft = params_.fftSize();
  const long long hop = params_.hopLength();
  long long padded = static_cast<long long>(samples);
  if (params_.center) padded += 2 * (nFft / 2);
  if (padded < nFft) return 0;
  return static_cast<int>(1 + (padded - nFft) / hop);
}

FeatureMatrix Stft::power(const float* samples, std::size_t n) const {
  FeatureMatrix out;
  power(samples, n, out);
  return out;
}

void Stft::power(const float* samples, std::size_t n, FeatureMatrix& out) const {
  const int nFft = params_.fftSize();
  const int hop = params_.hopLength();
  const int bins = nFft / 2 + 1;
  const std::size_t pad = params_.center ? static_cast<std::size_t>(nFft / 2) : 0;

  if (params_.center ? n <= pad : n < static_cast<std::size_t>(nFft)) {
    throw Error(
        "STFT: input of " + std::to_string(n) + " samples is too short (needs " +
        (params_.center ? "more than " + std::to_string(pad) : "at least " + std::to_string(nFft)) +
        " samples)");
  }

  const int frames = frameCount(n);
  out.rows = bins;
  out.cols = frames;
  out.data.resize(static_cast<std::size_t>(bins) * frames);  // every value is written below
  auto in = fftwAlloc<float>(static_cast<std::size_t>(nFft));
  auto spec = fftwAlloc<fftwf_complex>(static_cast<std::size_t>(bins));
  float* buf = in.get();
  fftwf_complex* X = spec.get();
  const float* w = window_.data();
  // Frames are transformed in blocks and written bin-major per block: writing each frame's bins
  // straight into the (bins x frames) output strides through memory (about 25% slower).
  constexpr int kBlock = 32;
  std::vector<float> block(static_cast<std::size_t>(kBlock) * bins);
  for (int t0 = 0; t0 < frames; t0 += kBlock) {
    const int count = std::min(kBlock, frames - t0);
    for (int b = 0; b < count; ++b) {
      // Frame start in the (virtually) padded signal, as an index into `samples`.
      const long long start = static_cast<long long>(t0 + b) * hop - static_cast<long long>(pad);
      if (start >= 0 && start + nFft <= static_cast<long long>(n)) {
        const float* frame = samples + start;
        for (int i = 0; i < nFft; ++i) buf[i] = frame[i] * w[i];
      } else {
        for (int i = 0; i < nFft; ++i) buf[i] = samples[reflectIndex(start + i, n)] * w[i];
      }
      fftwf_execute_dft_r2c(plan_->plan, buf, X);
      float* dst = block.data() + static_cast<std::size_t>(b) * bins;
      for (int k = 0; k < bins; ++k) dst[k] = X[k][0] * X[k][0] + X[k][1] * X[k][1];
    }
    for (int k = 0; k < bins; ++k) {
      float* row = out.data.data() + static_cast<std::size_t>(k) * frames + t0;
      for (int b = 0; b < count; ++b) row[b] = block[static_cast<std::size_t>(b) * bins + k];
    }
  }
}

}  // namespace ser
