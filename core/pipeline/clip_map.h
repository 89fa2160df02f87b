#pragma once
// The clip map: every clip of a corpus or of a run's test set embedded by a trained network
// (its penultimate layer, clip_classifier.h) and projected to the plane (PCA or t-SNE), with what
// is known about the clip (speaker, sex, corpus, true and predicted emotion). `serwb embed` writes
// it as CSV; the GUI's map reads it from the run folder's cache (embedding-pca.csv,
// embedding-tsne.csv) or computes it in the background.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/corpus/clip.h"
#include "core/corpus/corpus_spec.h"
#include "core/projection/pca.h"
#include "core/projection/tsne.h"
#include "core/runs/run_record.h"
#include "core/train/trainer_options.h"

namespace ser {

enum class ProjectionMethod { Pca, Tsne };
std::string toString(ProjectionMethod method);                     // "pca", "tsne"
ProjectionMethod projectionMethodFromString(const std::string& s);  // throws ParameterError ("method")

struct MapPoint {
  std::string path;      // the audio file
  std::string corpus;
  std::string speaker;   // corpus-qualified
  Sex sex = Sex::Unknown;
  int truth = -1;        // index into ClipMap::labels
  int predicted = -1;    // index into ClipMap::labels
  std::vector<float> probabilities;  // per label
  std::vector<float> embedding;      // the network's penultimate layer
  double x = 0.0, y = 0.0;           // the projection
  bool correct() const { return truth >= 0 && truth == predicted; }
};

struct ClipMap {
  std::vector<std::string> labels;
  std::vector<MapPoint> points;
  ProjectionMethod method = ProjectionMethod::Pca;
  std::string checkpoint;             // the model that embedded the clips
  std::vector<std::string> failures;  // "path: reason" for clips left out (unreadable audio)
  std::size_t leftOutLabels = 0;      // corpus clips whose label is not in the model's set
  bool synthetic = false;             // the clips come from `serwb make-demo`
  bool fromCache = false;             // read from the run folder's cache
};

struct EmbedOptions {
  std::string checkpoint;             // best.ckpt / last.ckpt of a network run
  std::vector<CorpusSpec> corpora;    // embedCorpora: the clips
  std::vector<std::string> speakers;  // embedCorpora: only these speakers (empty = all)
  std::string cache;                  // feature cache; empty = the default
  DeviceChoice device = DeviceChoice::Auto;
  ProjectionMethod method = ProjectionMethod::Pca;
  TsneOptions tsne;
  ProgressReporter* progress = nullptr;  // scan, features, t-SNE iterations
  const CancelFlag* cancel = nullptr;    // polled between files, batches and t-SNE steps
};

// Scans `options.corpora`, keeps the clips whose label is in the model's label set (with the
// model's label set kind and policy), embeds and projects them. Throws ser::Error naming the
// file or parameter at fault, ser::Cancelled when cancelled.
ClipMap embedCorpora(const EmbedOptions& options);

// Embeds and projects the test clips of `run` (its predictions: truth, prediction and
// probabilities are the run's) with `options.checkpoint`. Clips whose audio cannot be read are
// left out and listed in failures.
ClipMap embedRunClips(const RunRecord& run, const EmbedOptions& options);

// (Re)projects `map`'s embeddings with `method`, in place.
void projectClipMap(ClipMap& map, ProjectionMethod method, const TsneOptions& tsne = {},
                    ProgressReporter* progress = nullptr, const CancelFlag* cancel = nullptr);

// The model file of a network run: an evaluation's checkpoint, else best.ckpt (or last.ckpt)
// in the run folder. Throws ser::Error when the run has none (an SVM run, a moved folder).
std::string runCheckpoint(const RunRecord& run);

// CSV text: clip, speaker, sex, corpus, true, predicted, correct, x, y, then p_<label> per
// label, then (withEmbedding) e0, e1, ... One row per point.
std::string clipMapCsv(const ClipMap& map, bool withEmbedding);

// The cache file of a run folder for `method`: RUN/embedding-pca.csv or RUN/embedding-tsne.csv.
std::filesystem::path clipMapCacheFile(const std::filesystem::path& runDir, ProjectionMethod method);

// The cached map of `run` for `method`, when the cache file exists, is newer than the checkpoint
// and predictions.csv, and lists clips the run still has; std::nullopt otherwise (a stale or
// unreadable cache is recomputed, never an error).
std::optional<ClipMap> loadCachedClipMap(const RunRecord& run, ProjectionMethod method,
                                         const std::string& checkpoint);

// The map of `run`: from the cache, or embedRunClips() then written to the cache (a cache that
// cannot be written costs time only).
ClipMap clipMapForRun(const RunRecord& run, const EmbedOptions& options);

}  // namespace ser
