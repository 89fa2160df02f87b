#pragma once
// Preprocessing: front end + features for every clip, on a thread pool over all cores, through
// the cache. Reports progress per file and can be cancelled between files; what was already
// computed stays in the cache.
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/corpus/clip.h"
#include "core/features/feature_cache.h"

namespace ser {

struct PreprocessOptions {
  FrontEndParams params;
  unsigned threads = 0;    // 0 = all hardware threads
  bool keepInMemory = false;  // fill PreprocessResult::features (for training)
};

struct PreprocessFailure {
  std::string path;
  std::string reason;
};

struct PreprocessResult {
  std::size_t clips = 0;      // clips asked for
  std::size_t computed = 0;   // computed now (and stored)
  std::size_t cached = 0;     // read from the cache
  std::vector<PreprocessFailure> failures;
  bool cancelled = false;
  double seconds = 0.0;       // wall time
  double audioSeconds = 0.0;  // source audio processed (decoded length; header length for cache hits)
  unsigned threads = 0;       // workers used
  // With keepInMemory: one entry per input clip (empty logMel for failures/cancelled).
  std::vector<CachedFeatures> features;
  double clipsPerSecond() const { return seconds > 0 ? (computed + cached) / seconds : 0.0; }
  double audioSecondsPerSecond() const { return seconds > 0 ? audioSeconds / seconds : 0.0; }
};

// `cache` may be null (compute only). Per-file errors become failures; the rest goes on.
PreprocessResult preprocess(const std::vector<Clip>& clips, const PreprocessOptions& options,
                            const FeatureCache* cache, ProgressReporter* progress = nullptr,
                            const CancelFlag* cancel = nullptr);

}  // namespace ser
