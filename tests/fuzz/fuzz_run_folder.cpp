// Run folders through ser::loadRunFolder (the Results panel, `serwb report`). The input is split
// at lines "=====" into config.json, metrics.json, predictions.csv and curves.csv; a file whose
// part is missing is absent. A folder that loads is then read the way the panels read it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base/error.h"
#include "core/runs/run_folder.h"
#include "tests/fuzz/fuzz_support.h"

using namespace ser;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path d = fuzz::scratchDir() / "run";
    std::filesystem::create_directories(d);
    return d;
  }();
  static const char* const kFiles[] = {"config.json", "metrics.json", "predictions.csv", "curves.csv"};
  const auto parts = fuzz::splitInput(data, size, "\n=====\n", 4);
  for (std::size_t i = 0; i < 4; ++i) {
    if (i < parts.size())
      fuzz::writeBytes(dir / kFiles[i], parts[i]);
    else
      std::filesystem::remove(dir / kFiles[i]);
  }
  try {
    const RunFolder run = loadRunFolder(dir.string());
    FUZZ_CHECK(!run.labels.empty());
    (void)run.name();
    (void)run.synthetic();
    (void)run.speakerIndependent();
    const auto confusion = run.confusion();
    FUZZ_CHECK(confusion.size() == run.labels.size());
    for (const auto& row : confusion) FUZZ_CHECK(row.size() == run.labels.size());
    for (const PredictionRow& row : run.predictions) {
      FUZZ_CHECK(row.probabilities.size() == run.labels.size());
      (void)run.confidence(row);
    }
  } catch (const Error&) {
  }
  return 0;
}
