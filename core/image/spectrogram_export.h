#pragma once
// Log-mel spectrogram images of a corpus, one PNG per clip in a folder per emotion
// (OUT/<emotion>/<clip name>.png): what an image classifier's preprocessing produces. Features
// come through the preprocess cache when one is given (hits are read, misses computed and
// stored); images are coloured as the GUI's spectrogram view shows them (spectrogram_image.h).
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/corpus/clip.h"
#include "core/features/preprocessor.h"
#include "core/image/spectrogram_image.h"

namespace ser {

enum class SpectrogramLabel { Native, Common };  // which label names the folder

struct SpectrogramExportOptions {
  std::string outDir;                          // created when missing
  SpectrogramLabel label = SpectrogramLabel::Native;
  LogMelImageOptions image;                    // colour map and dynamic range
  PreprocessOptions preprocess;                // front end and worker threads
  std::size_t batch = 64;                      // clips held in memory at once, >= 1
};

struct SpectrogramExportResult {
  std::size_t clips = 0;                       // clips asked for
  std::size_t written = 0;                     // images written
  std::size_t cached = 0;                      // features read from the cache
  std::size_t computed = 0;                    // features computed now
  std::size_t unlabelled = 0;                  // left out: no common label (SpectrogramLabel::Common)
  std::map<std::string, std::size_t> perLabel; // images per emotion folder
  std::vector<PreprocessFailure> failures;     // unreadable audio, unwritable image; reasons name the clip
  std::size_t cacheWriteFailures = 0;
  std::string cacheWriteError;
  bool cancelled = false;
  double seconds = 0.0;
};

// A folder or file name made of `label`: letters, digits, '-' and '_' kept, anything else '_'.
std::string safeFileName(const std::string& label);

// Writes the images. Per-clip problems become failures and the rest goes on; throws ser::Error
// only when the output folder cannot be created. Progress counts clips; cancellation is checked
// between clips.
SpectrogramExportResult exportSpectrograms(const std::vector<Clip>& clips,
                                           const SpectrogramExportOptions& options,
                                           const FeatureCache* cache, ProgressReporter* progress = nullptr,
                                           const CancelFlag* cancel = nullptr);

}  // namespace ser
