// Checkpoint metadata (the JSON text stored in a checkpoint's "meta" entry) through
// ser::parseCheckpointMeta and ser::checkpointModelMeta, what CheckpointFile and
// loadTrainedModel read before any weights are touched.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base/error.h"
#include "core/train/checkpoint_meta.h"
#include "tests/fuzz/fuzz_support.h"

using namespace ser;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const nlohmann::json meta =
        parseCheckpointMeta(std::string(reinterpret_cast<const char*>(data), size));
    FUZZ_CHECK(meta.is_object());
    const CheckpointModelMeta m = checkpointModelMeta(meta);
    FUZZ_CHECK(m.inputRows > 0 && m.inputCols > 0);
    FUZZ_CHECK(m.normaliser.fallback().mean.size() == m.normaliser.fallback().stddev.size());
    m.model.validate();  // what makeModel checks next
  } catch (const Error&) {
  }
  return 0;
}
