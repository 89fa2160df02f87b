#include "core/pipeline/clip_map.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "core/base/atomic_file.h"
#include "core/base/csv.h"
#include "core/base/enum_names.h"
#include "core/base/error.h"
#include "core/corpus/label_set.h"
#include "core/experiment/experiment.h"
#include "core/experiment/split.h"
#include "core/features/feature_cache.h"
#include "core/features/preprocessor.h"
#include "core/pipeline/clip_classifier.h"

namespace ser {

namespace fs = std::filesystem;

namespace {

// Features (through the cache) and embeddings of `clips`; fills the points' embeddings and,
// unless `keepPredictions`, their probabilities and predictions. Points whose audio fails are
// removed and listed in map.failures.
void embedPoints(ClipMap& map, std::vector<Clip> clips, ClipClassifier& classifier,
                 const EmbedOptions& options, bool keepPredictions) {
  PreprocessOptions po;
  po.params = classifier.frontEnd();
  po.keepInMemory = true;
  std::unique_ptr<FeatureCache> cache;
  try {
    cache = std::make_unique<FeatureCache>(
        options.cache.empty() ? defaultFeatureCacheDir() : options.cache, po.params);
  } catch (const Error&) {
    // A cache that cannot be used costs time, never clips.
  }
  PreprocessResult r = preprocess(clips, po, cache.get(), options.progress, options.cancel);
  if (r.cancelled || isCancelled(options.cancel)) throw Cancelled("cancelled while computing features");
  for (const auto& f : r.failures) map.failures.push_back(f.reason);
  std::vector<MapPoint> kept;
  std::vector<const FeatureMatrix*> feats;
  std::vector<std::string> speakers;
  for (std::size_t i = 0; i < map.points.size(); ++i) {
    if (r.features[i].logMel.empty()) continue;
    kept.push_back(std::move(map.points[i]));
    feats.push_back(&r.features[i].logMel);
    speakers.push_back(kept.back().speaker);
  }
  if (options.progress) options.progress->progress(0, 1, "embeddings");
  ClipClassifier::Output out = classifier.apply(feats, speakers, options.cancel);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    kept[i].embedding = std::move(out.embeddings[i]);
    if (keepPredictions) continue;
    kept[i].probabilities = std::move(out.probabilities[i]);
    const auto& p = kept[i].probabilities;
    kept[i].predicted = int(std::max_element(p.begin(), p.end()) - p.begin());
  }
  map.points = std::move(kept);
}

// A map point for one of the run's test clips (its coordinates and embedding still unset).
MapPoint pointOf(const Prediction& pr) {
  MapPoint p;
  p.path = pr.path;
  p.corpus = pr.corpus;
  p.speaker = pr.speaker;
  p.sex = pr.sex;
  p.truth = pr.truth;
  p.predicted = pr.predicted;
  p.probabilities = pr.probabilities;
  return p;
}

Clip clipOf(const MapPoint& p) {
  Clip c;
  c.path = p.path;
  c.corpus = p.corpus;
  c.speaker = p.speaker;
  c.sex = p.sex;
  return c;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

fs::file_time_type mtime(const fs::path& p) {
  std::error_code ec;
  const auto t = fs::last_write_time(p, ec);
  return ec ? fs::file_time_type::max() : t;
}

}  // namespace

namespace {
constexpr std::pair<ProjectionMethod, const char*> kMethods[] = {
    {ProjectionMethod::Pca, "pca"}, {ProjectionMethod::Tsne, "tsne"}, {ProjectionMethod::Tsne, "t-sne"}};
}  // namespace

std::string toString(ProjectionMethod method) { return enumName(method, kMethods); }
ProjectionMethod projectionMethodFromString(const std::string& s) { return enumFromName("method", s, kMethods); }

void projectClipMap(ClipMap& map, ProjectionMethod method, const TsneOptions& tsne,
                    ProgressReporter* progress, const CancelFlag* cancel) {
  std::vector<std::vector<float>> e;
  e.reserve(map.points.size());
  for (const MapPoint& p : map.points) e.push_back(p.embedding);
  const Projection2d xy = method == ProjectionMethod::Tsne ? tsne2d(e, tsne, progress, cancel).points
                                                           : pca2d(e).points;
  for (std::size_t i = 0; i < map.points.size(); ++i) {
    map.points[i].x = xy.x[i];
    map.points[i].y = xy.y[i];
  }
  map.method = method;
}

ClipMap embedCorpora(const EmbedOptions& options) {
  if (options.corpora.empty()) throw Error("no corpus given to embed");
  ClipClassifier classifier(options.checkpoint, options.device);
  const nlohmann::json& ex = classifier.experiment();
  const LabelSetKind kind = labelSetKindFromString(ex.value("labels", std::string("native")));
  const CommonLabelPolicy policy =
      commonLabelPolicyFromString(ex.value("label_policy", std::string("drop")));
  const Corpus corpus = loadCorpora(options.corpora, policy, options.progress, options.cancel);
  if (corpus.cancelled || isCancelled(options.cancel)) throw Cancelled("cancelled while scanning");
  ClipMap map;
  map.labels = classifier.labels();
  map.checkpoint = options.checkpoint;
  map.synthetic = corpus.synthetic;
  for (const auto& s : corpus.skipped) map.failures.push_back(s.path + ": " + s.reason);
  const std::vector<int> labelOf = labelIndices(corpus.clips, map.labels, labelField(kind));
  std::vector<Clip> clips;
  for (std::size_t i = 0; i < corpus.clips.size(); ++i) {
    const Clip& c = corpus.clips[i];
    if (!options.speakers.empty() &&
        std::find(options.speakers.begin(), options.speakers.end(), c.speaker) == options.speakers.end())
      continue;
    if (labelOf[i] < 0) {
      ++map.leftOutLabels;
      continue;
    }
    clips.push_back(c);
    MapPoint p;
    p.path = c.path;
    p.corpus = c.corpus;
    p.speaker = c.speaker;
    p.sex = c.sex;
    p.truth = labelOf[i];
    map.points.push_back(std::move(p));
  }
  if (clips.empty()) throw Error("no clips to embed with the model's labels");
  embedPoints(map, std::move(clips), classifier, options, false);
  projectClipMap(map, options.method, options.tsne, options.progress, options.cancel);
  return map;
}

ClipMap embedRunClips(const RunRecord& run, const EmbedOptions& options) {
  ClipClassifier classifier(options.checkpoint, options.device);
  if (classifier.labels() != run.labels())
    throw Error("'" + options.checkpoint + "' has other labels than the run in '" + run.path.string() + "'");
  ClipMap map;
  map.labels = run.labels();
  map.checkpoint = options.checkpoint;
  map.synthetic = run.synthetic;
  std::vector<Clip> clips;
  for (const Prediction& pr : run.predictions) {
    MapPoint p = pointOf(pr);
    clips.push_back(clipOf(p));
    map.points.push_back(std::move(p));
  }
  if (clips.empty()) throw Error("the run in '" + run.path.string() + "' has no test clips to embed");
  embedPoints(map, std::move(clips), classifier, options, true);
  projectClipMap(map, options.method, options.tsne, options.progress, options.cancel);
  return map;
}

std::string runCheckpoint(const RunRecord& run) {
  if (run.evaluation && !run.evaluation->checkpoint.empty()) {
    fs::path p = run.evaluation->checkpoint;
    if (p.is_relative() && !fs::exists(p)) p = run.path / p;
    if (p.extension() == ".svm")
      throw Error("the run in '" + run.path.string() + "' evaluated an SVM: it has no learned embedding");
    return p.string();
  }
  for (const char* name : {"best.ckpt", "last.ckpt"})
    if (fs::exists(run.path / name)) return (run.path / name).string();
  if (fs::exists(run.path / "model.svm"))
    throw Error("the run in '" + run.path.string() + "' is an SVM: it has no learned embedding");
  throw Error("the run in '" + run.path.string() + "' has no best.ckpt or last.ckpt");
}

std::string clipMapCsv(const ClipMap& map, bool withEmbedding) {
  std::vector<std::string> header = {"clip", "speaker", "sex", "corpus", "true",
                                     "predicted", "correct", "x", "y"};
  for (const auto& l : map.labels) header.push_back("p_" + l);
  const std::size_t dims = map.points.empty() ? 0 : map.points.front().embedding.size();
  if (withEmbedding)
    for (std::size_t k = 0; k < dims; ++k) header.push_back("e" + std::to_string(k));
  std::string out = csvLine(header);
  auto label = [&](int i) { return i >= 0 && std::size_t(i) < map.labels.size() ? map.labels[i] : std::string(); };
  for (const MapPoint& p : map.points) {
    std::vector<std::string> row = {p.path, p.speaker, toString(p.sex), p.corpus, label(p.truth),
                                    label(p.predicted), p.truth < 0 ? "" : (p.correct() ? "1" : "0"),
                                    number(p.x), number(p.y)};
    for (std::size_t k = 0; k < map.labels.size(); ++k)
      row.push_back(k < p.probabilities.size() ? number(p.probabilities[k]) : "");
    if (withEmbedding)
      for (float v : p.embedding) row.push_back(number(v));
    out += csvLine(row);
  }
  return out;
}

fs::path clipMapCacheFile(const fs::path& runDir, ProjectionMethod method) {
  return runDir / ("embedding-" + toString(method) + ".csv");
}

std::optional<ClipMap> loadCachedClipMap(const RunRecord& run, ProjectionMethod method,
                                         const std::string& checkpoint) {
  const fs::path file = clipMapCacheFile(run.path, method);
  if (!fs::exists(file)) return std::nullopt;
  const auto t = mtime(file);
  if (t < mtime(checkpoint) || t < mtime(run.path / "predictions.csv")) return std::nullopt;
  try {
    const CsvTable table = readCsvFile(file);
    const int clip = table.column("clip"), x = table.column("x"), y = table.column("y");
    if (clip < 0 || x < 0 || y < 0) return std::nullopt;
    std::vector<int> e;
    for (std::size_t k = 0;; ++k) {
      const int c = table.column("e" + std::to_string(k));
      if (c < 0) break;
      e.push_back(c);
    }
    std::map<std::string, const Prediction*> byPath;
    for (const Prediction& p : run.predictions) byPath[p.path] = &p;
    ClipMap map;
    map.labels = run.labels();
    map.method = method;
    map.checkpoint = checkpoint;
    map.synthetic = run.synthetic;
    map.fromCache = true;
    for (const CsvRecord& row : table.rows) {
      const auto it = byPath.find(row[std::size_t(clip)]);
      if (it == byPath.end()) return std::nullopt;
      MapPoint p = pointOf(*it->second);
      p.x = std::stod(row[std::size_t(x)]);
      p.y = std::stod(row[std::size_t(y)]);
      for (int c : e) p.embedding.push_back(std::stof(row[std::size_t(c)]));
      map.points.push_back(std::move(p));
    }
    return map;
  } catch (const std::exception&) {
    return std::nullopt;  // unreadable: recomputed
  }
}

ClipMap clipMapForRun(const RunRecord& run, const EmbedOptions& options) {
  if (auto cached = loadCachedClipMap(run, options.method, options.checkpoint)) return *cached;
  // The other method's cache still holds the embeddings: only the projection is recomputed.
  const ProjectionMethod other =
      options.method == ProjectionMethod::Pca ? ProjectionMethod::Tsne : ProjectionMethod::Pca;
  ClipMap map;
  if (auto cached = loadCachedClipMap(run, other, options.checkpoint);
      cached && !cached->points.empty() && !cached->points.front().embedding.empty()) {
    map = std::move(*cached);
    map.fromCache = false;
    projectClipMap(map, options.method, options.tsne, options.progress, options.cancel);
  } else {
    map = embedRunClips(run, options);
  }
  try {
    writeFileAtomic(clipMapCacheFile(run.path, options.method), clipMapCsv(map, true));
  } catch (const Error&) {
    // A read-only run folder: the map is recomputed next time.
  }
  return map;
}

}  // namespace ser
