// CREMA-D demographics CSV (VideoDemographics.csv) through ser::scanCremaD. The input is the
// demographics file; the corpus holds three valid clips of actors 1001, 1002 and 1091.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base/error.h"
#include "core/corpus/corpus_reader.h"
#include "tests/fuzz/fuzz_support.h"

using namespace ser;

namespace {

std::filesystem::path setUp() {
  const std::filesystem::path dir = fuzz::scratchDir() / "crema-d";
  std::filesystem::create_directories(dir / "AudioWAV");
  for (const char* name : {"1001_DFA_ANG_XX.wav", "1002_IEO_HAP_HI.wav", "1091_TAI_SAD_LO.wav"})
    fuzz::writeTinyWav(dir / "AudioWAV" / name);
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path dir = setUp();
  const std::filesystem::path csv = fuzz::scratchDir() / "VideoDemographics.csv";
  fuzz::writeBytes(csv, std::string(reinterpret_cast<const char*>(data), size));
  CremaDOptions options;
  options.demographics = csv.string();
  try {
    const Corpus corpus = scanCremaD(dir.string(), options);
    FUZZ_CHECK(corpus.clips.size() == 3 && corpus.skipped.empty());
  } catch (const Error&) {
  }
  return 0;
}
