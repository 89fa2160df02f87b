// CREMA-D file names (AAAA_SSS_EMO_LVL.<ext>). Names holding '/' or NUL cannot exist on disk and
// are not fed to the parser.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/corpus/label_set.h"
#include "core/corpus/name_parsers.h"
#include "tests/fuzz/fuzz_support.h"

using namespace ser;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string file(reinterpret_cast<const char*>(data), size);
  if (file.find('/') != std::string::npos || file.find('\0') != std::string::npos) return 0;
  const std::filesystem::path path = std::filesystem::path("/corpus/AudioWAV") / file;

  Clip clip;
  std::string actor;
  const std::string reason = corpus_detail::parseCremaDName(path, clip, actor);
  if (!reason.empty()) {
    FUZZ_CHECK(actor.empty());
    return 0;
  }
  // A usable name: four-digit actor, a CREMA-D emotion (which is its own common label).
  FUZZ_CHECK(actor.size() == 4 && std::all_of(actor.begin(), actor.end(), [](char c) {
               return std::isdigit(static_cast<unsigned char>(c)) != 0;
             }));
  FUZZ_CHECK(path.stem().string().rfind(actor + "_", 0) == 0);
  const auto& labels = cremadLabels();
  FUZZ_CHECK(std::find(labels.begin(), labels.end(), clip.emotion) != labels.end());
  FUZZ_CHECK(clip.common == clip.emotion);
  FUZZ_CHECK(clip.fields.size() == 3 && clip.fields.at("sentence").size() == 3);
  return 0;
}
