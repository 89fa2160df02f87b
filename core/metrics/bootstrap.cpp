#include "core/metrics/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "core/base/error.h"
#include "core/metrics/metrics.h"

namespace ser {

void BootstrapOptions::validate() const {
  checkRangeInt("resamples", resamples, 10, 1000000);
  if (!(confidence > 0.0 && confidence < 1.0))
    throw ParameterError("confidence", std::to_string(confidence), "(0, 1)");
}

BootstrapSamples bootstrapWaUar(const std::vector<int>& truth, const std::vector<int>& pred,
                                int numClasses, const BootstrapOptions& options) {
  options.validate();
  confusionMatrix(truth, pred, numClasses);  // validates sizes and indices for the loop below
  const std::size_t n = truth.size();
  const std::size_t k = std::size_t(numClasses);
  std::mt19937_64 rng(options.seed);
  BootstrapSamples out;
  out.wa.reserve(std::size_t(options.resamples));
  out.uar.reserve(std::size_t(options.resamples));
  std::vector<std::size_t> correct(k), support(k);
  for (int r = 0; r < options.resamples; ++r) {
    std::fill(correct.begin(), correct.end(), 0);
    std::fill(support.begin(), support.end(), 0);
    std::size_t hits = 0;
    for (std::size_t j = 0; j < n; ++j) {
      // Modulo draw: portable across standard libraries; bias is negligible for n << 2^64.
      const std::size_t i = std::size_t(rng() % n);
      const std::size_t t = std::size_t(truth[i]);
      ++support[t];
      if (truth[i] == pred[i]) {
        ++correct[t];
        ++hits;
      }
    }
    double recallSum = 0.0;
    std::size_t present = 0;
    for (std::size_t c = 0; c < k; ++c)
      if (support[c] > 0) {
        recallSum += double(correct[c]) / double(support[c]);
        ++present;
      }
    out.wa.push_back(double(hits) / double(n));
    out.uar.push_back(recallSum / double(present));
  }
  return out;
}

namespace {

// The cluster bootstrap of one or more systems scored on the same speakers: every resample draws
// the speakers once and pools each system's counts over that draw.
std::vector<ClusterSamples> clusterBootstrapSystems(
    const std::vector<const std::vector<SpeakerCounts>*>& systems, int numClasses,
    const BootstrapOptions& options) {
  options.validate();
  const std::size_t k = std::size_t(numClasses);
  const std::size_t n = systems.front()->size();
  if (n == 0) throw Error("bootstrap: no speakers to resample");
  for (const auto* speakers : systems) {
    if (speakers->size() != n)
      throw Error("bootstrap: the paired systems have different numbers of speakers");
    for (const SpeakerCounts& s : *speakers)
      if (s.support.size() != k || s.correct.size() != k)
        throw Error("bootstrap: speaker counts do not have " + std::to_string(k) + " classes");
  }
  const std::size_t resamples = std::size_t(options.resamples);
  std::mt19937_64 rng(options.seed);
  std::vector<ClusterSamples> out(systems.size());
  for (ClusterSamples& o : out) {
    o.wa.reserve(resamples);
    o.uar.reserve(resamples);
    o.recall.assign(k, std::vector<double>(resamples, std::nan("")));
  }
  std::vector<std::size_t> draw(n);
  std::vector<std::size_t> correct(k), support(k);
  for (std::size_t r = 0; r < resamples; ++r) {
    for (std::size_t j = 0; j < n; ++j) draw[j] = std::size_t(rng() % n);  // portable modulo draw
    for (std::size_t sys = 0; sys < systems.size(); ++sys) {
      const std::vector<SpeakerCounts>& speakers = *systems[sys];
      ClusterSamples& o = out[sys];
      std::fill(correct.begin(), correct.end(), 0);
      std::fill(support.begin(), support.end(), 0);
      for (std::size_t j : draw) {
        const SpeakerCounts& s = speakers[j];
        for (std::size_t c = 0; c < k; ++c) {
          support[c] += s.support[c];
          correct[c] += s.correct[c];
        }
      }
      std::size_t hits = 0, total = 0, present = 0;
      double recallSum = 0.0;
      for (std::size_t c = 0; c < k; ++c) {
        hits += correct[c];
        total += support[c];
        if (support[c] == 0) continue;
        const double recall = double(correct[c]) / double(support[c]);
        o.recall[c][r] = recall;
        recallSum += recall;
        ++present;
      }
      // A speaker always has at least one clip, so every resample has clips.
      o.wa.push_back(total ? double(hits) / double(total) : std::nan(""));
      o.uar.push_back(present ? recallSum / double(present) : std::nan(""));
    }
  }
  return out;
}

}  // namespace

ClusterSamples clusterBootstrap(const std::vector<SpeakerCounts>& speakers, int numClasses,
                                const BootstrapOptions& options) {
  options.validate();
  if (speakers.empty()) throw Error("bootstrap: no speakers to resample");
  return std::move(clusterBootstrapSystems({&speakers}, numClasses, options).front());
}

PairedClusterSamples pairedClusterBootstrap(const std::vector<SpeakerCounts>& a,
                                            const std::vector<SpeakerCounts>& b, int numClasses,
                                            const BootstrapOptions& options) {
  if (a.size() != b.size())
    throw Error("bootstrap: the paired systems have different numbers of speakers (" +
                std::to_string(a.size()) + " and " + std::to_string(b.size()) + ")");
  std::vector<ClusterSamples> s = clusterBootstrapSystems({&a, &b}, numClasses, options);
  return PairedClusterSamples{std::move(s[0]), std::move(s[1])};
}

Interval wilsonInterval(std::size_t hits, std::size_t n, double confidence) {
  if (n == 0) throw Error("wilson interval: no trials");
  if (!(confidence > 0.0 && confidence < 1.0))
    throw ParameterError("confidence", std::to_string(confidence), "(0, 1)");
  // Normal quantile by bisection on erfc (no table, any confidence).
  const double tail = (1.0 - confidence) / 2.0;
  double lo = 0.0, hi = 10.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (0.5 * std::erfc(mid / std::sqrt(2.0)) > tail) lo = mid; else hi = mid;
  }
  const double z = 0.5 * (lo + hi);
  const double nn = double(n);
  const double p = double(hits) / nn;
  const double denom = 1.0 + z * z / nn;
  const double centre = (p + z * z / (2.0 * nn)) / denom;
  const double half = z * std::sqrt(p * (1.0 - p) / nn + z * z / (4.0 * nn * nn)) / denom;
  return Interval{std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Interval percentileInterval(std::vector<double> values, double confidence) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
               values.end());
  if (values.empty()) throw Error("bootstrap: no resampled values");
  std::sort(values.begin(), values.end());
  auto quantile = [&](double q) {
    const double pos = q * double(values.size() - 1);
    const std::size_t lo = std::size_t(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    const double frac = pos - double(lo);
    return values[lo] + (values[hi] - values[lo]) * frac;
  };
  const double tail = (1.0 - confidence) / 2.0;
  return Interval{quantile(tail), quantile(1.0 - tail)};
}

WaUarIntervals bootstrapWaUarIntervals(const std::vector<int>& truth, const std::vector<int>& pred,
                                       int numClasses, const BootstrapOptions& options) {
  BootstrapSamples s = bootstrapWaUar(truth, pred, numClasses, options);
  return WaUarIntervals{percentileInterval(std::move(s.wa), options.confidence),
                        percentileInterval(std::move(s.uar), options.confidence)};
}

}  // namespace ser
