#pragma once
// On-disk feature cache. An entry holds a clip's log-mel matrix and its utterance feature vector.
// Key: the audio file's identity (absolute path, size, modification time) and the front-end
// fingerprint. Entries are written atomically (temp file + rename), so a crash or cancel never
// leaves a half-written entry; a corrupt entry reads as a miss.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/features/feature_matrix.h"
#include "core/features/front_end_params.h"

namespace ser {

struct CachedFeatures {
  FeatureMatrix logMel;           // n_mels x frames
  std::vector<float> utterance;   // UtteranceFeatures::names() order
};

class FeatureCache {
 public:
  // Creates `dir` if needed. Throws ser::Error if it cannot be created.
  FeatureCache(const std::string& dir, const FrontEndParams& params);
  const std::string& dir() const { return dir_; }

  // The entry's file path for an audio file, or empty if the audio file cannot be stat'ed.
  std::string entryPath(const std::string& audioPath) const;
  // Thread-safe.
  std::optional<CachedFeatures> load(const std::string& audioPath) const;
  // Thread-safe. Throws ser::Error naming the entry and the reason when it cannot be written
  // (full disk, read-only folder); the caller keeps its features (see preprocess()).
  void store(const std::string& audioPath, const CachedFeatures& features) const;

 private:
  std::string dir_;
  std::string fingerprint_;
};

// The cache folder used when none is given (`serwb train`, `serwb export-spectrograms`):
// $XDG_CACHE_HOME/serwb/features, else ~/.cache/serwb/features, else a folder under the system
// temp folder. (core/experiment/experiment.h declares it too, for the experiment's cache.)
std::string defaultFeatureCacheDir();

// Serialisation used by the cache (exposed for tests).
std::string serialiseFeatures(const CachedFeatures& f);
std::optional<CachedFeatures> deserialiseFeatures(const std::string& bytes);
// The checksum that ends an entry, over the bytes before it (not cryptographic: it catches torn
// and corrupted entries).
std::uint64_t featureEntryChecksum(std::string_view bytes);

}  // namespace ser
