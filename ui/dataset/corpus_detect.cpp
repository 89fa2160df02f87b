#include "ui/dataset/corpus_detect.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace ser {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

bool isActorFolderName(const std::string& name) {
  // Actor_01 .. Actor_24 (any digits count)
  const std::string l = lower(name);
  if (l.size() < 7 || l.compare(0, 6, "actor_") != 0) return false;
  return std::all_of(l.begin() + 6, l.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

std::optional<CorpusReader> detectCorpusReader(const std::string& path) {
  std::error_code ec;
  const fs::path p(path);
  if (fs::is_regular_file(p, ec)) {
    if (lower(p.extension().string()) == ".csv") return CorpusReader::Manifest;
    return std::nullopt;
  }
  if (!fs::is_directory(p, ec)) return std::nullopt;
  if (lower(p.filename().string()) == "audiowav") return CorpusReader::CremaD;
  bool cremad = false;
  for (fs::directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_directory(ec)) continue;
    const std::string name = it->path().filename().string();
    if (isActorFolderName(name)) return CorpusReader::Ravdess;
    if (lower(name) == "audiowav") cremad = true;
  }
  if (cremad) return CorpusReader::CremaD;
  return std::nullopt;
}

std::string corpusRootFor(const std::string& path, CorpusReader reader) {
  const fs::path p(path);
  if (reader == CorpusReader::CremaD && lower(p.filename().string()) == "audiowav")
    return p.parent_path().string();
  return path;
}

}  // namespace ser
