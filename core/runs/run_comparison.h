#pragma once
// Comparing finished runs: the figures side by side, the configuration keys that differ, and, for
// each pair of runs scored on the same test clips, the paired difference in UAR and WA with a
// speaker-bootstrap interval, so a reader can tell a real gain from noise. `serwb compare` prints
// it; the GUI's compare view shows it. Everything is read from the run records (no file parsing).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/metrics/bootstrap.h"

namespace ser {

struct RunRecord;

// One run's row of the comparison table.
struct ComparedRun {
  std::string name;   // run folder name
  std::string path;   // run folder
  std::string model;
  std::vector<std::string> trainCorpora, testCorpora;
  std::string protocol;          // "speakers", "random", "kfold", "evaluation" ("" when unknown)
  bool speakerIndependent = false;  // provenance known and no test speaker seen in training
  std::size_t n = 0;             // test clips
  std::size_t speakers = 0;      // test speakers
  double wa = 0.0, uar = 0.0, macroF1 = 0.0;  // fractions [0, 1]
  std::optional<Interval> waCi95, uarCi95;    // the run's own speaker-bootstrap intervals
  std::optional<Interval> macroF1Ci95;        // absent in run folders older than macro_f1_ci95
};

// A configuration key (flattened path, e.g. "training.learning_rate", "corpora[0].path") whose
// value is not the same in every run. values[i] is run i's value as compact JSON, or nullopt
// when run i's configuration has no such key.
struct ConfigDifference {
  std::string key;
  std::vector<std::optional<std::string>> values;
};

// Run b against run a (indices into RunComparison::runs). Differences are b minus a.
struct PairedComparison {
  std::size_t a = 0, b = 0;
  bool paired = false;       // both runs were scored on the same test clips
  std::string reason;        // when not paired: why, in words
  std::size_t clips = 0;     // the shared test clips
  std::size_t speakers = 0;  // their speakers (the bootstrap's resampling unit)
  double uarDifference = 0.0, waDifference = 0.0;  // b - a, fractions
  // 95% paired speaker-bootstrap intervals of the differences; absent (with `reason` saying so)
  // when fewer speakers than ComparisonOptions::minSpeakersForInterval.
  std::optional<Interval> uarCi95, waCi95;
  // True when the UAR interval lies wholly above or below 0.
  bool uarDifferenceExcludesZero() const {
    return uarCi95 && (uarCi95->lo > 0.0 || uarCi95->hi < 0.0);
  }
};

struct ComparisonOptions {
  BootstrapOptions bootstrap;      // resamples, seed (fixed: the same runs give the same interval)
  int minSpeakersForInterval = 3;  // as the metrics report: fewer speakers get no interval, [2, 1000]
  void validate() const;
};

struct RunComparison {
  std::vector<ComparedRun> runs;                 // in the order given
  std::vector<ConfigDifference> configDiff;      // sorted by key
  std::vector<PairedComparison> pairs;           // every pair a < b, in order
};

// Compares `runs` (two or more, or one: a table without pairs). Clips are matched by corpus and
// path; a pair is compared only when both runs hold exactly the same clips with the same true
// labels and the same label set. Throws ParameterError for invalid options.
RunComparison compareRuns(const std::vector<RunRecord>& runs, const ComparisonOptions& options = {});

// The configuration flattened to "path" -> compact JSON value (leaves only; arrays indexed).
std::vector<std::pair<std::string, std::string>> flattenConfig(const nlohmann::json& config);

// `serwb compare --json`'s object, and its text form (the table, the differing keys, the pairs).
nlohmann::json toJson(const RunComparison& comparison);
std::string comparisonText(const RunComparison& comparison);

}  // namespace ser
