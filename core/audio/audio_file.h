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

// What a header may claim. A file outside these bounds is refused with the reason (a rate of
// billions, or a tiny file whose low rate would be upsampled to gigabytes).
inline constexpr int kMinSampleRate = 1000;     // Hz
inline constexpr int kMaxSampleRate = 768000;   // Hz
inline constexpr int kMaxChannels = 64;
inline constexpr double kMaxSeconds = 4 * 3600.0;  // frames / rate

// Reads only the header. Throws ser::Error naming the file and the reason: not a regular file
// (folder, FIFO, dangling link; checked before opening, so a FIFO never blocks), libsndfile's
// message, "no audio frames" for a zero-length file, or a header outside the bounds above.
AudioInfo readAudioInfo(const std::string& path);

// Decoded audio: mono float samples in [-1, 1] at `sampleRate`.
struct MonoAudio {
  std::vector<float> samples;
  int sampleRate = 0;
  double seconds() const { return sampleRate > 0 ? double(samples.size()) / sampleRate : 0.0; }
};

// Decodes the whole file and averages its channels to mono. Throws ser::Error naming the file
// when it cannot be opened or decoded, holds no frames, or holds a sample that is not finite
// (NaN or infinity in a float file).
MonoAudio loadMono(const std::string& path);

// Writes 16-bit PCM WAV (or FLAC when the path ends in .flac), atomically. Used by the demo
// corpus and test fixtures. `channels` > 1 duplicates the mono signal into every channel.
void writeAudio(const std::string& path, const std::vector<float>& samples, int sampleRate,
                int channels = 1);

}  // namespace ser
