// Experiment files through ser::loadExperimentFile (`serwb train --experiment FILE`). An
// experiment that loads must survive the round trip toJson -> experimentFromJson unchanged.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base/error.h"
#include "core/experiment/experiment.h"
#include "tests/fuzz/fuzz_support.h"

using namespace ser;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path file = fuzz::scratchDir() / "experiment.json";
  fuzz::writeBytes(file, std::string(reinterpret_cast<const char*>(data), size));
  Experiment experiment;
  try {
    experiment = loadExperimentFile(file.string());
  } catch (const Error&) {
    return 0;
  }
  const nlohmann::json once = toJson(experiment);
  Experiment again;
  try {
    again = experimentFromJson(once);
  } catch (const Error& e) {
    std::fprintf(stderr, "a loaded experiment does not load back: %s\n", e.what());
    std::abort();
  }
  FUZZ_CHECK(toJson(again) == once);
  return 0;
}
