#include "core/image/spectrogram_export.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <set>
#include <system_error>

#include "core/base/error.h"
#include "core/image/png_writer.h"

namespace ser {
namespace {

namespace fs = std::filesystem;

// Passes a batch's progress on as progress over the whole export.
class OffsetProgress : public ProgressReporter {
 public:
  OffsetProgress(ProgressReporter* inner, std::size_t offset, std::size_t total)
      : inner_(inner), offset_(offset), total_(total) {}
  void progress(std::size_t done, std::size_t, const std::string& item) override {
    if (inner_) inner_->progress(offset_ + done, total_, item);
  }

 private:
  ProgressReporter* inner_;
  std::size_t offset_, total_;
};

}  // namespace

std::string safeFileName(const std::string& label) {
  std::string out;
  for (unsigned char c : label)
    out += (std::isalnum(c) || c == '-' || c == '_') ? char(c) : '_';
  return out.empty() ? std::string("_") : out;
}

SpectrogramExportResult exportSpectrograms(const std::vector<Clip>& clips,
                                           const SpectrogramExportOptions& options,
                                           const FeatureCache* cache, ProgressReporter* progress,
                                           const CancelFlag* cancel) {
  const auto start = std::chrono::steady_clock::now();
  SpectrogramExportResult result;
  result.clips = clips.size();
  std::error_code ec;
  fs::create_directories(options.outDir, ec);
  if (ec || !fs::is_directory(options.outDir))
    throw Error("Cannot create the output folder '" + options.outDir + "': " +
                (ec ? ec.message() : std::string("not a folder")));

  // Which clips get an image, and under which folder and name (names made unique per folder).
  std::vector<const Clip*> todo;
  std::vector<std::string> targets;
  std::set<std::string> taken;
  for (const Clip& clip : clips) {
    const std::string& label = options.label == SpectrogramLabel::Common ? clip.common : clip.emotion;
    if (label.empty()) {
      ++result.unlabelled;
      continue;
    }
    const std::string folder = safeFileName(label);
    std::string stem = safeFileName(fs::path(clip.path).stem().string());
    std::string rel = folder + "/" + stem + ".png";
    for (int n = 2; taken.count(rel); ++n) rel = folder + "/" + stem + "_" + std::to_string(n) + ".png";
    taken.insert(rel);
    todo.push_back(&clip);
    targets.push_back(rel);
  }

  PreprocessOptions pre = options.preprocess;
  pre.keepInMemory = true;
  const std::size_t batch = std::max<std::size_t>(1, options.batch);
  std::set<std::string> madeFolders;
  for (std::size_t first = 0; first < todo.size(); first += batch) {
    if (isCancelled(cancel)) {
      result.cancelled = true;
      break;
    }
    const std::size_t last = std::min(todo.size(), first + batch);
    std::vector<Clip> chunk;
    for (std::size_t i = first; i < last; ++i) chunk.push_back(*todo[i]);
    OffsetProgress offset(progress, first, todo.size());
    const PreprocessResult r = preprocess(chunk, pre, cache, &offset, cancel);
    result.cached += r.cached;
    result.computed += r.computed;
    result.cacheWriteFailures += r.cacheWriteFailures;
    if (result.cacheWriteError.empty()) result.cacheWriteError = r.cacheWriteError;
    std::set<std::string> failed;
    for (const auto& f : r.failures) {
      result.failures.push_back(f);
      failed.insert(f.path);
    }
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const FeatureMatrix& logMel = r.features[i].logMel;
      if (failed.count(chunk[i].path) || logMel.empty()) continue;  // failed, or cancelled before it
      const fs::path target = fs::path(options.outDir) / targets[first + i];
      const std::string folder = target.parent_path().string();
      try {
        if (!madeFolders.count(folder)) {
          fs::create_directories(folder, ec);
          if (ec) throw Error("Cannot create '" + folder + "': " + ec.message());
          madeFolders.insert(folder);
        }
        writePng(target.string(), renderLogMel(logMel, options.image));
        ++result.written;
        ++result.perLabel[target.parent_path().filename().string()];
      } catch (const Error& e) {
        result.failures.push_back({chunk[i].path, "'" + chunk[i].path + "': no image: " + e.what()});
      }
    }
    if (r.cancelled) {
      result.cancelled = true;
      break;
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace ser
