#include "core/corpus/scan_common.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/audio/audio_file.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/parallel.h"
#include "core/corpus/corpus_reader.h"

namespace fs = std::filesystem;

namespace ser::corpus_detail {

fs::path checkFolder(const std::string& dir, const std::string& what) {
  if (dir.empty()) throw Error(what + " folder: no path given");
  std::error_code ec;
  const fs::path p = fs::absolute(fs::path(dir), ec).lexically_normal();
  if (!fs::exists(p, ec)) throw Error(what + " folder '" + dir + "' does not exist");
  if (!fs::is_directory(p, ec)) throw Error(what + " folder '" + dir + "' is not a folder");
  // Strip a trailing separator so paths join cleanly.
  return p.has_filename() ? p : p.parent_path();
}

bool hasAudioExtension(const fs::path& file) {
  static const std::set<std::string> kExt = {".wav", ".wave", ".flac", ".ogg", ".oga", ".opus",
                                             ".mp3", ".aif",  ".aiff", ".aifc", ".au",  ".snd",
                                             ".caf", ".w64",  ".rf64"};
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return kExt.count(ext) > 0;
}

bool isHidden(const fs::path& file) {
  const std::string name = file.filename().string();
  return !name.empty() && name[0] == '.';
}

namespace {

std::string kindOf(fs::file_type type) {
  switch (type) {
    case fs::file_type::directory: return "a folder";
    case fs::file_type::fifo: return "a FIFO (named pipe)";
    case fs::file_type::socket: return "a socket";
    case fs::file_type::block: return "a block device";
    case fs::file_type::character: return "a character device";
    default: return "not a regular file";
  }
}

}  // namespace

FolderListing listFolder(const fs::path& dir, bool wantFolders, bool isRoot,
                         const std::string& what, Corpus& corpus) {
  FolderListing out;
  auto cannotList = [&](const std::error_code& ec) {
    if (isRoot)
      throw Error("cannot list " + what + " folder '" + dir.string() + "': " + ec.message());
    corpus.skipped.push_back({dir.string(), "cannot list this folder: " + ec.message()});
  };
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    cannotList(ec);
    return out;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    if (isHidden(path)) continue;
    const bool audioName = hasAudioExtension(path);
    std::error_code statError;
    const fs::file_status st = it->status(statError);  // follows symbolic links
    if (statError || st.type() == fs::file_type::not_found) {
      // A loop, a dangling link or an entry we may not examine: name it if it could be ours.
      if (audioName || (wantFolders && !path.has_extension())) {
        std::error_code linkError;
        const bool link = it->is_symlink(linkError);
        std::string reason = statError ? statError.message() : std::string("target does not exist");
        if (link) reason = (statError.value() == ELOOP ? "symbolic link loop: "
                                                       : "broken symbolic link: ") + reason;
        corpus.skipped.push_back({path.string(), "cannot examine this entry (" + reason + ")"});
      }
      continue;
    }
    if (st.type() == fs::file_type::directory && wantFolders) {
      out.folders.push_back(path);
    } else if (!audioName) {
      continue;
    } else if (st.type() == fs::file_type::regular) {
      out.audioFiles.push_back(path);
    } else {
      corpus.skipped.push_back({path.string(), "has an audio name but is " + kindOf(st.type())});
    }
  }
  if (ec) cannotList(ec);
  std::sort(out.folders.begin(), out.folders.end());
  std::sort(out.audioFiles.begin(), out.audioFiles.end());
  return out;
}

std::string readDemoMarker(const fs::path& root, Corpus& corpus) {
  const fs::path marker = root / kDemoMarkerFile;
  std::error_code ec;
  if (!fs::is_regular_file(marker, ec)) return {};
  corpus.synthetic = true;
  try {
    const nlohmann::json j = nlohmann::json::parse(readFile(marker));
    if (j.is_object() && j.contains("name") && j["name"].is_string())
      return j["name"].get<std::string>();
  } catch (const std::exception& e) {
    corpus.warnings.push_back("'" + marker.string() + "' is not valid JSON: " + e.what());
  }
  return {};
}

void checkHeaders(std::vector<PendingClip>& pending, Corpus& corpus, ProgressReporter* progress,
                  const CancelFlag* cancel) {
  const std::size_t n = pending.size();
  std::vector<std::string> errors(n);
  std::vector<char> checked(n, 0);
  std::mutex progressMutex;
  std::size_t done = 0;
  parallelFor(
      n, 0,
      [&](std::size_t i, unsigned) {
        Clip& clip = pending[i].clip;
        try {
          const AudioInfo info = readAudioInfo(clip.path);
          clip.sampleRate = info.sampleRate;
          clip.channels = info.channels;
          clip.frames = info.frames;
        } catch (const std::exception& e) {
          errors[i] = e.what();
          if (errors[i].empty()) errors[i] = "unreadable audio";
        }
        checked[i] = 1;
        if (progress) {
          std::lock_guard<std::mutex> lock(progressMutex);
          progress->progress(++done, n, clip.path);
        }
      },
      [cancel] { return isCancelled(cancel); });

  for (std::size_t i = 0; i < n; ++i) {
    if (!checked[i]) {
      corpus.cancelled = true;
      continue;
    }
    if (errors[i].empty())
      corpus.clips.push_back(std::move(pending[i].clip));
    else
      corpus.skipped.push_back({pending[i].clip.path, pending[i].prefix + errors[i]});
  }
  if (corpus.cancelled)
    corpus.warnings.push_back("scan cancelled: " + std::to_string(corpus.clips.size()) +
                              " clips checked before it stopped");
}

void finishScan(Corpus& corpus, const std::string& what, const std::string& where,
                bool sortSkipped) {
  if (sortSkipped)
    std::stable_sort(corpus.skipped.begin(), corpus.skipped.end(),
                   [](const SkippedFile& a, const SkippedFile& b) { return a.path < b.path; });
  if (!corpus.clips.empty() || corpus.cancelled) return;
  std::ostringstream msg;
  msg << "no valid " << what << " clips in '" << where << "'";
  if (corpus.skipped.empty()) {
    msg << " (no audio files found)";
  } else {
    msg << " (" << corpus.skipped.size() << " file" << (corpus.skipped.size() == 1 ? "" : "s")
        << " skipped; first: " << corpus.skipped.front().reason << ")";
  }
  throw Error(msg.str());
}

}  // namespace ser::corpus_detail
