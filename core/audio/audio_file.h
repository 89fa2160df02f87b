#pragma once
// Audio file access through libsndfile: any format it reads (WAV, FLAC, OGG, MP3 on Debian 12).
#include <string>
#include <vector>

namespace ser {

struct AudioInfo {
  int sampleRate = 0;    // Hz
  int channels = 0;
  long long frames = 0;  // samples per channel
};

// Reads only the header. Throws ser::Error naming the file and the reason (libsndfile's message,
// or "no audio frames" for a zero-length file).
AudioInfo readAudioInfo(const std::string& path);

// Decoded audio: mono float samples in [-1, 1] at `sampleRate`.
struct MonoAudio {
  std::vector<float> samples;
  int sampleRate = 0;
  double seconds() const { return sampleRate > 0 ? double(samples.size()) / sampleRate : 0.0; }
};

// Decodes the whole file and averages its channels to mono. Throws ser::Error naming the file
// when it cannot be opened or decoded, or holds no frames.
MonoAudio loadMono(const std::string& path);

// Writes 16-bit PCM WAV (or FLAC when the path ends in .flac), atomically. Used by the demo
// corpus and test fixtures. `channels` > 1 duplicates the mono signal into every channel.
void writeAudio(const std::string& path, const std::vector<float>& samples, int sampleRate,
                int channels = 1);

}  // namespace ser
