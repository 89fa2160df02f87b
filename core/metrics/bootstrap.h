#pragma once
// Percentile bootstrap confidence intervals. Two resampling units:
//  - clips (bootstrapWaUar): each clip resampled independently; kept for reference and tests.
//  - speakers (clusterBootstrap): the unit the metrics report uses. Clips of one speaker are not
//    independent (same voice, same microphone), so a speaker is drawn with replacement and keeps
//    all of its clips; with few speakers this gives the honest, wide interval.
// The interval is read off the sorted resampled values. Deterministic for a given seed on every
// platform (std::mt19937_64 with a portable index draw).
#include <cstddef>
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

// One speaker's outcome counts per class: support[c] clips of true class c, correct[c] of them
// predicted correctly. Both have numClasses entries.
struct SpeakerCounts {
  std::vector<std::size_t> support;
  std::vector<std::size_t> correct;
};

// Cluster (speaker) bootstrap: each resample draws speakers.size() speakers with replacement and
// pools their counts. wa/uar hold one value per resample (UAR over the classes present in that
// resample); recall[c] holds class c's recall per resample, NaN where the resample has no clip of
// class c. Throws ser::Error when `speakers` is empty or a count vector has the wrong size.
struct ClusterSamples {
  std::vector<double> wa;
  std::vector<double> uar;
  std::vector<std::vector<double>> recall;  // [class][resample]
};
ClusterSamples clusterBootstrap(const std::vector<SpeakerCounts>& speakers, int numClasses,
                                const BootstrapOptions& options);

// Paired cluster bootstrap: two systems scored on the same clips of the same speakers
// (a[i] and b[i] are speaker i's counts under each system). Each resample draws speakers with
// replacement once and pools that draw for both systems, so a.wa[r] and b.wa[r] (and uar) come
// from the same speakers and their difference is a paired difference. Same draws as
// clusterBootstrap for the same seed and speaker count. Throws ser::Error when a and b differ in
// size, or as clusterBootstrap does.
struct PairedClusterSamples {
  ClusterSamples a;
  ClusterSamples b;
};
PairedClusterSamples pairedClusterBootstrap(const std::vector<SpeakerCounts>& a,
                                            const std::vector<SpeakerCounts>& b, int numClasses,
                                            const BootstrapOptions& options);

// Wilson score interval for a proportion `hits` / `n` (n > 0) at `confidence`: used where the unit
// is one speaker's clips (per-speaker accuracy), conditional on that speaker.
Interval wilsonInterval(std::size_t hits, std::size_t n, double confidence);

// The central `confidence` percentile interval of `values` (linear interpolation between order
// statistics, as numpy.percentile's default). Throws ser::Error when `values` is empty.
// NaN values are left out (a resample where the quantity is undefined); throws when none is left.
Interval percentileInterval(std::vector<double> values, double confidence);

// Convenience: the percentile intervals of WA and UAR in one call.
struct WaUarIntervals {
  Interval wa;
  Interval uar;
};
WaUarIntervals bootstrapWaUarIntervals(const std::vector<int>& truth, const std::vector<int>& pred,
                                       int numClasses, const BootstrapOptions& options);

}  // namespace ser
