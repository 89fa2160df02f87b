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
    // The samples under the window, reflect-padded at the edges exactly as in Stft::power.
    const long long start = static_cast<long long>(t) * hop - pad + offset;
    for (int i = 0; i < winLength; ++i) {
      long long j = start + i;
      if (j < 0) j = -j;
      if (j > last) j = 2 * last - j;
      frame[static_cast<std::size_t>(i)] = samples[static_cast<std::size_t>(j)];
    }
    const float* x = frame.data();
    double energy = 0.0;
    int crossings = 0;
    for (int i = 0; i < winLength; ++i) {
      energy += static_cast<double>(x[i]) * x[i];
      if (i > 0 && ((x[i] >= 0.0f) != (x[i - 1] >= 0.0f))) ++crossings;
    }
    const auto ti = static_cast<std::size_t>(t);
    rms[ti] = static_cast<float>(std::sqrt(energy / winLength));
    zcr[ti] = winLength > 1 ? static_cast<float>(crossings) / (winLength - 1) : 0.0f;
  }

  // Spectral features, accumulated bin by bin over all frames (rows of `power` are contiguous).
  std::vector<double> magSum(rms.size()), weighted(rms.size()), powSum(rms.size()),
      logSum(rms.size()), flooredSum(rms.size()), product(rms.size(), 1.0);
  for (int k = 0; k < bins; ++k) {
    const float* row = power.data.data() + static_cast<std::size_t>(k) * frames;
    const double hz = k * binHz;
    const bool flush = k % 8 == 7 || k == bins - 1;
    for (std::size_t t = 0; t < rms.size(); ++t) {
      const double p = row[t];
      const double mag = std::sqrt(p);
      magSum[t] += mag;
      weighted[t] += mag * hz;
      powSum[t] += p;
      const double floored = std::max(p, kFlatnessFloor);
      flooredSum[t] += floored;
      // Products of 8 floored powers stay far inside double's range; one log per 8 bins.
      product[t] *= floored;
      if (flush) {
        logSum[t] += std::log(product[t]);
        product[t] = 1.0;
      }
    }
  }
  std::vector<double> cumulative(rms.size(), 0.0);
  std::vector<char> found(rms.size(), 0);
  for (int k = 0; k < bins; ++k) {
    const float* row = power.data.data() + static_cast<std::size_t>(k) * frames;
    for (std::size_t t = 0; t < rms.size(); ++t) {
      if (found[t] || !(powSum[t] > 0.0)) continue;
      cumulative[t] += row[t];
      if (cumulative[t] >= params_.rolloff * powSum[t]) {
        rolloff[t] = static_cast<float>(k * binHz);
        found[t] = 1;
      }
    }
  }
  for (std::size_t t = 0; t < rms.size(); ++t) {
    centroid[t] = magSum[t] > 0.0 ? static_cast<float>(weighted[t] / magSum[t]) : 0.0f;
    flatness[t] = static_cast<float>(std::exp(logSum[t] / bins) / (flooredSum[t] / bins));
  }
  for (const std::vector<float>* v : {&rms, &zcr, &centroid, &rolloff, &flatness}) {
    appendStats(v->data(), frames, out);
  }
  return out;
}

}  // namespace ser
