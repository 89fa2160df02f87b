#pragma once
// The study table: the master table of `serwb reproduce`, one row per experiment, as a typed
// object with its writer and reader side by side (table.json), and its Markdown form (table.md).
// The GUI's table, the PDF report and the CLI all show these fields.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/metrics/bootstrap.h"

namespace ser {

struct RunRecord;

// One row of the master table: one experiment's test result.
struct StudyRow {
  std::string id;           // unique row label, e.g. "2", "2r" (random split), "3"
  std::string experiment;   // the study's experiment number, e.g. "2"
  std::string model;
  std::string train;        // training corpus (or corpora)
  std::string test;         // test corpus
  std::string protocol;     // "speaker-independent" or "random split"
  bool speakerIndependent = true;  // from the run's provenance: no test speaker seen in training
  std::size_t n = 0;        // test clips
  double wa = 0.0;          // weighted accuracy, fraction [0, 1]
  double uar = 0.0;         // unweighted average recall, fraction [0, 1]
  std::optional<Interval> waCi95, uarCi95;  // speaker-bootstrap intervals (absent: too few speakers)
  std::optional<double> waMale, waFemale;   // WA by sex (absent when the sex is not in the test set)
  std::optional<double> sexGap;             // female - male WA
  std::optional<Interval> sexGapCi95;
  std::string runDir;       // run folder relative to the study folder ("" when none)
};

struct StudyTable {
  std::filesystem::path path;        // the study folder
  std::vector<StudyRow> rows;
  std::vector<std::string> skipped;  // experiments the CLI skipped, with its reason
  bool synthetic = false;            // the study ran on the synthetic demo corpora
  std::string ravdess, cremaD;       // the corpus folders it ran on
  std::uint64_t seed = 0;

  // Absolute path of a row's run folder, or empty when the row has none.
  std::filesystem::path runPath(const StudyRow& row) const;
};

// A row from a finished run's record (n, WA, UAR, intervals, by sex, gap, provenance).
StudyRow studyRow(const std::string& id, const std::string& experiment, const std::string& train,
                  const std::string& test, const std::string& protocol, const RunRecord& run,
                  const std::filesystem::path& studyDir);

// table.json's object, and the Markdown table (table.md).
nlohmann::json toJson(const StudyTable& study);
std::string studyTableMarkdown(const StudyTable& study);

// Loads DIR/table.json. Throws ser::Error naming the missing or corrupt file.
StudyTable loadStudy(const std::string& dir);

// True when `dir` looks like a study folder (has table.json).
bool isStudyFolder(const std::string& dir);

}  // namespace ser
