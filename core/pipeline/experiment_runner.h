#pragma once
// Runs an experiment end to end and writes its run folder:
//   experiment.json    the experiment, loadable with `serwb train --experiment`
//   config.json        the experiment plus the resolved split and label list
//   metrics.json       see core/metrics/metrics_report.h, plus split, seed, device, timings
//   predictions.csv    one row per test clip with per-class probabilities
//   curves.csv         per epoch (networks only)
//   best.ckpt, last.ckpt (networks) or model.svm (SVM)
//   train.log          what happened, including skipped clips and warnings
// Every file is written atomically. Long steps report progress and poll the cancel flag.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/progress.h"
#include "core/corpus/clip.h"
#include "core/experiment/experiment.h"
#include "core/train/training_observer.h"

namespace ser {

// What the runner tells its caller, besides the trainer's own observer calls.
class RunListener {
 public:
  virtual ~RunListener() = default;
  // A stage begins: "scan", "preprocess", "train", "evaluate".
  virtual void onStage(const std::string& /*stage*/) {}
  // Human-readable log lines (also written to train.log).
  virtual void onLog(const std::string& /*line*/) {}
};

struct RunOptions {
  std::string outDir;                  // the run folder (created)
  bool resume = false;                 // networks: continue from outDir/last.ckpt
  ProgressReporter* progress = nullptr;  // scan and preprocessing progress
  TrainingObserver* observer = nullptr;  // epochs and batches
  RunListener* listener = nullptr;
  const CancelFlag* cancel = nullptr;
};

struct RunOutcome {
  std::string dir;
  bool cancelled = false;   // training was cancelled; the run folder holds the best checkpoint so far
  nlohmann::json metrics;   // metrics.json content (empty when cancelled before evaluation)
  std::string checkpoint;   // best.ckpt or model.svm
};

// Throws ser::Error (with the file or parameter at fault) for unusable input.
RunOutcome runExperiment(const Experiment& experiment, const RunOptions& options);

struct EvaluateOptions {
  std::string checkpoint;           // best.ckpt / last.ckpt, or model.svm (its config.json beside it)
  std::vector<CorpusSpec> corpora;  // clips to evaluate
  std::vector<std::string> speakers;  // only these speakers (empty = all)
  std::string outDir;               // metrics.json + predictions.csv + config.json
  std::string cache;                // feature cache; empty = the default
  DeviceChoice device = DeviceChoice::Auto;  // where the network runs (a CUDA checkpoint runs on the CPU too)
  ProgressReporter* progress = nullptr;
  RunListener* listener = nullptr;
  const CancelFlag* cancel = nullptr;
};

// Evaluates a trained model on (a subset of) corpora, with the labels and front end it was
// trained with: clips whose label is not in its label set are left out (and counted).
RunOutcome evaluateCheckpoint(const EvaluateOptions& options);

struct ClipPrediction {
  std::string path;
  std::string label;                 // the most probable class
  std::vector<float> probabilities;  // per class, in `labels` order
  std::string error;                 // non-empty when the file could not be processed
};

// Predicts audio files with a checkpoint; unreadable files get an error, the rest go on.
std::vector<ClipPrediction> predictFiles(const std::string& checkpoint,
                                         const std::vector<std::string>& files,
                                         std::vector<std::string>* labels);

}  // namespace ser
