// Feature cache entries (ser::deserialiseFeatures, what FeatureCache::load reads). First byte odd:
// the rest gets a correct trailing checksum, so the fuzzer reaches the parsing behind the
// checksum; even: the rest is used as is. An entry that reads must serialise to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/features/feature_cache.h"
#include "tests/fuzz/fuzz_support.h"

using namespace ser;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    const std::uint64_t sum = featureEntryChecksum(bytes);
    bytes.append(reinterpret_cast<const char*>(&sum), sizeof sum);
  }
  const std::optional<CachedFeatures> features = deserialiseFeatures(bytes);
  if (!features) return 0;
  FUZZ_CHECK(features->logMel.rows >= 0 && features->logMel.cols >= 0);
  FUZZ_CHECK(features->logMel.data.size() ==
             std::size_t(features->logMel.rows) * std::size_t(features->logMel.cols));
  FUZZ_CHECK(serialiseFeatures(*features) == bytes);
  return 0;
}
