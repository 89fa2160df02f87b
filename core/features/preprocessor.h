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
  std::size_t computed = 0;   // computed now (stored in the cache unless its write failed)
  std::size_t cached = 0;     // read from the cache
  // Computed clips whose cache entry could not be written (full disk, read-only folder): their
  // features are still used (kept in memory with keepInMemory), only the cache misses them.
  std::size_t cacheWriteFailures = 0;
  std::string cacheWriteError;  // the first such failure's reason; empty when none
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

// One warning line for PreprocessResult::cacheWriteFailures, naming the cache folder and the
// reason; empty when every entry was written.
std::string cacheWriteWarning(const PreprocessResult& result, const std::string& cacheDir);

// Throws ser::Error naming `path` when a feature value is NaN or infinite (audio so loud that
// its power spectrum overflows). Features that reach a model are always finite.
void checkFiniteFeatures(const CachedFeatures& features, const std::string& path);

// `cache` may be null (compute only). Per-file errors (unreadable or non-finite audio) become
// failures and the rest goes on; a cache write failure is not a clip failure (see
// PreprocessResult::cacheWriteFailures). A cache entry holding non-finite values is recomputed.
PreprocessResult preprocess(const std::vector<Clip>& clips, const PreprocessOptions& options,
                            const FeatureCache* cache, ProgressReporter* progress = nullptr,
                            const CancelFlag* cancel = nullptr);

}  // namespace ser
