#pragma once
// Cross-validation over speakers: every fold of a k-fold experiment in turn, one ordinary run
// folder per fold, and the aggregate across folds.
//   OUT/experiment.json   the cross-validation experiment (split.protocol "kfold", split.fold -1)
//   OUT/fold-1/ ...       run folders as runExperiment writes them (fold k tests the k-th fold)
//   OUT/summary.json      CrossValidationSummary (written when every fold is complete)
// A fold whose folder already holds a finished run of the same experiment is not rerun, so a
// cancelled cross-validation continues where it stopped.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/corpus/clip.h"
#include "core/experiment/experiment.h"
#include "core/metrics/metrics.h"
#include "core/metrics/metrics_report.h"
#include "core/pipeline/experiment_runner.h"

namespace ser {

// One fold's test figures, recomputed from its predictions.csv (equal to its metrics.json).
struct FoldSummary {
  int fold = 0;                           // 1-based; the run folder is OUT/fold-<fold>
  std::vector<std::string> testSpeakers;  // sorted
  std::size_t n = 0;                      // test clips
  double wa = 0.0;                        // fractions [0, 1]
  double uar = 0.0;
  double macroF1 = 0.0;
};

struct CrossValidationSummary {
  static constexpr int kFormatVersion = 1;
  int formatVersion = kFormatVersion;   // readers refuse newer versions
  std::string experiment;               // Experiment::name
  std::string model;                    // "svm", "cnn", "resnet18"
  std::uint32_t seed = 0;
  std::string foldsSource;              // FoldPlan::source: automatic, a folds file or a preset
  std::vector<std::string> notes;       // FoldPlan::notes (e.g. preset folds dropped)
  std::vector<std::string> labels;      // class order of `confusion`
  bool synthetic = false;               // the corpora are `serwb make-demo` data
  std::vector<FoldSummary> folds;       // in fold order

  // Across folds: mean and sample standard deviation (n - 1 denominator; 0 for one fold).
  double waMean = 0.0, waSd = 0.0;
  double uarMean = 0.0, uarSd = 0.0;
  double macroF1Mean = 0.0, macroF1Sd = 0.0;

  // Pooled over every fold's test predictions (each clip is tested exactly once), as one run's
  // report would give them: intervals from a bootstrap over the group's speakers.
  GroupMetrics pooled;
  double pooledMacroF1 = 0.0;
  ConfusionMatrix confusion;                 // summed over folds; rows = true, cols = predicted
  std::map<Sex, GroupMetrics> perSex;        // Male and/or Female, those present
  std::optional<double> femaleMinusMaleWa;   // pooled; absent unless both sexes are present
  std::optional<Interval> femaleMinusMaleWaCi95;  // speaker bootstrap within each sex
};

// summary.json: format_version, experiment, model, seed, folds (the count), folds_source, notes,
// labels, synthetic, wa_mean, wa_sd, uar_mean, uar_sd, macro_f1_mean, macro_f1_sd, sd ("sample"),
// per_fold [{fold, dir, test_speakers, n, wa, uar, macro_f1}], pooled {n, speakers, wa, uar,
// wa_ci95, uar_ci95, macro_f1}, confusion, per_sex {male|female: {n, speakers, wa, uar, wa_ci95,
// uar_ci95}}, female_minus_male_wa (number or null), female_minus_male_wa_ci95 ([lo, hi] or null).
nlohmann::json toJson(const CrossValidationSummary& summary);
// Throws ser::Error naming the missing or mistyped key, or "written by a newer serwb".
CrossValidationSummary crossValidationSummaryFromJson(const nlohmann::json& json);
void writeCrossValidationSummary(const std::filesystem::path& file,
                                 const CrossValidationSummary& summary);  // atomic
CrossValidationSummary readCrossValidationSummary(const std::filesystem::path& file);  // names the file

// Mean and sample standard deviation of `values` (sd 0 for fewer than two values).
struct MeanSd {
  double mean = 0.0;
  double sd = 0.0;
};
MeanSd meanAndSampleSd(const std::vector<double>& values);

// The summary of finished fold folders `dirs[k]` (fold k + 1) from their predictions.csv files;
// the caller fills experiment, model, seed, foldsSource, notes and synthetic. Throws ser::Error
// naming the file when a predictions.csv is missing or unreadable or its labels differ between
// folds.
CrossValidationSummary summariseFolds(const std::vector<std::filesystem::path>& dirs,
                                      const std::vector<std::vector<std::string>>& testSpeakers);

struct CrossValidationOutcome {
  std::string dir;                // OUT
  bool cancelled = false;         // stopped early: finished folds are kept, summary.json is not written
  int foldsRun = 0;               // folds trained in this call
  int foldsReused = 0;            // folds found finished and not rerun
  std::vector<std::string> foldDirs;  // OUT/fold-1 ... (all folds, finished or not)
  std::optional<CrossValidationSummary> summary;  // set when every fold is finished
};

// Runs every fold of `experiment` (split.protocol kfold with split.fold -1; folds from
// split.folds / folds_file / folds_preset) into options.outDir, then writes summary.json.
// Progress, observer and cancel flag go to each fold's runExperiment; the listener also hears
// onStage("fold K of N") before each fold and a log line per fold. options.resume continues an
// unfinished network fold from its last.ckpt. Throws ser::Error for unusable input, "fold K: ..."
// for a fold that fails, and when OUT (or a fold folder) holds a run of a different experiment.
CrossValidationOutcome runCrossValidation(const Experiment& experiment, const RunOptions& options);

// One fold of a cross-validation as a run of its own, for running folds as separate processes
// (`serwb train --parallel N`, a Slurm job array): a fold run of `experiment` into `dir` is what
// runCrossValidation would run there, so a later runCrossValidation finds it finished and only
// aggregates.
struct FoldJob {
  int fold = 0;                 // 1-based
  Experiment experiment;        // the fold's experiment (split.fold = fold - 1, name "... (fold K of N)")
  std::filesystem::path dir;    // OUT/fold-<fold>
  std::vector<std::string> testSpeakers;
  bool finished = false;        // dir holds this fold's finished run: nothing to do
  bool resume = false;          // options.resume and dir has a last.ckpt to continue from
  bool overwrite = false;       // dir holds an unfinished run to replace
};

// Scans the corpora, plans the folds as runCrossValidation does and writes OUT/experiment.json.
// Throws ser::Error as runCrossValidation does (OUT holding another experiment, unusable input).
std::vector<FoldJob> planCrossValidationJobs(const Experiment& experiment, const RunOptions& options);

}  // namespace ser
