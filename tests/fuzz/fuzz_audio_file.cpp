// Audio files as a damaged disk or a hostile folder hands them over (ser::readAudioInfo and
// ser::loadMono: libsndfile through serwb's in-memory virtual I/O, its header bounds and finiteness
// checks). The input's first byte picks the file name's extension (.wav, .flac, .ogg, none), so the
// format probes behind each are reached; the rest is the file. Each call must return or throw
// ser::Error; what it returns must keep its invariants.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/audio/audio_file.h"
#include "core/base/error.h"
#include "tests/fuzz/fuzz_support.h"

using namespace ser;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const kExtensions[] = {".wav", ".flac", ".ogg", ""};
  const std::filesystem::path path = fuzz::scratchDir() / (std::string("clip") + kExtensions[data[0] % 4]);
  fuzz::writeBytes(path, std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  try {
    const AudioInfo info = readAudioInfo(path.string());
    FUZZ_CHECK(info.sampleRate > 0 && info.channels > 0 && info.frames > 0);
  } catch (const Error&) {
  }
  try {
    const MonoAudio audio = loadMono(path.string());
    FUZZ_CHECK(audio.sampleRate > 0);
    FUZZ_CHECK(!audio.samples.empty());
    for (float s : audio.samples) FUZZ_CHECK(std::isfinite(s));
  } catch (const Error&) {
  }
  return 0;
}
