#pragma once
// Percentile bootstrap confidence intervals for clip-level metrics: clips are resampled with
// replacement, the metric is recomputed on each resample, and the interval is read off the
// sorted resampled values. Deterministic for a given seed on every platform (std::mt19937_64
// with a portable index draw).
#include <cstdint>
#include <vector>

namespace ser {

struct Interval {
  double lo = 0.0;
  double hi = 0.0;
};

struct BootstrapOptions {
  int resamples = 1000;         // number of bootstrap resamples, [10, 1000000]
  std::uint64_t seed = 20240;   // fixed seed: the same data always gives the same interval
  double confidence = 0.95;     // central coverage of the interval, (0, 1)
  void validate() const;
};

// Bootstrap resamples of WA and UAR for one group of clips (truth/pred class indices).
// Returns `resamples` values of each, in resample order.
struct BootstrapSamples {
  std::vector<double> wa;
  std::vector<double> uar;
};
BootstrapSamples bootstrapWaUar(const std::vector<int>& truth, const std::vector<int>& pred,
                                int numClasses, const BootstrapOptions& options);

// The central `confidence` percentile interval of `values` (linear interpolation between order
// statistics, as numpy.percentile's default). Throws ser::Error when `values` is empty.
Interval percentileInterval(std::vector<double> values, double confidence);

// Convenience: the percentile intervals of WA and UAR in one call.
struct WaUarIntervals {
  Interval wa;
  Interval uar;
};
WaUarIntervals bootstrapWaUarIntervals(const std::vector<int>& truth, const std::vector<int>& pred,
                                       int numClasses, const BootstrapOptions& options);

}  // namespace ser
