// Manifest CSV through ser::scanManifest, the reader `serwb scan --manifest` uses. The input is
// the CSV file; its folder holds a.wav, b.wav and sub/c.wav (valid audio) for rows to point at.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base/error.h"
#include "core/corpus/corpus_reader.h"
#include "tests/fuzz/fuzz_support.h"

using namespace ser;

namespace {

std::filesystem::path setUp() {
  const std::filesystem::path dir = fuzz::scratchDir() / "manifest";
  std::filesystem::create_directories(dir / "sub");
  fuzz::writeTinyWav(dir / "a.wav");
  fuzz::writeTinyWav(dir / "b.wav");
  fuzz::writeTinyWav(dir / "sub" / "c.wav");
  return dir / "manifest.csv";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path csv = setUp();
  fuzz::writeBytes(csv, std::string(reinterpret_cast<const char*>(data), size));
  ManifestOptions options;
  options.labelMap = {{"Anger", "angry"}, {"boredom", ""}};
  options.name = "m";
  try {
    const Corpus corpus = scanManifest(csv.string(), options);
    FUZZ_CHECK(!corpus.clips.empty());
    for (const Clip& clip : corpus.clips) {
      FUZZ_CHECK(clip.speaker.size() > 2 && clip.speaker.rfind("m:", 0) == 0);
      FUZZ_CHECK(!clip.emotion.empty() && clip.sampleRate > 0 && clip.frames > 0);
    }
  } catch (const Error&) {
  }
  return 0;
}
