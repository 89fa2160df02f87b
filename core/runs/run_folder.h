#pragma once
// Reading the run folders `serwb train` / `serwb evaluate` write (the format is the CLI's contract):
//   config.json      the experiment (corpora, split protocol, front end, model, hyper-parameters, seed)
//   metrics.json     labels, wa/uar/macro_f1 with CIs, confusion, per_class, per_sex, sex_gap, ...
//   predictions.csv  path, corpus, speaker, sex, true, predicted, p_<label>... (one row per test clip)
//   curves.csv       epoch, train_loss, train_acc, val_loss, val_acc, val_uar, lr, seconds (optional:
//                    SVM runs have none)
// The reader is for display and reporting; it validates what the panels rely on and keeps the
// JSON documents whole so nothing the CLI adds later is lost.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ser {

// One test clip's prediction.
struct PredictionRow {
  std::string path;                  // audio file as the CLI saw it
  std::string corpus;
  std::string speaker;
  std::string sex;                   // "male", "female" or "" when unknown
  std::string trueLabel;
  std::string predicted;
  std::vector<double> probabilities; // one per RunFolder::labels entry, same order; NaN when the
                                     // clip has none (empty cells)

  bool correct() const { return trueLabel == predicted; }
};

// One epoch of training.
struct CurvePoint {
  int epoch = 0;             // 1-based
  double trainLoss = 0.0;
  double trainAcc = 0.0;     // fraction [0, 1]
  double valLoss = 0.0;
  double valAcc = 0.0;       // fraction [0, 1]
  double valUar = 0.0;       // fraction [0, 1]
  double lr = 0.0;
  double seconds = 0.0;      // wall time of the epoch
};

struct RunFolder {
  std::filesystem::path path;            // the folder as given
  nlohmann::json config;                 // config.json, whole
  nlohmann::json metrics;                // metrics.json, whole
  std::vector<std::string> labels;       // metrics.json "labels": the class order everywhere
  std::vector<PredictionRow> predictions;
  std::vector<CurvePoint> curves;        // empty when curves.csv is absent

  // Folder name, e.g. "ravdess-cnn-si".
  std::string name() const;
  // True when config.json marks the run (or any of its corpora) synthetic.
  bool synthetic() const;
  // metrics.json split.speaker_independent; false when missing (unknown counts as a risk).
  bool speakerIndependent() const;
  // Confusion counts, rows = true, cols = predicted, in labels order (validated square on load).
  std::vector<std::vector<double>> confusion() const;
  // Probability of the predicted class for a prediction row; 0 when the column is missing.
  double confidence(const PredictionRow& row) const;
};

// Loads a run folder. Throws ser::Error naming the missing or corrupt file (full path) and what is
// wrong with it. config.json, metrics.json and predictions.csv are required; curves.csv is optional.
// predictions.csv is read with ser::readPredictionsCsv (every column required) and its p_<label>
// columns must be metrics.json's labels in the same order.
RunFolder loadRunFolder(const std::string& dir);

// True when `dir` looks like a run folder (has metrics.json).
bool isRunFolder(const std::string& dir);

}  // namespace ser
