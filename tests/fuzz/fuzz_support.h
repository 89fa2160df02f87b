#pragma once
// Shared pieces of the libFuzzer targets: a private scratch folder for parsers that read files,
// a tiny WAV writer for fixtures, and splitting one input into several files.
// A target's contract: for any input, the parser returns or throws ser::Error. Any other
// exception, a crash, a sanitizer report or a broken invariant (FUZZ_CHECK) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/audio/audio_file.h"

// Aborts (a libFuzzer finding) with the condition's text when an invariant does not hold.
#define FUZZ_CHECK(cond)                                                           \
  do {                                                                             \
    if (!(cond)) {                                                                 \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                \
    }                                                                              \
  } while (0)

namespace ser::fuzz {

// A folder of this process, under /dev/shm when it exists (no disk writes), removed at exit.
inline const std::filesystem::path& scratchDir() {
  static const std::filesystem::path dir = [] {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm")
                                                           : fs::temp_directory_path();
    std::string pattern = (base / "serwb-fuzz-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
      std::perror("mkdtemp");
      std::abort();
    }
    static const fs::path made = pattern;
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(made, ignored);
    });
    return made;
  }();
  return dir;
}

inline void writeBytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::abort();
  }
}

// A valid 0.1 s 16 kHz mono WAV (a quiet ramp), for fixtures whose header checks must pass.
inline void writeTinyWav(const std::filesystem::path& path) {
  std::vector<float> samples(1600);
  for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = 0.01f * float(i % 100) / 100.0f;
  writeAudio(path.string(), samples, 16000, 1);
}

// Splits `data` at each occurrence of `separator` (at most maxParts parts; the last keeps the rest).
inline std::vector<std::string> splitInput(const std::uint8_t* data, std::size_t size,
                                           const std::string& separator, std::size_t maxParts) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (parts.size() + 1 < maxParts) {
    const std::size_t at = text.find(separator, start);
    if (at == std::string::npos) break;
    parts.push_back(text.substr(start, at - start));
    start = at + separator.size();
  }
  parts.push_back(text.substr(start));
  return parts;
}

}  // namespace ser::fuzz
