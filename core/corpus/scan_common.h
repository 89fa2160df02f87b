#pragma once
// Pieces the corpus readers share: folder checks, the demo marker, file-name filters and the
// parallel header check. Internal to core/corpus.
#include <filesystem>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/corpus/clip.h"

namespace ser::corpus_detail {

// The folder as an absolute, normalised path. Throws ser::Error ("<what> folder '<dir>' does not
// exist" / "is not a folder").
std::filesystem::path checkFolder(const std::string& dir, const std::string& what);

// True for extensions libsndfile reads (wav, flac, ogg, mp3, aiff, ...), any case.
bool hasAudioExtension(const std::filesystem::path& file);

// Names starting with '.' (editor swap files, macOS "._" resource forks): skipped quietly.
bool isHidden(const std::filesystem::path& file);

// One folder's entries, sorted by kind. Hidden entries and non-audio files are left out quietly.
struct FolderListing {
  std::vector<std::filesystem::path> folders;     // sub-folders (symbolic links followed)
  std::vector<std::filesystem::path> audioFiles;  // regular files with an audio extension
};

// Lists `dir` one level deep without letting one bad entry stop the scan: an entry that cannot
// be examined (symbolic link loop, dangling link, unreadable) and an audio-named entry that is
// not a regular file (a folder named x.wav, a FIFO, a socket) go to corpus.skipped with the
// reason, naming the entry. Folders are collected when `wantFolders`; otherwise a folder is an
// entry like any other. A `dir` that cannot be listed at all throws ser::Error when `isRoot`
// ("cannot list <what> folder '<dir>'") and is skipped with the reason otherwise.
FolderListing listFolder(const std::filesystem::path& dir, bool wantFolders, bool isRoot,
                         const std::string& what, Corpus& corpus);

// Reads kDemoMarkerFile in `root` if present: sets corpus.synthetic, and returns the marker's
// "name" (empty when absent). A marker that is not valid JSON adds a warning.
std::string readDemoMarker(const std::filesystem::path& root, Corpus& corpus);

// A clip whose name was parsed, waiting for its header check. `prefix` starts its skip reason.
struct PendingClip {
  Clip clip;
  std::string prefix;
};

// Checks every pending clip's header with readAudioInfo on parallel workers, in order of
// `pending`. Readable clips go to corpus.clips with sampleRate/channels/frames filled in; the
// others go to corpus.skipped with the exception message. Progress is reported once per file
// (serialised). When `cancel` fires, stops handing out files, keeps what was checked and sets
// corpus.cancelled.
void checkHeaders(std::vector<PendingClip>& pending, Corpus& corpus, ProgressReporter* progress,
                  const CancelFlag* cancel);

// Sorts skipped files by path (when `sortSkipped`) and throws ser::Error when a finished (not
// cancelled) scan found no clips, naming the folder and the first skip reason.
void finishScan(Corpus& corpus, const std::string& what, const std::string& where,
                bool sortSkipped = true);

}  // namespace ser::corpus_detail
