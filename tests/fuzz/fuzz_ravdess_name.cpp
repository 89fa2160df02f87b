// RAVDESS file and folder names: "<folder>\n<file name>" (no newline: folder Actor_01).
// Names holding '/' or NUL cannot exist on disk and are not fed to the parser.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/corpus/label_set.h"
#include "core/corpus/name_parsers.h"
#include "tests/fuzz/fuzz_support.h"

using namespace ser;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::splitInput(data, size, "\n", 2);
  const std::string folder = parts.size() == 2 ? parts[0] : "Actor_01";
  const std::string file = parts.back();
  for (const std::string& name : {folder, file})
    if (name.find('/') != std::string::npos || name.find('\0') != std::string::npos) return 0;

  const std::string actor = corpus_detail::ravdessActorOfFolder(folder);
  if (actor.empty()) return 0;
  FUZZ_CHECK(actor.size() == 2 && folder == "Actor_" + actor);
  const std::filesystem::path path = std::filesystem::path("/corpus") / folder / file;

  Clip speech;
  RavdessOptions options;
  const std::string reason = corpus_detail::parseRavdessName(path, actor, options, speech);
  Clip withSong;
  options.includeSong = true;
  options.policy = CommonLabelPolicy::CalmToNeutral;
  const std::string songReason = corpus_detail::parseRavdessName(path, actor, options, withSong);

  FUZZ_CHECK(reason.empty() || !songReason.empty() || withSong.fields.at("vocal_channel") == "song");
  if (!songReason.empty()) return 0;
  // A usable name: seven two-digit codes, the actor's, and a complete clip.
  const std::string stem = path.stem().string();
  FUZZ_CHECK(stem.size() == 20 && stem.substr(18) == actor);
  const auto& labels = ravdessLabels();
  FUZZ_CHECK(std::find(labels.begin(), labels.end(), withSong.emotion) != labels.end());
  FUZZ_CHECK(withSong.sex != Sex::Unknown);
  FUZZ_CHECK(withSong.fields.size() == 5);
  if (reason.empty()) {
    FUZZ_CHECK(speech.emotion == withSong.emotion && speech.sex == withSong.sex);
    FUZZ_CHECK(speech.fields == withSong.fields);
    FUZZ_CHECK(speech.fields.at("vocal_channel") == "speech");
  }
  return 0;
}
