#include "core/pipeline/experiment_runner.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "core/audio/front_end.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/corpus/corpus_summary.h"
#include "core/features/preprocessor.h"
#include "core/metrics/metrics_report.h"
#include "core/metrics/predictions_csv.h"
#include "core/svm/svm_classifier.h"
#include "core/train/predictor.h"
#include "core/train/trainer.h"

namespace ser {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSvmModelFile = "model.svm";

// Collects log lines for train.log and forwards them to the listener.
class RunLog {
 public:
  RunLog(RunListener* listener, fs::path file) : listener_(listener), file_(std::move(file)) {}
  void operator()(const std::string& line) {
    append(line);
    if (listener_) listener_->onLog(line);
  }
  void stage(const std::string& s) {
    append("== " + s);
    if (listener_) listener_->onStage(s);
  }
  void flush() const { writeFileAtomic(file_, text_); }

 private:
  void append(const std::string& line) {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    std::ostringstream ts;
    ts << std::put_time(&local, "%Y-%m-%d %H:%M:%S");
    text_ += ts.str() + "  " + line + "\n";
  }
  RunListener* listener_;
  fs::path file_;
  std::string text_;
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
};

Extracted extract(const std::vector<Clip>& clips, const FrontEndParams& params,
                  const std::string& cacheDir, ProgressReporter* progress,
                  const CancelFlag* cancel, RunLog& log) {
  PreprocessOptions po;
  po.params = params;
  po.keepInMemory = true;
  const FeatureCache cache(cacheDir.empty() ? defaultFeatureCacheDir() : cacheDir, params);
  PreprocessResult r = preprocess(clips, po, &cache, progress, cancel);
  std::ostringstream os;
  os << clips.size() << " clips: " << r.computed << " computed, " << r.cached << " from cache ("
     << cache.dir() << "), " << r.failures.size() << " failed, " << std::fixed
     << std::setprecision(1) << r.seconds << " s";
  log(os.str());
  for (const auto& f : r.failures) log("left out (unreadable): " + f.reason);
  return Extracted{std::move(r.features), r.failures.size(), r.cancelled};
}

// The clips of one split part whose features could be computed, with their class indices.
struct Part {
  std::vector<const Clip*> clips;
  std::vector<int> labels;
  std::vector<const CachedFeatures*> features;

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
    return set;
  }
};

// clips[idx[k]] has its features at ex.features[offset + k]; failed clips are left out.
Part collect(const std::vector<Clip>& clips, const std::vector<std::size_t>& idx,
             const std::vector<int>& labelOf, const Extracted& ex, std::size_t offset) {
  Part part;
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

std::string curvesCsv(const std::vector<EpochStats>& history) {
  std::ostringstream os;
  os << "epoch,train_loss,train_acc,val_loss,val_acc,val_uar,lr,seconds\n";
  os << std::setprecision(9);
  for (const auto& s : history)
    os << s.epoch << ',' << s.train_loss << ',' << s.train_acc << ',' << s.val_loss << ','
       << s.val_acc << ',' << s.val_uar << ',' << s.lr << ',' << s.seconds << '\n';
  return os.str();
}

nlohmann::json splitJson(const Split& split, std::size_t nTrain, std::size_t nVal, std::size_t nTest) {
  return {{"protocol", split.protocol},
          {"speaker_independent", split.speakerIndependent},
          {"warnings", split.warnings},
          {"train_speakers", split.trainSpeakers},
          {"validation_speakers", split.validationSpeakers},
          {"test_speakers", split.testSpeakers},
          {"train_clips", nTrain},
          {"validation_clips", nVal},
          {"test_clips", nTest}};
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

// Writes metrics.json and predictions.csv; returns the metrics object.
nlohmann::json writeEvaluation(const fs::path& dir, const std::vector<Prediction>& predictions,
                               const std::vector<std::string>& labels, nlohmann::json extra) {
  const MetricsReport report = computeReport(predictions, labels);
  nlohmann::json metrics = toJson(report);
  for (auto& [k, v] : extra.items()) metrics[k] = v;
  writePredictionsCsv(dir / "predictions.csv", predictions, labels);
  writeFileAtomic(dir / "metrics.json", metrics.dump(2) + "\n");
  return metrics;
}

std::string percent(double x) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(1) << 100.0 * x << "%";
  return os.str();
}

}  // namespace

RunOutcome runExperiment(const Experiment& given, const RunOptions& options) {
  Experiment e = given;
  e.training.seed = e.seed;
  e.split.seed = e.seed;
  e.svm.seed = e.seed;
  e.training.model = e.model == ExperimentModel::ResNet18 ? ModelKind::ResNet18 : ModelKind::CompactCnn;
  e.frontEnd.logMel.stft.sampleRate = e.frontEnd.audio.sampleRate;
  e.validate();
  if (options.outDir.empty()) throw Error("no output folder given for the run");
  const fs::path dir(options.outDir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create run folder '" + dir.string() + "': " + ec.message());

  RunLog log(options.listener, dir / "train.log");
  RunOutcome outcome;
  outcome.dir = dir.string();
  try {
    log.stage("scan");
    const Corpus corpus = loadCorpora(e.corpora, e.labelPolicy, options.progress, options.cancel);
    if (isCancelled(options.cancel)) throw Error("cancelled while scanning");
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
        nlohmann::json(labels).dump());

    nlohmann::json config = toJson(e);
    config["synthetic"] = corpus.synthetic;
    config["resolved"] = {{"labels", labels},
                          {"split", splitJson(split, split.train.size(), split.validation.size(),
                                              split.test.size())},
                          {"synthetic", corpus.synthetic},
                          {"skipped_files", corpus.skipped.size()}};
    writeFileAtomic(dir / "config.json", config.dump(2) + "\n");
    writeFileAtomic(dir / "experiment.json", toJson(e).dump(2) + "\n");  // for --experiment

    // Features for every clip the run uses, in one pass through the cache.
    log.stage("preprocess");
    std::vector<std::size_t> used;
    used.insert(used.end(), split.train.begin(), split.train.end());
    used.insert(used.end(), split.validation.begin(), split.validation.end());
    used.insert(used.end(), split.test.begin(), split.test.end());
    Extracted ex = extract(select(corpus.clips, used), e.frontEnd, e.cache, options.progress,
                           options.cancel, log);
    if (ex.cancelled) {
      log("cancelled during preprocessing");
      log.flush();
      outcome.cancelled = true;
      return outcome;
    }
    // `used` lists train, validation and test clips in that order.
    const Part trainPart = collect(corpus.clips, split.train, labelOf, ex, 0);
    const Part valPart = collect(corpus.clips, split.validation, labelOf, ex, split.train.size());
    const Part testPart = collect(corpus.clips, split.test, labelOf, ex,
                                  split.train.size() + split.validation.size());

    nlohmann::json extra = {{"model", toString(e.model)},
                            {"split", config["resolved"]["split"]},
                            {"seed", e.seed},
                            {"synthetic", corpus.synthetic},
                            {"experiment", e.name}};
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
      if (fit.cancelled) {
        log("cancelled during SVM fitting");
        log.flush();
        outcome.cancelled = true;
        return outcome;
      }
      std::ostringstream os;
      os << "SVM: C = " << fit.c << ", gamma = " << fit.gamma << ", validation UAR "
         << percent(fit.validationUar) << ", " << fit.supportVectors << " support vectors";
      log(os.str());
      svm.save(dir / kSvmModelFile);
      outcome.checkpoint = (dir / kSvmModelFile).string();
      const FeatureMatrix testX = utteranceMatrix(testPart.features, testPart.speakers(), norm);
      probs = svm.predictProbabilities(testX);
      decided = svmDecisions(svm, testX);
      extra["device"] = "cpu (libsvm)";
      extra["train_seconds"] = seconds;
      extra["train_samples_per_second"] = seconds > 0 ? double(trainPart.clips.size()) / seconds : 0.0;
      extra["svm"] = {{"c", fit.c}, {"gamma", fit.gamma}, {"validation_uar", fit.validationUar}};
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
      const nlohmann::json meta = {{"experiment", toJson(e)},
                                   {"labels", labels},
                                   {"front_end", toJson(e.frontEnd)}};
      const TrainResult result = trainer.train(train, val, int(labels.size()), dir, meta, options.resume);
      writeFileAtomic(dir / "curves.csv", curvesCsv(result.history));
      outcome.checkpoint = result.best_checkpoint.string();
      log("stopped: " + toString(result.stop) + " after " + std::to_string(result.epochs_completed) +
          " epochs; best epoch " + std::to_string(result.best_epoch) + " (validation UAR " +
          percent(result.best_val_uar) + ")");
      if (result.stop == StopReason::Cancelled) {
        log("cancelled: the best checkpoint so far is kept; resume with --resume");
        log.flush();
        outcome.cancelled = true;
        return outcome;
      }
      log.stage("evaluate");
      const TrainedModel trained = loadTrainedModel(result.best_checkpoint, e.training.device,
                                                    e.training.threads);
      const TrainingSet test = testPart.trainingSet();
      probs = predictProbabilities(trained, test.features, test.speakers,
                                   e.training.eval_batch_size);
      extra["device"] = result.device;
      extra["train_seconds"] = result.train_seconds;
      extra["train_samples_per_second"] = result.train_samples_per_second;
      extra["best_epoch"] = result.best_epoch;
      extra["epochs"] = result.epochs_completed;
      extra["parameters"] = result.parameters;
      extra["stop"] = toString(result.stop);
    }
    const auto predictions = makePredictions(testPart, probs, decided);
    outcome.metrics = writeEvaluation(dir, predictions, labels, extra);
    log("test: WA " + percent(outcome.metrics["wa"].get<double>()) + ", UAR " +
        percent(outcome.metrics["uar"].get<double>()) + " on " + std::to_string(predictions.size()) +
        " clips");
    if (!split.speakerIndependent)
      log("WARNING: random split: the same speakers are in training and test; these figures are "
          "optimistic");
    log.flush();
    return outcome;
  } catch (const Error& err) {
    log(std::string("error: ") + err.what());
    log.flush();
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
};

LoadedModel loadModel(const std::string& path) {
  LoadedModel m;
  if (fs::path(path).extension() == ".svm") {
    m.svm = true;
    m.svmModel = SvmClassifier::load(path);
    const fs::path config = fs::path(path).parent_path() / "config.json";
    nlohmann::json c;
    try {
      c = nlohmann::json::parse(readFile(config));
    } catch (const nlohmann::json::exception& e) {
      throw Error("'" + config.string() + "': not valid JSON (" + e.what() + ")");
    }
    if (!c.contains("resolved") || !c["resolved"].contains("labels"))
      throw Error("'" + config.string() + "': no resolved label list (not a serwb run folder?)");
    m.labels = c["resolved"]["labels"].get<std::vector<std::string>>();
    m.frontEnd = frontEndParamsFromJson(c.at("front_end"));
    c.erase("resolved");
    m.experiment = c;
  } else {
    m.network = std::make_unique<TrainedModel>(loadTrainedModel(path));
    const nlohmann::json& meta = m.network->meta;
    if (!meta.contains("experiment") || !meta["experiment"].contains("labels"))
      throw Error("'" + path + "': checkpoint has no label list (not written by serwb train?)");
    m.labels = meta["experiment"]["labels"].get<std::vector<std::string>>();
    m.frontEnd = frontEndParamsFromJson(meta["experiment"].at("front_end"));
    m.experiment = meta["experiment"].value("experiment", nlohmann::json::object());
  }
  return m;
}

// Class probabilities and, for the SVM, its own decisions (see makePredictions).
struct Scores {
  std::vector<std::vector<float>> probabilities;
  std::vector<int> decided;  // empty for networks
};

Scores predictWith(const LoadedModel& m, const std::vector<const CachedFeatures*>& feats,
                   const std::vector<std::string>& speakers) {
  Scores out;
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
  out.probabilities = predictProbabilities(*m.network, x, speakers);
  return out;
}

}  // namespace

RunOutcome evaluateCheckpoint(const EvaluateOptions& options) {
  if (options.outDir.empty()) throw Error("no output folder given for the evaluation");
  const fs::path dir(options.outDir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create folder '" + dir.string() + "': " + ec.message());
  RunLog log(options.listener, dir / "evaluate.log");
  RunOutcome outcome;
  outcome.dir = dir.string();
  outcome.checkpoint = options.checkpoint;

  const LoadedModel model = loadModel(options.checkpoint);
  const LabelSetKind kind =
      labelSetKindFromString(model.experiment.value("labels", std::string("native")));
  const CommonLabelPolicy policy =
      commonLabelPolicyFromString(model.experiment.value("label_policy", std::string("drop")));
  log.stage("scan");
  const Corpus corpus = loadCorpora(options.corpora, policy, options.progress, options.cancel);
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
      " left out (label not in the model's set " + nlohmann::json(model.labels).dump() + ")");
  if (clips.empty()) throw Error("no clips to evaluate with the model's labels");

  log.stage("preprocess");
  Extracted ex = extract(clips, model.frontEnd, options.cache, options.progress, options.cancel, log);
  if (ex.cancelled) {
    outcome.cancelled = true;
    log.flush();
    return outcome;
  }
  std::vector<std::size_t> all(clips.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const Part part = collect(clips, all, truth, ex, 0);
  log.stage("evaluate");
  const Scores scores = predictWith(model, part.features, part.speakers());
  const auto predictions = makePredictions(part, scores.probabilities, scores.decided);
  nlohmann::json corpora = nlohmann::json::array();
  for (const auto& c : options.corpora) corpora.push_back(toJson(c));
  const nlohmann::json config = {{"evaluate", {{"checkpoint", options.checkpoint},
                                               {"corpora", corpora},
                                               {"speakers", options.speakers}}},
                                 {"experiment", model.experiment},
                                 {"labels", model.labels},
                                 {"synthetic", corpus.synthetic}};
  writeFileAtomic(dir / "config.json", config.dump(2) + "\n");
  nlohmann::json extra = {{"model", model.experiment.value("model", std::string("?"))},
                          {"checkpoint", options.checkpoint},
                          {"synthetic", corpus.synthetic},
                          {"left_out_labels", outside},
                          {"failed_clips", ex.failed},
                          {"device", model.svm ? "cpu (libsvm)" : model.network->device.description}};
  outcome.metrics = writeEvaluation(dir, predictions, model.labels, extra);
  log("test: WA " + percent(outcome.metrics["wa"].get<double>()) + ", UAR " +
      percent(outcome.metrics["uar"].get<double>()) + " on " + std::to_string(predictions.size()) +
      " clips");
  log.flush();
  return outcome;
}

std::vector<ClipPrediction> predictFiles(const std::string& checkpoint,
                                         const std::vector<std::string>& files,
                                         std::vector<std::string>* labels) {
  const LoadedModel model = loadModel(checkpoint);
  if (labels) *labels = model.labels;
  const LogMel logMel(model.frontEnd.logMel);
  UtteranceFeatureParams up;
  up.logMel = model.frontEnd.logMel;
  up.nMfcc = model.frontEnd.nMfcc;
  const UtteranceFeatures utterance(up);
  AudioFrontEnd frontEnd(model.frontEnd.audio);
  std::vector<ClipPrediction> out;
  for (const std::string& file : files) {
    ClipPrediction p;
    p.path = file;
    try {
      const std::vector<float> samples = frontEnd.load(file);
      CachedFeatures f{logMel.compute(samples), utterance.compute(samples)};
      // Each file stands for its own speaker: per-speaker normalisation uses the file's statistics.
      const Scores scores = predictWith(model, {&f}, {file});
      p.probabilities = scores.probabilities.front();
      p.label = model.labels[scores.decided.empty()
                                 ? std::size_t(std::max_element(p.probabilities.begin(),
                                                                p.probabilities.end()) -
                                               p.probabilities.begin())
                                 : std::size_t(scores.decided.front())];
    } catch (const std::exception& e) {
      p.error = e.what();
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace ser
