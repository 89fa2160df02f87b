#pragma once
// predictions.csv: one row per test clip, written next to metrics.json and read back by the GUI.
// Columns: path, corpus, speaker, sex, true, predicted, p_<label> for each label in order.
// `true`/`predicted` hold label names and `sex` "male"/"female"/"unknown". RFC 4180 quoting;
// probabilities in shortest round-trip decimal form, empty cells when a clip has none.
#include <filesystem>
#include <string>
#include <vector>

#include "core/metrics/metrics_report.h"

namespace ser {

// Writes atomically (ser::writeFileAtomic). Throws ser::Error when an index is outside `labels`
// or a probability vector's size is neither 0 nor labels.size().
void writePredictionsCsv(const std::filesystem::path& path, const std::vector<Prediction>& predictions,
                         const std::vector<std::string>& labels);

struct PredictionTable {
  std::vector<std::string> labels;      // from the p_<label> columns, in order
  std::vector<Prediction> predictions;  // truth/predicted index `labels`
};

// Reads a predictions.csv as writePredictionsCsv writes it: every column above is required.
// Throws ser::Error "<path>: ..." naming the file, and the line for a row's error: "no 'sex'
// column", "line N: predicted label 'x' has no p_ column", "row N, column 'p_sad': 'x' is not a
// number" (N: the 1-based line), or the ser::readCsvFile errors (malformed quoting, ragged rows).
PredictionTable readPredictionsCsv(const std::filesystem::path& path);

}  // namespace ser
