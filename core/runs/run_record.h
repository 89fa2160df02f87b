#pragma once
// The run record: one typed object for what a run is and what it found. The CLI's printers, the
// study table, the GUI panels and the PDF report read its fields; its files are only its storage.
// Writer and reader are side by side here, and this file pair is the only place that spells the
// metrics.json keys. A run folder written by `serwb train` / `serwb evaluate` holds:
//   config.json      the experiment (or, for an evaluation, the model's experiment and what was
//                    evaluated), kept whole for display and for the configuration appendix
//   metrics.json     format_version, labels, wa/uar/macro_f1 with intervals, confusion, per_class,
//                    per_sex, sex_gap, per_class_by_sex, per_speaker, per_corpus, split (with its
//                    provenance), seed, model, device and timings
//   predictions.csv  one row per test clip (core/metrics/predictions_csv.h)
//   curves.csv       epoch, train_loss, train_acc, val_loss, val_acc, val_uar, lr, seconds
//                    (networks only)
// Format versions: 1 = written before the record existed (clip-level intervals, no provenance);
// 2 = speaker-level intervals, provenance. Version-1 folders still open: their figures are read
// as written and their provenance is marked unknown.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/metrics/metrics_report.h"
#include "core/train/training_observer.h"

namespace ser {

inline constexpr int kRunRecordFormatVersion = 2;

// Which speakers and corpora the model learned from and was tested on, and what follows.
struct SplitProvenance {
  std::string protocol;  // "speakers", "random", "kfold" (training runs) or "evaluation"
  bool known = true;     // false: written by an older serwb that did not record provenance
  std::vector<std::string> trainSpeakers;       // speakers whose clips trained the model
  std::vector<std::string> validationSpeakers;  // speakers that selected its best epoch
  std::vector<std::string> testSpeakers;
  std::vector<std::string> trainCorpora;        // corpora of the training clips
  std::vector<std::string> testCorpora;         // corpora of the test clips
  // Test speakers whose clips were also in training or validation: the leak, when non-empty.
  std::vector<std::string> testSpeakersSeen;
  std::size_t trainClips = 0, validationClips = 0, testClips = 0;
  std::vector<std::string> warnings;  // plain-language notes (leakage, exclusions)

  // True when no test speaker was seen in training or validation (and provenance is known).
  bool speakerIndependent() const { return known && testSpeakersSeen.empty(); }
  // True when the test corpora and the training corpora have no corpus in common.
  bool crossCorpus() const;
  // Sorts the speaker and corpus lists (each name once) and sets testSpeakersSeen to the test
  // speakers that are also training or validation speakers. Every writer of a provenance calls
  // this once its lists are filled: the one place the leak is computed.
  void settle();
};

// How a network or the SVM was trained (absent fields stay at their defaults).
struct TrainingFacts {
  std::string device;            // "cpu (2 threads)", "cuda:0 (...)", "cpu (libsvm)"
  std::string precision;         // "fp32", "bf16", ... ("" when not recorded)
  double trainSeconds = -1.0;    // < 0: not recorded
  double samplesPerSecond = -1.0;
  int bestEpoch = 0;             // networks: 1-based; 0 = not recorded
  int epochs = 0;
  long long parameters = 0;
  std::string stop;              // why training stopped ("max_epochs", "early_stopping", ...)
  std::string encoderFile;       // model encoder: the encoder's file name ("" for other models)
  std::string encoderHash;       // model encoder: FNV-1a 64 of its bytes, 16 hex digits
  // SVM: the chosen hyper-parameters and their validation UAR (absent for networks).
  std::optional<double> svmC, svmGamma, svmValidationUar;
};

// An evaluation of a trained model on other clips (`serwb evaluate`, rows 3 of a study).
struct EvaluationFacts {
  std::string checkpoint;          // the model file evaluated
  std::size_t leftOutLabels = 0;   // clips whose label is not in the model's label set
};

struct RunRecord {
  int formatVersion = kRunRecordFormatVersion;
  std::filesystem::path path;     // the run folder (set by the reader and the writer)
  std::string model;              // "cnn", "resnet18", "svm"
  std::string experimentName;
  std::uint64_t seed = 0;
  bool synthetic = false;         // the data came from `serwb make-demo`
  nlohmann::json config;          // config.json, whole (display, appendix, comparison)
  SplitProvenance split;
  TrainingFacts training;
  std::optional<EvaluationFacts> evaluation;  // set for evaluations
  std::size_t failedClips = 0;    // clips left out because their audio could not be processed
  MetricsReport metrics;          // labels, overall, per class / sex / speaker / corpus
  std::vector<Prediction> predictions;  // one per test clip; indices into metrics.labels
  std::vector<EpochStats> curves;       // per epoch; empty for the SVM and evaluations

  const std::vector<std::string>& labels() const { return metrics.labels; }
  // Folder name, e.g. "ravdess-cnn-si".
  std::string name() const;
  // Probability of the predicted class of a prediction (0 when the clip has none).
  double confidence(const Prediction& p) const;
};

// A 95% interval as the run files store it: [lo, hi], or null when there is none.
nlohmann::json intervalJson(const std::optional<Interval>& interval);
// The interval at `object[key]`: nullopt when the key is absent or null. Anything but two numbers
// throws ser::Error("<errorPrefix>'<path>' is not an interval [lo, hi]"); `path` names the key as
// the user would find it in the file (for example "per_sex.male.wa_ci95").
std::optional<Interval> intervalFromJson(const nlohmann::json& object, const std::string& key,
                                         const std::string& errorPrefix, const std::string& path);

// The "split" object of metrics.json (also config.json's "resolved.split").
nlohmann::json toJson(const SplitProvenance& split);

// The metrics.json object of a record (every key the format defines).
nlohmann::json metricsJson(const RunRecord& record);

// Writes metrics.json, predictions.csv and (when there are curves) curves.csv into `dir`,
// atomically each; config.json is written by the runner when the run starts.
void writeRunRecord(const std::filesystem::path& dir, const RunRecord& record);

// curves.csv text for `curves` (the runner also writes it as epochs finish).
std::string curvesCsv(const std::vector<EpochStats>& curves);

// Reads a curves.csv as the runner writes it, also while training (a stopped run's finished
// epochs). Empty when the file does not exist; throws ser::Error naming the file when corrupt.
std::vector<EpochStats> readCurvesCsv(const std::filesystem::path& file);

// Loads a run folder. Throws ser::Error naming the missing or corrupt file (full path) and what
// is wrong with it, or saying that the folder was written by a newer serwb. config.json,
// metrics.json and predictions.csv are required; curves.csv is optional. predictions.csv's
// p_<label> columns must be metrics.json's labels in the same order.
RunRecord loadRunRecord(const std::string& dir);

// True when `dir` looks like a run folder (has metrics.json).
bool isRunFolder(const std::string& dir);

// True when the model file `model` (best.ckpt, model.svm, ...) lies in a run folder whose run
// trained on the synthetic demo corpus, so that its predictions say nothing about real speech.
// False for a file outside a run folder, or one whose metrics.json cannot be read.
bool trainedOnSyntheticData(const std::string& model);

// Parses a metrics.json document into `record` (labels, metrics, split, training facts, ...);
// `file` names it in errors. Used by loadRunRecord and by readers of study folders.
void readMetricsJson(const nlohmann::json& metrics, const std::filesystem::path& file,
                     RunRecord& record);

}  // namespace ser
