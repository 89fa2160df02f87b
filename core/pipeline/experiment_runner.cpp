#include "core/pipeline/experiment_runner.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "core/audio/front_end.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/json_text.h"
#include "core/base/text.h"
#include "core/corpus/corpus_summary.h"
#include "core/features/preprocessor.h"
#include "core/pipeline/encoder_features.h"
#include "core/metrics/metrics_report.h"
#include "core/metrics/predictions_csv.h"
#include "core/runs/run_record.h"
#include "core/pipeline/output_folder.h"
#include "core/svm/svm_classifier.h"
#include "core/train/checkpoint.h"
#include "core/train/distributed.h"
#include "core/train/predictor.h"
#include "core/train/trainer.h"

namespace ser {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSvmModelFile = "model.svm";

// Appends log lines to train.log as they come (one write and flush per line, so a killed run
// leaves what happened so far), and forwards them to the listener.
class RunLog {
 public:
  RunLog(RunListener* listener, const fs::path& file)
      : listener_(listener), out_(file, std::ios::app) {}
  void operator()(const std::string& line) {
    append(line);
    if (listener_) listener_->onLog(line);
  }
  void stage(const std::string& s) {
    append("== " + s);
    if (listener_) listener_->onStage(s);
  }

 private:
  void append(const std::string& line) {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    out_ << std::put_time(&local, "%Y-%m-%d %H:%M:%S") << "  " << line << '\n';
    out_.flush();
  }
  RunListener* listener_;
  std::ofstream out_;  // a log that cannot be written does not stop the run
};

// Forwards the trainer's notes to the run log, and everything to the caller's observer.
class ObserverTee : public TrainingObserver {
 public:
  ObserverTee(TrainingObserver* next, RunLog& log) : next_(next), log_(log) {}
  void onBatch(int e, int b, int n, double loss) override {
    if (next_) next_->onBatch(e, b, n, loss);
  }
  void onEpoch(const EpochStats& s) override {
    std::ostringstream os;
    os << std::fixed << std::setprecision(4) << "epoch " << s.epoch << ": train loss "
       << s.train_loss << " acc " << s.train_acc << " | val loss " << s.val_loss << " WA "
       << s.val_acc << " UAR " << s.val_uar << " | lr " << s.lr << " | " << std::setprecision(1)
       << s.seconds << " s";
    log_(os.str());
    if (next_) next_->onEpoch(s);
  }
  void onCheckpoint(const std::string& path, int epoch, bool best) override {
    if (next_) next_->onCheckpoint(path, epoch, best);
  }
  // Trainer notes go to train.log and reach the caller through RunListener::onLog.
  void onLog(const std::string& m) override { log_(m); }

 private:
  TrainingObserver* next_;
  RunLog& log_;
};

bool inList(const std::vector<std::string>& list, const std::string& s) {
  return list.empty() || std::find(list.begin(), list.end(), s) != list.end();
}

std::vector<Clip> select(const std::vector<Clip>& clips, const std::vector<std::size_t>& idx) {
  std::vector<Clip> out;
  out.reserve(idx.size());
  for (std::size_t i : idx) out.push_back(clips[i]);
  return out;
}

// Features of `clips` (through the cache), with failures logged and left out.
struct Extracted {
  std::vector<CachedFeatures> features;  // one per clip; empty logMel when it failed
  std::size_t failed = 0;
  bool cancelled = false;
  int encoderLayers = 0;                 // > 0: the features are this many encoder layers
};

Extracted extract(const std::vector<Clip>& clips, const FrontEndParams& params,
                  const std::string& cacheDir, ProgressReporter* progress,
                  const CancelFlag* cancel, RunLog& log) {
  PreprocessOptions po;
  po.params = params;
  po.keepInMemory = true;
  const std::string dir = cacheDir.empty() ? defaultFeatureCacheDir() : cacheDir;
  // A cache that cannot be used (full disk, read-only folder) costs time, never clips.
  std::unique_ptr<FeatureCache> cache;
  try {
    cache = std::make_unique<FeatureCache>(dir, params);
  } catch (const Error& e) {
    log(std::string("warning: ") + e.what() + "; features are computed in memory only");
  }
  PreprocessResult r = preprocess(clips, po, cache.get(), progress, cancel);
  std::ostringstream os;
  os << clips.size() << " clips: " << r.computed << " computed, " << r.cached << " from cache ("
     << (cache ? dir : std::string("no cache")) << "), " << r.failures.size() << " failed, "
     << std::fixed << std::setprecision(1) << r.seconds << " s";
  log(os.str());
  if (r.cacheWriteFailures > 0) log("warning: " + cacheWriteWarning(r, dir));
  for (const auto& f : r.failures) log("left out: " + f.reason);
  return Extracted{std::move(r.features), r.failures.size(), r.cancelled};
}

// The encoder's identity as checkpoints, config.json and evaluations record it.
nlohmann::json encoderJson(const SpeechEncoderInfo& info) {
  return {{"file", info.file},           {"file_name", info.fileName}, {"hash", info.hash},
          {"arch", info.arch},           {"num_layers", info.numLayers},
          {"hidden_dim", info.hiddenDim}};
}

// Opens the encoder of a model-encoder run or checkpoint. `expectedHash` non-empty: the file
// must be the one the model was trained on.
std::unique_ptr<SpeechEncoder> openEncoder(const std::string& path, const std::string& expectedHash,
                                           RunLog& log) {
  auto encoder = std::make_unique<SpeechEncoder>(path);
  const SpeechEncoderInfo& info = encoder->info();
  if (!expectedHash.empty() && info.hash != expectedHash)
    throw Error("encoder '" + path + "': its contents changed since the model was trained (hash " +
                info.hash + ", the checkpoint records " + expectedHash + ")");
  log("encoder '" + info.file + "': " + info.arch + ", " + std::to_string(info.numLayers) +
      " layers x " + std::to_string(info.hiddenDim) + ", hash " + info.hash + " (frozen)");
  return encoder;
}

// Hidden states of `clips` (through the encoder cache), with failures logged and left out.
Extracted extractEncoded(const std::vector<Clip>& clips, const AudioFrontEndParams& audio,
                         SpeechEncoder& encoder, const std::string& cacheDir,
                         ProgressReporter* progress, const CancelFlag* cancel, RunLog& log) {
  const std::string root = cacheDir.empty() ? defaultFeatureCacheDir() : cacheDir;
  EncoderFeatures r = extractEncoderFeatures(clips, audio, encoder, root, progress, cancel);
  std::ostringstream os;
  os << clips.size() << " clips through the encoder: " << r.computed << " computed, " << r.cached
     << " from cache (" << encoderCacheDir(root, encoder.info()) << "), " << r.failures.size()
     << " failed, " << std::fixed << std::setprecision(1) << r.seconds << " s";
  log(os.str());
  if (!r.cacheWarning.empty()) log("warning: encoder cache: " + r.cacheWarning);
  for (const auto& f : r.failures) log("left out: " + f.reason);
  return Extracted{std::move(r.features), r.failures.size(), r.cancelled, encoder.info().numLayers};
}

// The clips of one split part whose features could be computed, with their class indices.
struct Part {
  std::vector<const Clip*> clips;
  std::vector<int> labels;
  std::vector<const CachedFeatures*> features;
  int encoderLayers = 0;  // see Extracted

  std::vector<std::string> speakers() const {
    std::vector<std::string> out;
    for (const Clip* c : clips) out.push_back(c->speaker);
    return out;
  }
  TrainingSet trainingSet() const {
    TrainingSet set;
    for (const CachedFeatures* f : features) set.features.push_back(f->logMel);
    set.labels = labels;
    set.speakers = speakers();
    set.encoderLayers = encoderLayers;
    return set;
  }
};

// clips[idx[k]] has its features at ex.features[offset + k]; failed clips are left out.
Part collect(const std::vector<Clip>& clips, const std::vector<std::size_t>& idx,
             const std::vector<int>& labelOf, const Extracted& ex, std::size_t offset) {
  Part part;
  part.encoderLayers = ex.encoderLayers;
  for (std::size_t k = 0; k < idx.size(); ++k) {
    const CachedFeatures& f = ex.features[offset + k];
    if (f.logMel.empty()) continue;
    part.clips.push_back(&clips[idx[k]]);
    part.labels.push_back(labelOf[idx[k]]);
    part.features.push_back(&f);
  }
  return part;
}

// Utterance features, one row per clip. With per-speaker normalisation each speaker's rows are
// standardised by that speaker's own mean and deviation (no labels used), as the networks'
// log-mel features are: what is left is how a clip differs from its speaker's usual voice.
FeatureMatrix utteranceMatrix(const std::vector<const CachedFeatures*>& rows,
                              const std::vector<std::string>& speakers, Normalisation mode) {
  if (rows.empty()) return {};
  FeatureMatrix m(int(rows.size()), int(rows.front()->utterance.size()));
  for (std::size_t r = 0; r < rows.size(); ++r)
    std::copy(rows[r]->utterance.begin(), rows[r]->utterance.end(),
              m.data.begin() + static_cast<std::ptrdiff_t>(r * std::size_t(m.cols)));
  if (mode != Normalisation::PerSpeaker) return m;
  std::map<std::string, std::vector<std::size_t>> bySpeaker;
  for (std::size_t r = 0; r < rows.size(); ++r) bySpeaker[speakers[r]].push_back(r);
  for (const auto& [speaker, members] : bySpeaker) {
    for (int c = 0; c < m.cols; ++c) {
      double sum = 0, sq = 0;
      for (std::size_t r : members) sum += m.at(int(r), c);
      const double mean = sum / double(members.size());
      for (std::size_t r : members) sq += (m.at(int(r), c) - mean) * (m.at(int(r), c) - mean);
      const double sd = std::max(std::sqrt(sq / double(members.size())), 1e-6);
      for (std::size_t r : members) m.at(int(r), c) = float((m.at(int(r), c) - mean) / sd);
    }
  }
  return m;
}

// The SVM's vote for every row of `x`.
std::vector<int> svmDecisions(const SvmClassifier& svm, const FeatureMatrix& x) {
  std::vector<int> out;
  for (int r = 0; r < x.rows; ++r)
    out.push_back(svm.predict(std::vector<float>(x.data.begin() + std::ptrdiff_t(r) * x.cols,
                                                 x.data.begin() + std::ptrdiff_t(r + 1) * x.cols)));
  return out;
}

std::vector<std::string> corporaOf(const std::vector<const Clip*>& clips) {
  std::vector<std::string> out;
  for (const Clip* c : clips) out.push_back(c->corpus);
  return sortedUnique(std::move(out));
}
std::vector<std::string> speakersOf(const std::vector<const Clip*>& clips) {
  std::vector<std::string> out;
  for (const Clip* c : clips) out.push_back(c->speaker);
  return sortedUnique(std::move(out));
}

// What the model learned from, as stored in its checkpoint (networks) or config.json (SVM) and
// read back by evaluate: the basis of the leakage check.
nlohmann::json provenanceJson(const Part& train, const Part& validation) {
  return {{"train_speakers", speakersOf(train.clips)},
          {"validation_speakers", speakersOf(validation.clips)},
          {"train_corpora", corporaOf(train.clips)}};
}

// The split as a run used it (the parts' clips after preprocessing, failed clips left out) or
// planned it (config.json, before preprocessing): speakers and corpora of each part, and which
// test speakers training saw.
SplitProvenance provenanceOf(const Split& split, const std::vector<const Clip*>& train,
                             const std::vector<const Clip*>& validation,
                             const std::vector<const Clip*>& test) {
  SplitProvenance p;
  p.protocol = split.protocol;
  p.warnings = split.warnings;
  p.trainSpeakers = speakersOf(train);
  p.validationSpeakers = speakersOf(validation);
  p.testSpeakers = speakersOf(test);
  p.trainCorpora = corporaOf(train);
  p.testCorpora = corporaOf(test);
  p.trainClips = train.size();
  p.validationClips = validation.size();
  p.testClips = test.size();
  p.settle();
  return p;
}

SplitProvenance plannedProvenance(const Split& split, const std::vector<Clip>& clips) {
  auto pick = [&](const std::vector<std::size_t>& idx) {
    std::vector<const Clip*> out;
    for (std::size_t i : idx) out.push_back(&clips[i]);
    return out;
  };
  return provenanceOf(split, pick(split.train), pick(split.validation), pick(split.test));
}

// `decided`: the model's own decisions where they are not the most probable class (the SVM
// decides by one-vs-one votes; its probabilities come from a separate Platt calibration);
// empty = argmax of the probabilities.
std::vector<Prediction> makePredictions(const Part& part,
                                        const std::vector<std::vector<float>>& probs,
                                        const std::vector<int>& decided = {}) {
  std::vector<Prediction> out;
  for (std::size_t i = 0; i < part.clips.size(); ++i) {
    const Clip& clip = *part.clips[i];
    Prediction p;
    p.path = clip.path;
    p.corpus = clip.corpus;
    p.speaker = clip.speaker;
    p.sex = clip.sex;
    p.truth = part.labels[i];
    p.probabilities = probs[i];
    p.predicted = decided.empty()
                      ? int(std::max_element(probs[i].begin(), probs[i].end()) - probs[i].begin())
                      : decided[i];
    out.push_back(std::move(p));
  }
  return out;
}

// Computes the metrics of `predictions`, writes the record's files and returns it.
RunRecord& finishRecord(RunRecord& record, const fs::path& dir,
                              std::vector<Prediction> predictions, const std::vector<std::string>& labels) {
  record.path = dir;
  record.metrics = computeReport(predictions, labels);
  record.predictions = std::move(predictions);
  writeRunRecord(dir, record);
  return record;
}

std::string percent(double x) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(1) << 100.0 * x << "%";
  return os.str();
}

// Leaves of `j` by key path ("training.epochs"); arrays are compared whole.
void flatten(const nlohmann::json& j, const std::string& prefix,
             std::map<std::string, nlohmann::json>& out) {
  if (!j.is_object() || (j.empty() && !prefix.empty())) {
    out[prefix] = j;
    return;
  }
  for (const auto& item : j.items())
    flatten(item.value(), prefix.empty() ? item.key() : prefix + "." + item.key(), out);
}

std::string shown(const nlohmann::json& v) {
  return quoteForMessage(v.is_null() ? std::string("(absent)")
                                     : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                         60);
}

// Refuses to resume the run in `dir` with an experiment that differs from the one its last.ckpt
// was trained under, naming the differing keys. Returns notes for the log on allowed changes.
std::vector<std::string> checkResumable(const Experiment& e, const fs::path& dir) {
  const fs::path last = dir / "last.ckpt";
  if (e.model == ExperimentModel::Svm)
    throw Error("--resume: SVM runs have no checkpoint to continue from; run again without it");
  if (!fs::is_regular_file(last))
    throw Error("--resume: nothing to resume in '" + dir.string() +
                "' (no last.ckpt); run without --resume");
  const CheckpointFile file(last);
  const nlohmann::json& meta = file.meta();
  const char* key = meta.contains("run") ? "run" : "experiment";  // "experiment": older checkpoints
  if (!meta.contains(key) || !meta[key].is_object() || !meta[key].contains("experiment"))
    throw Error("checkpoint '" + last.string() + "': no experiment recorded; cannot check that "
                "--resume continues the same experiment");
  std::map<std::string, nlohmann::json> before, now;
  flatten(meta[key]["experiment"], "", before);
  flatten(toJson(e), "", now);
  const auto& allowed = resumeMayChange();
  std::vector<std::string> diffs, notes;
  for (const auto* side : {&before, &now})
    for (const auto& [key, value] : *side) {
      if (side == &now && before.count(key)) continue;  // compared from the `before` side
      const nlohmann::json a = before.count(key) ? before.at(key) : nlohmann::json();
      const nlohmann::json b = now.count(key) ? now.at(key) : nlohmann::json();
      if (a == b) continue;
      const std::string change = key + " (" + shown(a) + " -> " + shown(b) + ")";
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        diffs.push_back(change);
      else
        notes.push_back("resume changes " + change);
    }
  if (e.training.scheduler == SchedulerKind::Cosine && before.count("training.epochs") &&
      before.at("training.epochs") != now.at("training.epochs"))
    notes.push_back("the cosine schedule is stretched to the new number of epochs from here on: "
                    "the result differs from a run trained for that many epochs from the start");
  if (diffs.empty()) return notes;
  std::string list;
  for (const auto& d : diffs) list += (list.empty() ? "" : ", ") + d;
  std::string may;
  for (const auto& k : allowed) may += (may.empty() ? "" : ", ") + k;
  throw Error("cannot resume the run in '" + dir.string() + "': the experiment differs in " + list +
              ". --resume may change only " + may +
              "; use another --out (or --overwrite) for a new experiment");
}

// On resume: the split and labels must resolve as the run's config.json recorded them (the same
// experiment on changed data would otherwise move speakers between training and test).
void checkSameResolution(const fs::path& dir, const nlohmann::json& resolved) {
  const fs::path file = dir / "config.json";
  nlohmann::json stored;
  try {
    stored = nlohmann::json::parse(readFile(file)).at("resolved");
  } catch (const std::exception&) {
    return;  // no usable record to compare with; the checkpoint's experiment was checked
  }
  std::vector<std::string> diffs;
  if (stored.value("labels", nlohmann::json()) != resolved.at("labels")) diffs.push_back("labels");
  for (const char* key : {"protocol", "train_speakers", "validation_speakers", "test_speakers",
                          "train_clips", "validation_clips", "test_clips"})
    if (stored.value("split", nlohmann::json::object()).value(key, nlohmann::json()) !=
        resolved.at("split").at(key))
      diffs.push_back(std::string("split.") + key);
  if (diffs.empty()) return;
  std::string list;
  for (const auto& d : diffs) list += (list.empty() ? "" : ", ") + d;
  throw Error("cannot resume the run in '" + dir.string() + "': the corpora now resolve to another " +
              list + " than its config.json records (were files added or removed?)");
}

}  // namespace

const std::vector<std::string>& resumeMayChange() {
  static const std::vector<std::string> keys = {
      "name", "cache", "training.epochs", "training.patience", "training.threads",
      "training.device", "training.eval_batch_size",
      // How the steps run, not what they compute (up to rounding): a run moved between a GPU and
      // a CPU changes them with the device (the CPU trains in fp32 only).
      "training.data_placement", "training.precision", "training.channels_last"};
  return keys;
}

RunOutcome runExperiment(const Experiment& given, const RunOptions& options) {
  Experiment e = given;
  e.training.seed = e.seed;
  e.split.seed = e.seed;
  e.svm.seed = e.seed;
  e.training.model = networkKind(e.model);
  e.frontEnd.logMel.stft.sampleRate = e.frontEnd.audio.sampleRate;
  e.validate();
  OutputFolderPolicy policy;
  policy.resume = options.resume;
  policy.overwrite = options.overwrite;
  OutputFolder folder(options.outDir, policy, "run");
  const std::vector<std::string> resumeNotes =
      options.resume ? checkResumable(e, folder.dir()) : std::vector<std::string>();
  const fs::path dir = folder.workDir();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create run folder '" + dir.string() + "': " + ec.message());

  RunLog log(options.listener, dir / "train.log");
  RunOutcome outcome;
  outcome.dir = folder.dir().string();
  // A cancelled run is resumable when a last.ckpt is there to continue from. When overwriting,
  // a resumable new run replaces the old one; otherwise the old one stays as it was.
  auto cancelled = [&](const std::string& note) {
    outcome.cancelled = true;
    outcome.resumable = e.model != ExperimentModel::Svm && fs::is_regular_file(dir / "last.ckpt");
    log(note + (outcome.resumable ? "; continue with --resume" : ""));
    if (outcome.resumable) folder.commit();
    return outcome;
  };
  try {
    if (options.resume) log("resuming the run in '" + folder.dir().string() + "'");
    for (const auto& note : resumeNotes) log("note: " + note);
    if (folder.replacing()) log("replacing the run in '" + folder.dir().string() + "'");
    for (const auto& name : folder.removed())
      log("removed '" + name + "', left by a killed write");
    log.stage("scan");
    const Corpus corpus = loadCorpora(e.corpora, e.labelPolicy, options.progress, options.cancel);
    if (isCancelled(options.cancel)) throw Cancelled("cancelled while scanning");
    const CorpusSummary summary = summarise(corpus);
    log(std::to_string(summary.clips) + " clips, " + std::to_string(summary.speakerIds.size()) +
        " speakers, " + std::to_string(corpus.skipped.size()) + " files skipped" +
        (corpus.synthetic ? " [SYNTHETIC demo data]" : ""));
    for (const auto& s : corpus.skipped) log("skipped: " + s.path + ": " + s.reason);
    for (const auto& w : corpus.warnings) log("warning: " + w);

    const std::vector<std::string> labels = labelsFor(corpus.clips, e.labels);
    if (labels.size() < 2)
      throw Error("the corpora give fewer than two classes under the '" + toString(e.labels) +
                  "' label set");
    const std::vector<int> labelOf = labelIndices(corpus.clips, labels, labelField(e.labels));
    const Split split = experimentSplit(e, corpus.clips);  // core's rules, as the wizard checks them
    for (const auto& w : split.warnings) log("split: " + w);
    log("split " + split.protocol + ": " + std::to_string(split.train.size()) + " train, " +
        std::to_string(split.validation.size()) + " validation, " +
        std::to_string(split.test.size()) + " test clips; labels: " +
        dumpJson(labels));

    nlohmann::json config = toJson(e);
    config["synthetic"] = corpus.synthetic;
    config["resolved"] = {{"labels", labels},
                          {"split", toJson(plannedProvenance(split, corpus.clips))},
                          {"synthetic", corpus.synthetic},
                          {"skipped_files", corpus.skipped.size()}};
    if (options.resume) checkSameResolution(dir, config["resolved"]);
    writeFileAtomic(dir / "config.json", dumpJson(config, 2) + "\n");
    writeFileAtomic(dir / "experiment.json", dumpJson(toJson(e), 2) + "\n");  // for --experiment

    // Features for every clip the run uses, in one pass through the cache.
    log.stage("preprocess");
    std::vector<std::size_t> used;
    used.insert(used.end(), split.train.begin(), split.train.end());
    used.insert(used.end(), split.validation.begin(), split.validation.end());
    used.insert(used.end(), split.test.begin(), split.test.end());
    std::unique_ptr<SpeechEncoder> encoder;
    if (e.model == ExperimentModel::Encoder) {
      encoder = openEncoder(e.training.encoder, "", log);
      config["resolved"]["encoder"] = encoderJson(encoder->info());
      writeFileAtomic(dir / "config.json", dumpJson(config, 2) + "\n");
    }
    Extracted ex = encoder ? extractEncoded(select(corpus.clips, used), e.frontEnd.audio, *encoder,
                                            e.cache, options.progress, options.cancel, log)
                           : extract(select(corpus.clips, used), e.frontEnd, e.cache,
                                     options.progress, options.cancel, log);
    if (ex.cancelled) return cancelled("cancelled during preprocessing");
    // `used` lists train, validation and test clips in that order.
    const Part trainPart = collect(corpus.clips, split.train, labelOf, ex, 0);
    const Part valPart = collect(corpus.clips, split.validation, labelOf, ex, split.train.size());
    const Part testPart = collect(corpus.clips, split.test, labelOf, ex,
                                  split.train.size() + split.validation.size());

    RunRecord record;
    record.model = toString(e.model);
    record.experimentName = e.name;
    record.seed = e.seed;
    record.synthetic = corpus.synthetic;
    record.config = config;
    record.split = provenanceOf(split, trainPart.clips, valPart.clips, testPart.clips);
    const nlohmann::json provenance = provenanceJson(trainPart, valPart);
    record.failedClips = ex.failed;
    if (encoder) {
      record.training.encoderFile = encoder->info().fileName;
      record.training.encoderHash = encoder->info().hash;
    }
    std::vector<std::vector<float>> probs;
    std::vector<int> decided;  // SVM votes (see makePredictions)
    log.stage("train");
    if (e.model == ExperimentModel::Svm) {
      const Normalisation norm = e.training.normalisation;
      const auto start = std::chrono::steady_clock::now();
      SvmClassifier svm;
      const SvmFitReport fit = svm.fit(
          utteranceMatrix(trainPart.features, trainPart.speakers(), norm), trainPart.labels,
          utteranceMatrix(valPart.features, valPart.speakers(), norm), valPart.labels,
                                       int(labels.size()), e.svm, nullptr, options.cancel);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (fit.cancelled) return cancelled("cancelled during SVM fitting");
      std::ostringstream os;
      os << "SVM: C = " << fit.c << ", gamma = " << fit.gamma << ", validation UAR "
         << percent(fit.validationUar) << ", " << fit.supportVectors << " support vectors";
      log(os.str());
      svm.save(dir / kSvmModelFile);
      config["resolved"]["provenance"] = provenance;  // what evaluate reads beside model.svm
      writeFileAtomic(dir / "config.json", dumpJson(config, 2) + "\n");
      outcome.checkpoint = (folder.dir() / kSvmModelFile).string();
      if (isCancelled(options.cancel))
        return cancelled("cancelled before the final evaluation: model.svm is kept");
      const FeatureMatrix testX = utteranceMatrix(testPart.features, testPart.speakers(), norm);
      probs = svm.predictProbabilities(testX);
      decided = svmDecisions(svm, testX);
      record.config = config;
      record.training.device = "cpu (libsvm)";
      record.training.trainSeconds = seconds;
      record.training.samplesPerSecond = seconds > 0 ? double(trainPart.clips.size()) / seconds : 0.0;
      record.training.svmC = fit.c;
      record.training.svmGamma = fit.gamma;
      record.training.svmValidationUar = fit.validationUar;
    } else {
      const TrainingSet train = trainPart.trainingSet();
      const TrainingSet val = valPart.trainingSet();
      if (val.size() == 0)
        throw Error("the split has no validation clips: networks select their best epoch on "
                    "validation speakers");
      Trainer trainer(e.training);
      ObserverTee tee(options.observer, log);
      trainer.setObserver(&tee);
      trainer.setCancelFlag(options.cancel);
      trainer.setDistributed(options.distributed);
      nlohmann::json meta = {{"experiment", toJson(e)},
                             {"labels", labels},
                             {"front_end", toJson(e.frontEnd)},
                             {"provenance", provenance}};
      if (encoder) meta["encoder"] = encoderJson(encoder->info());
      const TrainResult result = trainer.train(train, val, int(labels.size()), dir, meta, options.resume);
      if (options.distributed && !options.distributed->primary()) return outcome;  // rank 0 reports
      record.curves = result.history;
      writeFileAtomic(dir / "curves.csv", curvesCsv(result.history));
      outcome.checkpoint = (folder.dir() / result.best_checkpoint.filename()).string();
      log("stopped: " + toString(result.stop) + " after " + std::to_string(result.epochs_completed) +
          " epochs; best epoch " + std::to_string(result.best_epoch) + " (validation UAR " +
          percent(result.best_val_uar) + ")");
      if (result.stop == StopReason::Cancelled)
        return cancelled("cancelled: the best checkpoint so far is kept");
      log.stage("evaluate");
      const TrainedModel trained = loadTrainedModel(result.best_checkpoint, e.training.device,
                                                    e.training.threads);
      const TrainingSet test = testPart.trainingSet();
      try {
        probs = predictProbabilities(trained, test.features, test.speakers,
                                     e.training.eval_batch_size, options.cancel);
      } catch (const Cancelled&) {
        return cancelled("cancelled during the final evaluation: training is complete");
      }
      record.training.device =
          result.device + (result.ranks > 1 ? " x " + std::to_string(result.ranks) + " ranks" : "");
      if (result.ranks > 1)
        log("data-parallel: " + std::to_string(result.ranks) + " ranks, gradient all-reduce " +
            std::to_string(result.allreduce_ms_per_step) + " ms per step on rank 0");
      record.training.precision = result.precision;
      record.training.trainSeconds = result.train_seconds;
      record.training.samplesPerSecond = result.train_samples_per_second;
      record.training.bestEpoch = result.best_epoch;
      record.training.epochs = result.epochs_completed;
      record.training.parameters = result.parameters;
      record.training.stop = toString(result.stop);
    }
    const RunRecord& done = finishRecord(record, dir, makePredictions(testPart, probs, decided), labels);
    log("test: WA " + percent(done.metrics.overall.wa) + ", UAR " + percent(done.metrics.overall.uar) +
        " on " + std::to_string(done.predictions.size()) + " clips");
    outcome.record = done;
    outcome.record->path = folder.dir();  // where it is once committed
    if (!done.split.speakerIndependent())
      log("WARNING: " + std::to_string(done.split.testSpeakersSeen.size()) +
          " test speakers were also in training or validation; these figures are optimistic");
    folder.commit();
    return outcome;
  } catch (const Cancelled& err) {
    log(err.what());
    throw;
  } catch (const Error& err) {
    log(std::string("error: ") + err.what());
    throw;
  }
}

namespace {

// What evaluation and prediction need from a trained model of either family.
struct LoadedModel {
  std::vector<std::string> labels;
  FrontEndParams frontEnd;
  bool svm = false;
  SvmClassifier svmModel;
  std::unique_ptr<TrainedModel> network;
  nlohmann::json experiment;
  nlohmann::json provenance;  // what the model was trained on; null for older models
  std::string note;  // the checkpoint's integrity note (see CheckpointFile::integrityNote)
  nlohmann::json encoder;  // model encoder: encoderJson() of the encoder it was trained on; else null
};

LoadedModel loadModel(const std::string& path, DeviceChoice device = DeviceChoice::Auto) {
  LoadedModel m;
  if (fs::path(path).extension() == ".svm") {
    m.svm = true;
    m.svmModel = SvmClassifier::load(path);
    const fs::path config = fs::path(path).parent_path() / "config.json";
    nlohmann::json c;
    try {
      c = parseJson(readFile(config));
    } catch (const nlohmann::json::exception& e) {
      throw Error("'" + config.string() + "': not valid JSON (" + e.what() + ")");
    }
    if (!c.contains("resolved") || !c["resolved"].contains("labels"))
      throw Error("'" + config.string() + "': no resolved label list (not a serwb run folder?)");
    m.labels = c["resolved"]["labels"].get<std::vector<std::string>>();
    m.frontEnd = frontEndParamsFromJson(c.at("front_end"));
    m.provenance = c["resolved"].value("provenance", nlohmann::json());
    c.erase("resolved");
    m.experiment = c;
  } else {
    m.network = std::make_unique<TrainedModel>(loadTrainedModel(path, device));
    m.note = m.network->integrityNote;
    const nlohmann::json& meta = m.network->meta;
    // The runner's metadata sits under "run"; checkpoints written before it was named so hold
    // it under "experiment".
    const char* key = meta.contains("run") ? "run" : "experiment";
    if (!meta.contains(key) || !meta[key].contains("labels"))
      throw Error("'" + path + "': checkpoint has no label list (not written by serwb train?)");
    m.labels = meta[key]["labels"].get<std::vector<std::string>>();
    m.frontEnd = frontEndParamsFromJson(meta[key].at("front_end"));
    m.experiment = meta[key].value("experiment", nlohmann::json::object());
    m.provenance = meta[key].value("provenance", nlohmann::json());
    m.encoder = meta[key].value("encoder", nlohmann::json());
    if (m.network->model->kind() == ModelKind::EncoderHead && !m.encoder.is_object())
      throw Error("'" + path + "': checkpoint of model encoder records no encoder file");
  }
  return m;
}

// Class probabilities and, for the SVM, its own decisions (see makePredictions).
struct Scores {
  std::vector<std::vector<float>> probabilities;
  std::vector<int> decided;  // empty for networks
};

Scores predictWith(const LoadedModel& m, const std::vector<const CachedFeatures*>& feats,
                   const std::vector<std::string>& speakers, const CancelFlag* cancel = nullptr) {
  Scores out;
  if (isCancelled(cancel)) throw Cancelled("cancelled during the evaluation");
  if (m.svm) {
    const Normalisation norm =
        m.experiment.contains("training")
            ? normalisationFromString(
                  m.experiment["training"].value("normalisation", std::string("per_speaker")))
            : Normalisation::PerSpeaker;
    const FeatureMatrix x = utteranceMatrix(feats, speakers, norm);
    out.probabilities = m.svmModel.predictProbabilities(x);
    out.decided = svmDecisions(m.svmModel, x);
    return out;
  }
  std::vector<FeatureMatrix> x;
  for (const auto* f : feats) x.push_back(f->logMel);
  out.probabilities = predictProbabilities(*m.network, x, speakers, 64, cancel);
  return out;
}

}  // namespace

RunOutcome evaluateCheckpoint(const EvaluateOptions& options) {
  if (options.outDir.empty()) throw Error("no output folder given for the evaluation");
  OutputFolderPolicy policy;
  policy.overwrite = options.overwrite;
  OutputFolder folder(options.outDir, policy, "evaluation");
  if (folder.replacing()) {
    // The old folder is removed after the swap: it must not hold the model being evaluated.
    std::error_code rel;
    const fs::path inside =
        fs::weakly_canonical(options.checkpoint, rel).lexically_relative(fs::weakly_canonical(folder.dir(), rel));
    if (!inside.empty() && *inside.begin() != "..")
      throw Error("--overwrite would delete '" + options.checkpoint +
                  "', the model being evaluated: choose another --out");
  }
  const fs::path dir = folder.workDir();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create folder '" + dir.string() + "': " + ec.message());
  RunLog log(options.listener, dir / "evaluate.log");
  RunOutcome outcome;
  outcome.dir = folder.dir().string();
  outcome.checkpoint = options.checkpoint;
  for (const auto& name : folder.removed()) log("removed '" + name + "', left by a killed write");

  const LoadedModel model = loadModel(options.checkpoint, options.device);
  if (!model.note.empty()) log("note: " + model.note);
  const LabelSetKind kind =
      labelSetKindFromString(model.experiment.value("labels", std::string("native")));
  const CommonLabelPolicy labelPolicy =
      commonLabelPolicyFromString(model.experiment.value("label_policy", std::string("drop")));
  log.stage("scan");
  const Corpus corpus = loadCorpora(options.corpora, labelPolicy, options.progress, options.cancel);
  if (isCancelled(options.cancel)) throw Cancelled("cancelled while scanning");
  for (const auto& s : corpus.skipped) log("skipped: " + s.path + ": " + s.reason);
  const std::vector<int> labelOf = labelIndices(corpus.clips, model.labels, labelField(kind));
  std::vector<Clip> clips;
  std::vector<int> truth;
  std::size_t outside = 0;
  for (std::size_t i = 0; i < corpus.clips.size(); ++i) {
    if (!inList(options.speakers, corpus.clips[i].speaker)) continue;
    if (labelOf[i] < 0) {
      ++outside;
      continue;
    }
    clips.push_back(corpus.clips[i]);
    truth.push_back(labelOf[i]);
  }
  if (!options.speakers.empty()) {
    std::set<std::string> found;
    for (const auto& c : clips) found.insert(c.speaker);
    for (const auto& s : options.speakers)
      if (!found.count(s)) log("warning: speaker '" + s + "' has no clips with a model label");
  }
  log(std::to_string(clips.size()) + " clips to evaluate; " + std::to_string(outside) +
      " left out (label not in the model's set " + dumpJson(model.labels) + ")");
  if (clips.empty()) throw Error("no clips to evaluate with the model's labels");

  log.stage("preprocess");
  std::unique_ptr<SpeechEncoder> encoder;
  if (model.encoder.is_object())
    encoder = openEncoder(model.encoder.value("file", std::string()),
                          model.encoder.value("hash", std::string()), log);
  Extracted ex = encoder ? extractEncoded(clips, model.frontEnd.audio, *encoder, options.cache,
                                          options.progress, options.cancel, log)
                         : extract(clips, model.frontEnd, options.cache, options.progress,
                                   options.cancel, log);
  if (ex.cancelled) {
    log("cancelled during preprocessing");
    outcome.cancelled = true;
    return outcome;
  }
  std::vector<std::size_t> all(clips.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const Part part = collect(clips, all, truth, ex, 0);
  log.stage("evaluate");
  Scores scores;
  try {
    scores = predictWith(model, part.features, part.speakers(), options.cancel);
  } catch (const Cancelled&) {
    log("cancelled during the evaluation");
    outcome.cancelled = true;
    return outcome;
  }
  auto predictions = makePredictions(part, scores.probabilities, scores.decided);
  nlohmann::json corpora = nlohmann::json::array();
  for (const auto& c : options.corpora) corpora.push_back(toJson(c));
  const std::string recorded =
      options.recordedCheckpoint.empty() ? options.checkpoint : options.recordedCheckpoint;
  const nlohmann::json config = {{"evaluate", {{"checkpoint", recorded},
                                               {"corpora", corpora},
                                               {"speakers", options.speakers}}},
                                 {"experiment", model.experiment},
                                 {"labels", model.labels},
                                 {"synthetic", corpus.synthetic}};
  writeFileAtomic(dir / "config.json", dumpJson(config, 2) + "\n");

  RunRecord record;
  record.model = model.experiment.value("model", std::string("?"));
  record.experimentName = model.experiment.value("name", std::string());
  record.seed = model.experiment.value("seed", std::uint64_t(0));
  record.synthetic = corpus.synthetic;
  record.config = config;
  record.training.device = model.svm ? "cpu (libsvm)" : model.network->device.description;
  record.evaluation = EvaluationFacts{recorded, outside};
  record.failedClips = ex.failed;
  if (encoder) {
    record.training.encoderFile = encoder->info().fileName;
    record.training.encoderHash = encoder->info().hash;
  }
  // Provenance: which speakers trained the model decides whether this evaluation leaks.
  SplitProvenance& sp = record.split;
  sp.protocol = "evaluation";
  sp.testSpeakers = speakersOf(part.clips);
  sp.testCorpora = corporaOf(part.clips);
  sp.testClips = part.clips.size();
  if (model.provenance.is_object()) {
    auto list = [&](const char* key) {
      return model.provenance.value(key, std::vector<std::string>());
    };
    sp.trainSpeakers = list("train_speakers");
    sp.validationSpeakers = list("validation_speakers");
    sp.trainCorpora = list("train_corpora");
    sp.settle();
    if (!sp.testSpeakersSeen.empty())
      sp.warnings.push_back(std::to_string(sp.testSpeakersSeen.size()) + " of the " +
                            std::to_string(sp.testSpeakers.size()) +
                            " test speakers were in the model's training or validation data: "
                            "these figures are optimistic");
  } else {
    sp.known = false;
    sp.warnings.push_back("the model file does not record which speakers trained it (written by an "
                          "older serwb): speaker independence cannot be checked");
  }
  RunRecord& done = finishRecord(record, dir, std::move(predictions), model.labels);
  done.path = folder.dir();  // where it will be once committed
  outcome.record = done;
  log("test: WA " + percent(done.metrics.overall.wa) + ", UAR " + percent(done.metrics.overall.uar) +
      " on " + std::to_string(done.predictions.size()) + " clips");
  for (const auto& w : sp.warnings) log("warning: " + w);
  folder.commit();
  return outcome;
}

std::vector<ClipPrediction> predictFiles(const std::string& checkpoint, const std::vector<std::string>& files,
                                         std::vector<std::string>* labels, const PredictOptions& options) {
  const LoadedModel model = loadModel(checkpoint);
  if (labels) *labels = model.labels;
  const LogMel logMel(model.frontEnd.logMel);
  UtteranceFeatureParams up;
  up.logMel = model.frontEnd.logMel;
  up.nMfcc = model.frontEnd.nMfcc;
  const UtteranceFeatures utterance(up);
  std::unique_ptr<SpeechEncoder> encoder;
  AudioFrontEndParams audio = model.frontEnd.audio;
  if (model.encoder.is_object()) {
    RunLog quiet(nullptr, {});
    encoder = openEncoder(model.encoder.value("file", std::string()),
                          model.encoder.value("hash", std::string()), quiet);
    audio.sampleRate = SpeechEncoder::kSampleRate;
  }
  const Normalisation norm =
      model.experiment.contains("training")
          ? normalisationFromString(model.experiment["training"].value("normalisation", std::string("per_speaker")))
          : Normalisation::PerSpeaker;
  // A per-speaker SVM keeps no statistics of its training speakers, so a clip of a speaker it has
  // not seen cannot be normalised as in training: it needs that speaker's other clips.
  const bool svmNeedsTheSpeaker = model.svm && norm == Normalisation::PerSpeaker && !options.oneSpeaker;

  AudioFrontEnd frontEnd(audio);
  std::vector<ClipPrediction> out(files.size());
  std::vector<CachedFeatures> features;
  std::vector<std::size_t> rows;  // out[] index of each entry of features
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string& file = files[i];
    out[i].path = file;
    try {
      const std::vector<float> samples = frontEnd.load(file);
      CachedFeatures f = encoder ? CachedFeatures{hiddenStatesMatrix(encoder->hiddenStates(samples)), {}}
                                 : CachedFeatures{logMel.compute(samples), utterance.compute(samples)};
      checkFiniteFeatures(f, file);
      if (svmNeedsTheSpeaker)
        throw Error("'" + file + "': this SVM normalises features per speaker and keeps no statistics for a "
                    "speaker it has not seen; predict two or more clips of one speaker together (serwb predict "
                    "--one-speaker; GUI: Files are one speaker)");
      features.push_back(std::move(f));
      rows.push_back(i);
    } catch (const std::exception& e) {
      out[i].error = e.what();
    }
  }
  if (features.empty()) return out;
  // Speakers for the normalisation: one shared id when the files are one speaker (normalised
  // together, as evaluate normalises each test speaker); otherwise every file is a clip of an
  // unknown speaker, which a network normalises by its training set's statistics (the fallback
  // the checkpoint carries). Normalising a lone clip by its own statistics instead would erase
  // what tells emotions apart (level, spectral balance): on 240 RAVDESS test clips predicted one
  // by one, 12% right (chance) against 34% with the training statistics and 41% for evaluate.
  std::vector<const CachedFeatures*> pointers;
  for (const CachedFeatures& f : features) pointers.push_back(&f);
  const std::vector<std::string> speakers(features.size(), options.oneSpeaker ? "predict:one-speaker" : "");
  Scores scores;
  try {
    scores = predictWith(model, pointers, speakers);
  } catch (const std::exception& e) {
    for (std::size_t r : rows) out[r].error = e.what();
    return out;
  }
  for (std::size_t k = 0; k < rows.size(); ++k) {
    ClipPrediction& p = out[rows[k]];
    p.probabilities = scores.probabilities[k];
    bool finite = true;
    for (float v : p.probabilities) finite = finite && std::isfinite(v);
    if (!finite) {
      p.error = "'" + p.path + "': the model gave a probability that is not a number";
      p.probabilities.clear();
      continue;
    }
    p.label = model.labels[scores.decided.empty()
                               ? std::size_t(std::max_element(p.probabilities.begin(), p.probabilities.end()) -
                                             p.probabilities.begin())
                               : std::size_t(scores.decided[k])];
  }
  return out;
}

}  // namespace ser
