#include "core/features/utterance_features.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/base/error.h"
#include "core/features/mfcc.h"

namespace ser {

namespace {

constexpr double kFlatnessFloor = 1e-10;  // power floor for the flatness logs (as librosa's amin)

// Appends the mean and population standard deviation of `values` to `out`.
void appendStats(const float* values, int n, std::vector<float>& out) {
  double sum = 0.0;
  for (int i = 0; i < n; ++i) sum += values[i];
  const double mean = n > 0 ? sum / n : 0.0;
  double var = 0.0;
  for (int i = 0; i < n; ++i) var += (values[i] - mean) * (values[i] - mean);
  out.push_back(static_cast<float>(mean));
  out.push_back(static_cast<float>(n > 0 ? std::sqrt(var / n) : 0.0));
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

  std::vector<float> out;
  out.reserve(names_.size());
  for (const FeatureMatrix* m : {&mfcc, &dmfcc}) {
    for (int r = 0; r < m->rows; ++r)
      appendStats(m->data.data() + std::size_t(r) * frames, frames, out);
  }

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
  std::vector<float> rms(static_cast<std::size_t>(frames)), zcr(rms.size()), centroid(rms.size()),
      rolloff(rms.size()), flatness(rms.size());
  const double binHz = static_cast<double>(sp.sampleRate) / nFft;
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
    // Four partial sums: independent additions the CPU overlaps (one chain is latency-bound).
    double e[4] = {0.0, 0.0, 0.0, 0.0};
    int i = 0;
    for (; i + 4 <= winLength; i += 4) {
      for (int l = 0; l < 4; ++l) e[l] += static_cast<double>(x[i + l]) * x[i + l];
    }
    for (; i < winLength; ++i) e[0] += static_cast<double>(x[i]) * x[i];
    const double energy = (e[0] + e[1]) + (e[2] + e[3]);
    int crossings = 0;
    for (int j = 1; j < winLength; ++j) crossings += (x[j] >= 0.0f) != (x[j - 1] >= 0.0f);
    const auto ti = static_cast<std::size_t>(t);
    rms[ti] = static_cast<float>(std::sqrt(energy / winLength));
    zcr[ti] = winLength > 1 ? static_cast<float>(crossings) / (winLength - 1) : 0.0f;
  }

  // Spectral features, accumulated bin by bin over all frames (rows of `power` are contiguous,
  // so the inner loops run over frames and vectorise).
  const std::size_t nf = rms.size();
  std::vector<double> magSum(nf), weighted(nf), powSum(nf), flooredSum(nf), product(nf, 1.0);
  std::vector<int> exponents(nf, 0);
  for (int k = 0; k < bins; ++k) {
    const float* row = power.data.data() + static_cast<std::size_t>(k) * frames;
    const double hz = k * binHz;
    for (std::size_t t = 0; t < nf; ++t) {
      const double p = row[t];
      const double mag = std::sqrt(p);
      magSum[t] += mag;
      weighted[t] += mag * hz;
      powSum[t] += p;
      const double floored = std::max(p, kFlatnessFloor);
      flooredSum[t] += floored;
      product[t] *= floored;
    }
    // The geometric mean's log without a log per bin: every 16 bins the running product's
    // binary exponent moves to an integer (16 factors in [1e-10, 1e9] stay within double range).
    if (k % 16 == 15 || k == bins - 1) {
      for (std::size_t t = 0; t < nf; ++t) {
        int e = 0;
        product[t] = std::frexp(product[t], &e);
        exponents[t] += e;
      }
    }
  }
  // Roll-off: the first bin where the cumulative power reaches the fraction (bin 0 for a silent
  // frame, whose threshold is 0). rollHz < 0: not reached yet.
  std::vector<double> cumulative(nf, 0.0), threshold(nf), rollHz(nf, -1.0);
  for (std::size_t t = 0; t < nf; ++t) threshold[t] = params_.rolloff * powSum[t];
  std::size_t remaining = nf;
  for (int k = 0; k < bins && remaining > 0; ++k) {
    const float* row = power.data.data() + static_cast<std::size_t>(k) * frames;
    const double hz = k * binHz;
    for (std::size_t t = 0; t < nf; ++t) {
      cumulative[t] += row[t];
      rollHz[t] = rollHz[t] < 0.0 && cumulative[t] >= threshold[t] ? hz : rollHz[t];
    }
    if (k % 8 == 7) remaining = static_cast<std::size_t>(
        std::count_if(rollHz.begin(), rollHz.end(), [](double h) { return h < 0.0; }));
  }
  for (std::size_t t = 0; t < nf; ++t) rolloff[t] = static_cast<float>(rollHz[t]);
  constexpr double kLn2 = 0.69314718055994530942;
  for (std::size_t t = 0; t < nf; ++t) {
    centroid[t] = magSum[t] > 0.0 ? static_cast<float>(weighted[t] / magSum[t]) : 0.0f;
    const double logSum = std::log(product[t]) + exponents[t] * kLn2;
    flatness[t] = static_cast<float>(std::exp(logSum / bins) / (flooredSum[t] / bins));
  }
  for (const std::vector<float>* v : {&rms, &zcr, &centroid, &rolloff, &flatness}) {
    appendStats(v->data(), frames, out);
  }
  return out;
}

}  // namespace ser
