#pragma once
// Reading a study folder written by `serwb reproduce`: table.json (the master table), table.md,
// and the run folders beside them.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ser {

// One row of the master table: one experiment's test result.
struct StudyRow {
  std::string experiment;   // e.g. "ravdess->cremad cnn"
  std::string model;
  std::string train;        // training corpus (or corpora)
  std::string test;         // test corpus
  std::string protocol;     // split protocol
  double wa = 0.0;          // weighted accuracy, fraction [0, 1]
  double uar = 0.0;         // unweighted average recall, fraction [0, 1]
  std::string runDir;       // run folder relative to the study folder ("" when none)
};

struct StudyTable {
  std::filesystem::path path;        // the study folder
  std::vector<StudyRow> rows;
  std::vector<std::string> skipped;  // experiments the CLI skipped, with its reason
  bool synthetic = false;            // the study ran on the synthetic demo corpora

  // Absolute path of a row's run folder, or empty when the row has none.
  std::filesystem::path runPath(const StudyRow& row) const;
};

// Loads DIR/table.json. Throws ser::Error naming the missing or corrupt file.
StudyTable loadStudy(const std::string& dir);

// True when `dir` looks like a study folder (has table.json).
bool isStudyFolder(const std::string& dir);

}  // namespace ser
