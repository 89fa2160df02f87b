#include "core/features/feature_cache.h"

#include <sys/stat.h>

#include <cstring>
#include <filesystem>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/hash.h"

namespace ser {

namespace {

constexpr char kMagic[8] = {'S', 'E', 'R', 'W', 'B', 'F', 'C', '1'};

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

std::string serialiseFeatures(const CachedFeatures& f) {
  std::string out(kMagic, sizeof kMagic);
  put(out, static_cast<std::int32_t>(f.logMel.rows));
  put(out, static_cast<std::int32_t>(f.logMel.cols));
  put(out, static_cast<std::int32_t>(f.utterance.size()));
  out.append(reinterpret_cast<const char*>(f.logMel.data.data()), f.logMel.data.size() * sizeof(float));
  out.append(reinterpret_cast<const char*>(f.utterance.data()), f.utterance.size() * sizeof(float));
  // Trailing checksum over everything before it: a torn or corrupted entry reads as a miss.
  put(out, Fnv1a64().addBytes(out).value());
  return out;
}

std::optional<CachedFeatures> deserialiseFeatures(const std::string& in) {
  if (in.size() < sizeof kMagic + 3 * sizeof(std::int32_t) + sizeof(std::uint64_t)) return std::nullopt;
  if (std::memcmp(in.data(), kMagic, sizeof kMagic) != 0) return std::nullopt;
  const std::size_t body = in.size() - sizeof(std::uint64_t);
  std::uint64_t stored = 0;
  std::memcpy(&stored, in.data() + body, sizeof stored);
  if (Fnv1a64().addBytes(std::string_view(in.data(), body)).value() != stored) return std::nullopt;
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
