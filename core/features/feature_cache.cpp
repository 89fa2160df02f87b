#include "core/features/feature_cache.h"

#include <sys/stat.h>

#include <cstring>
#include <filesystem>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/hash.h"

namespace ser {

namespace {

// Format 2: the trailing checksum is featureEntryChecksum (format 1 had byte-wise FNV-1a, about
// 20x slower); a format-1 entry reads as a miss and is rewritten.
constexpr char kMagic[8] = {'S', 'E', 'R', 'W', 'B', 'F', 'C', '2'};

template <typename T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
bool get(const std::string& in, std::size_t& pos, T& v) {
  if (pos + sizeof v > in.size()) return false;
  std::memcpy(&v, in.data() + pos, sizeof v);
  pos += sizeof v;
  return true;
}

}  // namespace

std::uint64_t featureEntryChecksum(std::string_view bytes) {
  // Four interleaved lanes of 64-bit words, each multiplied and folded (h ^= h >> 29) so every
  // input bit reaches every output bit; the lanes, the tail and the length combined by FNV-1a.
  // Independent lanes run at several bytes per cycle, where byte-wise FNV-1a waits on one
  // multiply per byte.
  constexpr std::uint64_t kMultiplier = 0x9e3779b97f4a7c15ull;
  std::uint64_t lane[4] = {1, 2, 3, 4};
  const char* p = bytes.data();
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    for (int l = 0; l < 4; ++l) {
      std::uint64_t w;
      std::memcpy(&w, p + i + 8 * l, sizeof w);
      lane[l] = (lane[l] ^ w) * kMultiplier;
      lane[l] ^= lane[l] >> 29;
    }
  }
  Fnv1a64 h;
  for (std::uint64_t v : lane) h.addU64(v);
  h.addBytes(bytes.substr(i)).addU64(n);
  return h.value();
}

std::string serialiseFeatures(const CachedFeatures& f) {
  std::string out(kMagic, sizeof kMagic);
  put(out, static_cast<std::int32_t>(f.logMel.rows));
  put(out, static_cast<std::int32_t>(f.logMel.cols));
  put(out, static_cast<std::int32_t>(f.utterance.size()));
  out.append(reinterpret_cast<const char*>(f.logMel.data.data()), f.logMel.data.size() * sizeof(float));
  out.append(reinterpret_cast<const char*>(f.utterance.data()), f.utterance.size() * sizeof(float));
  // Trailing checksum over everything before it: a torn or corrupted entry reads as a miss.
  put(out, featureEntryChecksum(out));
  return out;
}

std::optional<CachedFeatures> deserialiseFeatures(const std::string& in) {
  if (in.size() < sizeof kMagic + 3 * sizeof(std::int32_t) + sizeof(std::uint64_t)) return std::nullopt;
  if (std::memcmp(in.data(), kMagic, sizeof kMagic) != 0) return std::nullopt;
  const std::size_t body = in.size() - sizeof(std::uint64_t);
  std::uint64_t stored = 0;
  std::memcpy(&stored, in.data() + body, sizeof stored);
  if (featureEntryChecksum(std::string_view(in.data(), body)) != stored) return std::nullopt;
  std::size_t pos = sizeof kMagic;
  std::int32_t rows = 0, cols = 0, nUtt = 0;
  if (!get(in, pos, rows) || !get(in, pos, cols) || !get(in, pos, nUtt)) return std::nullopt;
  if (rows < 0 || cols < 0 || nUtt < 0) return std::nullopt;
  const std::size_t nMel = std::size_t(rows) * std::size_t(cols);
  if (pos + (nMel + std::size_t(nUtt)) * sizeof(float) != body) return std::nullopt;
  CachedFeatures f;
  f.logMel = FeatureMatrix(rows, cols);
  // memcpy from/to an empty vector's data() (null) is undefined even for 0 bytes.
  if (nMel > 0) std::memcpy(f.logMel.data.data(), in.data() + pos, nMel * sizeof(float));
  pos += nMel * sizeof(float);
  f.utterance.resize(std::size_t(nUtt));
  if (nUtt > 0) std::memcpy(f.utterance.data(), in.data() + pos, std::size_t(nUtt) * sizeof(float));
  return f;
}

FeatureCache::FeatureCache(const std::string& dir, const FrontEndParams& params)
    : dir_(dir), fingerprint_(params.fingerprint()) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec || !std::filesystem::is_directory(dir_))
    throw Error("cannot create cache folder '" + dir_ + "': " + ec.message());
}

std::string FeatureCache::entryPath(const std::string& audioPath) const {
  struct stat st {};
  if (::stat(audioPath.c_str(), &st) != 0) return {};
  std::error_code ec;
  const std::string absolute = std::filesystem::absolute(audioPath, ec).lexically_normal().string();
  Fnv1a64 h;
  h.addBytes(absolute)
      .addU64(static_cast<std::uint64_t>(st.st_size))
      .addU64(static_cast<std::uint64_t>(st.st_mtim.tv_sec))
      .addU64(static_cast<std::uint64_t>(st.st_mtim.tv_nsec))
      .addBytes(fingerprint_);
  const std::string key = h.hex();
  return (std::filesystem::path(dir_) / key.substr(0, 2) / (key + ".feat")).string();
}

std::optional<CachedFeatures> FeatureCache::load(const std::string& audioPath) const {
  const std::string entry = entryPath(audioPath);
  if (entry.empty()) return std::nullopt;
  std::error_code ec;
  if (!std::filesystem::exists(entry, ec)) return std::nullopt;
  try {
    return deserialiseFeatures(readFile(entry));
  } catch (const Error&) {
    return std::nullopt;
  }
}

void FeatureCache::store(const std::string& audioPath, const CachedFeatures& features) const {
  const std::string entry = entryPath(audioPath);
  if (entry.empty()) throw Error("'" + audioPath + "': cannot stat file for the feature cache");
  // Unsynced: an entry torn by a crash fails its checksum and is recomputed.
  writeFileAtomic(entry, serialiseFeatures(features), Durability::Unsynced);
}

std::string defaultFeatureCacheDir() {
  namespace fs = std::filesystem;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return (fs::path(xdg) / "serwb" / "features").string();
  if (const char* home = std::getenv("HOME"); home && *home)
    return (fs::path(home) / ".cache" / "serwb" / "features").string();
  return (fs::temp_directory_path() / "serwb-features").string();
}

}  // namespace ser
