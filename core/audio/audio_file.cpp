#include "core/audio/audio_file.h"

#include <sndfile.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace ser {

namespace {

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

// The file type, checked before opening: opening a FIFO would block until a writer comes.
void checkRegularFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    struct stat link {};
    if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
      throw Error("'" + path + "': dangling or looping symbolic link (" + std::strerror(errno) + ")");
    throw Error("'" + path + "': file does not exist");
  }
  if (S_ISDIR(st.st_mode)) throw Error("'" + path + "': is a folder, not audio");
  if (S_ISFIFO(st.st_mode)) throw Error("'" + path + "': is a FIFO (named pipe), not an audio file");
  if (!S_ISREG(st.st_mode)) throw Error("'" + path + "': not a regular file");
  if (st.st_size == 0) throw Error("'" + path + "': empty file");
}

// What a header may claim (see audio_file.h); anything outside is refused before decoding.
void checkHeaderBounds(const std::string& path, const SF_INFO& info) {
  if (info.samplerate < kMinSampleRate || info.samplerate > kMaxSampleRate)
    throw Error("'" + path + "': implausible sample rate " + std::to_string(info.samplerate) +
                " Hz in the header (accepted: " + std::to_string(kMinSampleRate) + " to " +
                std::to_string(kMaxSampleRate) + " Hz)");
  if (info.channels < 1 || info.channels > kMaxChannels)
    throw Error("'" + path + "': implausible channel count " + std::to_string(info.channels) +
                " in the header (accepted: 1 to " + std::to_string(kMaxChannels) + ")");
  if (info.frames <= 0) throw Error("'" + path + "': no audio frames (zero-length audio)");
  if (double(info.frames) / info.samplerate > kMaxSeconds)
    throw Error("'" + path + "': the header claims " + std::to_string(info.frames) +
                " frames (" + std::to_string(static_cast<long long>(double(info.frames) / info.samplerate)) +
                " s), more than the " + std::to_string(static_cast<int>(kMaxSeconds)) +
                " s accepted");
}

// An audio file opened for libsndfile's virtual I/O: its first bytes (the whole file for
// decoding, its head for a header check) come into memory with one read(); anything beyond
// them is read with pread(). libsndfile's own file I/O reads 8 KB at a time and seeks between
// reads: about 100 system calls for a 3 s 48 kHz WAV, where this makes four (open, fstat, read,
// close), and system calls are most of a header check's cost. Lives as long as its SNDFILE.
class AudioSource {
 public:
  // Opens `path` and reads up to `headBytes` of it. Throws ser::Error naming the file.
  AudioSource(const std::string& path, sf_count_t headBytes) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error("'" + path + "': cannot open (" + std::strerror(errno) + ")");
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
      const int err = errno;
      ::close(fd_);
      throw Error("'" + path + "': cannot stat (" + std::strerror(err) + ")");
    }
    size_ = static_cast<sf_count_t>(st.st_size);
    headSize_ = std::max<sf_count_t>(0, std::min(size_, headBytes));
    head_.reset(new char[static_cast<std::size_t>(headSize_)]);  // not zeroed: read() fills it
    const sf_count_t got = readAt(head_.get(), headSize_, 0);
    if (got < 0) {
      const int err = errno;
      ::close(fd_);
      throw Error("'" + path + "': cannot read (" + std::strerror(err) + ")");
    }
    if (got < headSize_) {  // shorter than fstat said (truncated meanwhile)
      headSize_ = got;
      size_ = got;
    }
  }
  ~AudioSource() { ::close(fd_); }
  AudioSource(const AudioSource&) = delete;
  AudioSource& operator=(const AudioSource&) = delete;

  SNDFILE* open(SF_INFO& info) { return sf_open_virtual(&io_, SFM_READ, &info, this); }

 private:
  // pread() until `count` bytes or the end of the file; -1 on an error (errno set).
  sf_count_t readAt(char* dst, sf_count_t count, sf_count_t offset) const {
    sf_count_t done = 0;
    while (done < count) {
      const ssize_t n = ::pread(fd_, dst + done, static_cast<std::size_t>(count - done),
                                static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return -1;
      if (n == 0) break;
      done += n;
    }
    return done;
  }
  static AudioSource& self(void* user) { return *static_cast<AudioSource*>(user); }
  static sf_count_t length(void* user) { return self(user).size_; }
  static sf_count_t tell(void* user) { return self(user).pos_; }
  static sf_count_t seek(sf_count_t offset, int whence, void* user) {
    AudioSource& s = self(user);
    const sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? s.pos_ : s.size_;
    if (base + offset < 0) return -1;
    s.pos_ = base + offset;
    return s.pos_;
  }
  static sf_count_t read(void* ptr, sf_count_t count, void* user) {
    AudioSource& s = self(user);
    char* dst = static_cast<char*>(ptr);
    sf_count_t done = 0;
    // From memory: the head, or the window of the last read beyond it.
    auto fromMemory = [&](const char* bytes, sf_count_t start, sf_count_t size) {
      const sf_count_t at = s.pos_ + done;
      if (done < count && at >= start && at < start + size) {
        const sf_count_t n = std::min(count - done, start + size - at);
        std::memcpy(dst + done, bytes + (at - start), static_cast<std::size_t>(n));
        done += n;
      }
    };
    fromMemory(s.head_.get(), 0, s.headSize_);
    fromMemory(s.window_.get(), s.windowStart_, s.windowSize_);
    if (done < count) {
      const sf_count_t at = s.pos_ + done;
      if (count - done >= kWindow) {  // a large read goes straight to the caller
        const sf_count_t more = s.readAt(dst + done, count - done, at);
        if (more > 0) done += more;
      } else {
        // Small reads beyond the head (the chunks after a WAV's data: LIST, bext, ... a few
        // bytes each) come from one read-ahead window, not a system call each.
        if (!s.window_) s.window_.reset(new char[static_cast<std::size_t>(kWindow)]);
        const sf_count_t got = s.readAt(s.window_.get(), kWindow, at);
        s.windowStart_ = at;
        s.windowSize_ = std::max<sf_count_t>(0, got);
        fromMemory(s.window_.get(), s.windowStart_, s.windowSize_);
      }
    }
    s.pos_ += done;
    return done;
  }
  static sf_count_t write(const void*, sf_count_t, void*) { return 0; }

  int fd_ = -1;
  sf_count_t size_ = 0;
  sf_count_t pos_ = 0;
  static constexpr sf_count_t kWindow = 16 * 1024;
  std::unique_ptr<char[]> head_;  // the file's bytes [0, headSize_)
  sf_count_t headSize_ = 0;
  std::unique_ptr<char[]> window_;  // the file's bytes [windowStart_, windowStart_ + windowSize_)
  sf_count_t windowStart_ = 0;
  sf_count_t windowSize_ = 0;
  SF_VIRTUAL_IO io_{&AudioSource::length, &AudioSource::seek, &AudioSource::read,
                    &AudioSource::write, &AudioSource::tell};
};

bool anyNonFinite(const float* x, std::size_t n) {
  std::uint32_t all = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t u;
    std::memcpy(&u, &x[i], sizeof u);
    all |= static_cast<std::uint32_t>((u & 0x7f800000u) == 0x7f800000u);
  }
  return all != 0;
}

constexpr sf_count_t kHeaderHead = 16 * 1024;          // read for a header check
constexpr sf_count_t kWholeFileLimit = 64 << 20;       // decoded from memory up to this size

SndfilePtr openForRead(const std::string& path, AudioSource& source, SF_INFO& info) {
  info = SF_INFO{};
  SNDFILE* f = source.open(info);
  if (!f) throw Error("'" + path + "': cannot read audio (" + sf_strerror(nullptr) + ")");
  SndfilePtr ptr(f);
  checkHeaderBounds(path, info);
  return ptr;
}

}  // namespace

AudioInfo readAudioInfo(const std::string& path) {
  checkRegularFile(path);
  AudioSource source(path, kHeaderHead);
  SF_INFO info;
  SndfilePtr f = openForRead(path, source, info);
  return AudioInfo{info.samplerate, info.channels, static_cast<long long>(info.frames)};
}

MonoAudio loadMono(const std::string& path) {
  checkRegularFile(path);
  AudioSource source(path, kWholeFileLimit);
  SF_INFO info;
  SndfilePtr f = openForRead(path, source, info);
  const int ch = info.channels;
  MonoAudio out;
  out.sampleRate = info.samplerate;
  out.samples.reserve(static_cast<std::size_t>(info.frames));
  constexpr sf_count_t kBlock = 8192;
  if (ch == 1) {
    // Straight into the result, a block at a time (the header's frame count may be wrong).
    std::size_t have = 0;
    for (;;) {
      out.samples.resize(have + static_cast<std::size_t>(kBlock));
      const sf_count_t got = sf_readf_float(f.get(), out.samples.data() + have, kBlock);
      if (got > 0) have += static_cast<std::size_t>(got);
      if (got < kBlock) break;
    }
    out.samples.resize(have);
  } else {
    std::vector<float> buf(static_cast<std::size_t>(kBlock) * ch);
    const float scale = 1.0f / static_cast<float>(ch);
    for (;;) {
      const sf_count_t got = sf_readf_float(f.get(), buf.data(), kBlock);
      if (got <= 0) break;
      for (sf_count_t i = 0; i < got; ++i) {
        float acc = 0.0f;
        for (int c = 0; c < ch; ++c) acc += buf[static_cast<std::size_t>(i) * ch + c];
        out.samples.push_back(acc * scale);
      }
    }
  }
  if (sf_error(f.get()) != SF_ERR_NO_ERROR)
    throw Error("'" + path + "': decoding failed (" + sf_strerror(f.get()) + ")");
  if (out.samples.empty()) throw Error("'" + path + "': no audio frames could be decoded");
  // A float file can hold NaN or infinity; a downmix of huge values can overflow to infinity.
  // First a branch-free pass that vectorises (an all-ones exponent marks both), then the search.
  if (anyNonFinite(out.samples.data(), out.samples.size())) {
    const auto bad = std::find_if(out.samples.begin(), out.samples.end(),
                                  [](float v) { return !std::isfinite(v); });
    throw Error("'" + path + "': sample " + std::to_string(bad - out.samples.begin()) +
                " is not a finite number (" + (std::isnan(*bad) ? "NaN" : "infinity") +
                "): damaged audio");
  }
  return out;
}

void writeAudio(const std::string& path, const std::vector<float>& samples, int sampleRate,
                int channels) {
  if (sampleRate <= 0) throw ParameterError("sampleRate", std::to_string(sampleRate), "(0, inf)");
  if (channels < 1 || channels > 8)
    throw ParameterError("channels", std::to_string(channels), "[1, 8]");
  const std::filesystem::path p(path);
  std::string ext = p.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool flac = ext == ".flac";
  SF_INFO info{};
  info.samplerate = sampleRate;
  info.channels = channels;
  info.format = (flac ? SF_FORMAT_FLAC : SF_FORMAT_WAV) | SF_FORMAT_PCM_16;

  // Encode to a temporary file beside the target, then rename (atomic).
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  const std::string tmp = path + ".tmp-write" + ext;
  SNDFILE* f = sf_open(tmp.c_str(), SFM_WRITE, &info);
  if (!f) throw Error("cannot write '" + path + "': " + sf_strerror(nullptr));
  SndfilePtr guard(f);
  sf_command(f, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  std::vector<float> frames;
  const float* data = samples.data();
  if (channels > 1) {
    frames.resize(samples.size() * channels);
    for (std::size_t i = 0; i < samples.size(); ++i)
      for (int c = 0; c < channels; ++c) frames[i * channels + c] = samples[i];
    data = frames.data();
  }
  const sf_count_t n = static_cast<sf_count_t>(samples.size());
  if (sf_writef_float(f, data, n) != n) {
    const std::string why = sf_strerror(f);
    guard.reset();
    std::filesystem::remove(tmp, ec);
    throw Error("cannot write '" + path + "': " + why);
  }
  guard.reset();
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw Error("cannot write '" + path + "': rename failed");
  }
}

}  // namespace ser
