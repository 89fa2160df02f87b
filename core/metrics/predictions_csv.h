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

// Throws ser::Error naming the file and line for a missing column, an unknown label, a bad
// number or malformed quoting.
PredictionTable readPredictionsCsv(const std::filesystem::path& path);

}  // namespace ser
