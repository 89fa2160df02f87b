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

Interval percentileInterval(std::vector<double> values, double confidence) {
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
