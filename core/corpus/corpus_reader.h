#pragma once
// Corpus readers. Each scans a folder (or a manifest), validates every file's audio header and
// returns the clips plus what it skipped with reasons. Bad files never abort a scan; a folder
// that does not exist or holds no clips throws ser::Error.
// Clips come sorted by path (manifest: in row order); Clip::path is absolute. Files without an
// audio extension and hidden files (".name") are ignored quietly; audio files off the layout are
// skipped with the reason. A kDemoMarkerFile at the root names the corpus (unless options.name
// is set) and sets Corpus::synthetic.
// Progress: one call per file whose header is checked, (done, total, path), serialised; total
// counts the files whose names parsed. Cancel: polled between files; the scan then stops, returns
// what it checked so far with Corpus::cancelled set and a warning, and never throws for that.
// Thread-safe: readers share no state (header checks run on ser::parallelFor workers).
#include <map>
#include <string>

#include "core/base/progress.h"
#include "core/corpus/clip.h"
#include "core/corpus/label_set.h"

namespace ser {

struct RavdessOptions {
  bool includeSong = false;  // also take vocal channel 02 (song); speech only by default
  CommonLabelPolicy policy = CommonLabelPolicy::Drop;
  std::string name;          // corpus name; empty = "ravdess", or the demo marker's name
};

struct CremaDOptions {
  std::string demographics;  // VideoDemographics.csv; empty = look for it at the corpus root
  std::string name;          // corpus name; empty = "crema-d", or the demo marker's name
};

struct ManifestOptions {
  // Native label -> common label, e.g. {"anger": "angry"}. Labels absent from the map are kept
  // when they already are a common label, and otherwise get no common label.
  std::map<std::string, std::string> labelMap;
  std::string name;  // corpus name; empty = the CSV file's stem
};

// RAVDESS layout: DIR/Actor_XX/MM-VV-EE-II-SS-RR-AA.<ext>. Only modality 03 (audio-only);
// speech (vocal channel 01) unless includeSong. Odd actors male, even female. Skip reasons name
// the bad code ("unknown emotion code 09", "not audio-only (modality 01, full AV)").
// Clip::fields: code ("05"), intensity ("normal"/"strong"), statement ("01"/"02"), repetition
// ("01"/"02"), vocal_channel ("speech"/"song").
Corpus scanRavdess(const std::string& dir, const RavdessOptions& options = {},
                   ProgressReporter* progress = nullptr, const CancelFlag* cancel = nullptr);

// CREMA-D layout: DIR/AudioWAV/AAAA_SSS_EMO_LVL.<ext>, with VideoDemographics.csv for sex.
// Throws when AudioWAV is missing, options.demographics names a missing file, or the
// demographics file lacks the ActorID or Sex column.
// Without demographics, or for an actor absent from them, sex is Unknown and a warning says so.
// Clip::fields: code ("ANG"), sentence ("IEO"), level ("low"/"medium"/"high"/"unspecified").
Corpus scanCremaD(const std::string& dir, const CremaDOptions& options = {},
                  ProgressReporter* progress = nullptr, const CancelFlag* cancel = nullptr);

// Manifest CSV with columns path (relative to the CSV, or absolute), emotion, speaker, optional
// sex (any order, any case); other columns are kept in Clip::fields under their header names.
// A missing required column throws; a bad row is skipped with "row N: reason", N the line on
// which the row starts (header = row 1). A labelMap target outside the common set throws
// ParameterError ("labelMap"). Emotions are lower-cased.
Corpus scanManifest(const std::string& csvPath, const ManifestOptions& options = {},
                    ProgressReporter* progress = nullptr, const CancelFlag* cancel = nullptr);

// The marker file `serwb make-demo` writes at the root of each synthetic corpus.
inline constexpr const char* kDemoMarkerFile = "SERWB_SYNTHETIC.json";

}  // namespace ser
