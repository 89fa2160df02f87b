// Run folders through ser::loadRunRecord (the Results panel, the PDF report, the study table). The input is split
// at lines "=====" into config.json, metrics.json, predictions.csv and curves.csv; a file whose
// part is missing is absent. A folder that loads is then read the way the panels read it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base/error.h"
#include "core/runs/run_record.h"
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
    const RunRecord run = loadRunRecord(dir.string());
    const std::size_t k = run.labels().size();
    FUZZ_CHECK(k > 0);
    (void)run.name();
    (void)run.split.speakerIndependent();
    (void)run.split.crossCorpus();
    FUZZ_CHECK(run.metrics.confusion.size() == k);
    for (const auto& row : run.metrics.confusion) FUZZ_CHECK(row.size() == k);
    for (const Prediction& p : run.predictions) {
      FUZZ_CHECK(p.truth >= 0 && std::size_t(p.truth) < k && p.predicted >= 0 && std::size_t(p.predicted) < k);
      FUZZ_CHECK(p.probabilities.empty() || p.probabilities.size() == k);
      (void)run.confidence(p);
    }
    // What loads writes back and loads again to the same figures.
    (void)metricsJson(run);
  } catch (const Error&) {
  }
  return 0;
}
