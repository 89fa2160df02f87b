#pragma once
// Runs an experiment end to end and writes its run folder:
//   experiment.json    the experiment, loadable with `serwb train --experiment`
//   config.json        the experiment plus the resolved split and label list
//   metrics.json       the run record (core/runs/run_record.h): metrics, split provenance, timings
//   predictions.csv    one row per test clip with per-class probabilities
//   curves.csv         per epoch (networks only)
//   best.ckpt, last.ckpt (networks) or model.svm (SVM)
//   train.log          what happened, including skipped clips and warnings; appended line by
//                      line as the run goes (a resumed run appends to it)
// Every other file is written atomically. Long steps report progress and poll the cancel flag.
// The run folder is protected as core/pipeline/output_folder.h describes: a folder that holds a
// run is refused unless the run is resumed or overwritten (replaced as a whole).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/progress.h"
#include "core/corpus/clip.h"
#include "core/experiment/experiment.h"
#include "core/runs/run_record.h"
#include "core/train/training_observer.h"

namespace ser {

class Distributed;  // core/train/distributed.h

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
  // Networks: continue from outDir/last.ckpt. Refused when the experiment differs from the
  // run's in anything but resumeMayChange(); the split and labels must resolve as before.
  bool resume = false;
  bool overwrite = false;              // replace a run already in outDir (as a whole)
  ProgressReporter* progress = nullptr;  // scan and preprocessing progress
  TrainingObserver* observer = nullptr;  // epochs and batches
  RunListener* listener = nullptr;
  const CancelFlag* cancel = nullptr;
  // Not owned. A data-parallel job: this process is one rank (core/train/distributed.h, and
  // Trainer::setDistributed for what the ranks share). Every rank runs the same experiment; ranks
  // other than 0 stop after training (no evaluation, nothing committed), so the caller gives them
  // a scratch outDir of their own.
  Distributed* distributed = nullptr;
};

struct RunOutcome {
  std::string dir;
  bool cancelled = false;   // the user cancelled; see `resumable`
  bool resumable = false;   // cancelled with a last.ckpt in `dir` to continue from (--resume)
  std::optional<RunRecord> record;  // the finished run (absent when cancelled before evaluation)
  std::string checkpoint;   // best.ckpt or model.svm
};

// The experiment keys (paths as "training.epochs") that --resume may change: they do not alter
// what is learnt from which data. (With the cosine scheduler more epochs stretch the rest of the
// schedule; the run log says so.)
const std::vector<std::string>& resumeMayChange();

// Throws ser::Error (with the file or parameter at fault) for unusable input, ser::Cancelled when
// cancelled before anything worth keeping was made (while scanning).
RunOutcome runExperiment(const Experiment& experiment, const RunOptions& options);

struct EvaluateOptions {
  std::string checkpoint;           // best.ckpt / last.ckpt, or model.svm (its config.json beside it)
  std::vector<CorpusSpec> corpora;  // clips to evaluate
  std::vector<std::string> speakers;  // only these speakers (empty = all)
  std::string outDir;               // metrics.json + predictions.csv + config.json
  bool overwrite = false;           // replace a run or evaluation already in outDir (as a whole)
  // The checkpoint path written into config.json and metrics.json (empty = `checkpoint`): where
  // it will be once a study being written beside its final folder is in place.
  std::string recordedCheckpoint;
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

struct PredictOptions {
  // The files are clips of one speaker: normalised together, as evaluate normalises a test
  // speaker's clips (the model's per-speaker normalisation then works as in training). Otherwise
  // each file is a clip of an unknown speaker: a network normalises it by its training set's
  // statistics; a per-speaker SVM, which keeps none, refuses it.
  bool oneSpeaker = false;
};

// Predicts audio files with a checkpoint; unreadable files get an error, the rest go on.
std::vector<ClipPrediction> predictFiles(const std::string& checkpoint,
                                         const std::vector<std::string>& files,
                                         std::vector<std::string>* labels, const PredictOptions& options = {});

}  // namespace ser
