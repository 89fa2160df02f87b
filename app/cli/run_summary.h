#pragma once
// What `serwb train` and `serwb evaluate` print about a finished run: read from the typed run
// record (core/runs/run_record.h), never from metrics.json keys.
#include <string>

#include <nlohmann/json.hpp>

#include "core/pipeline/experiment_runner.h"

namespace ser::cli {

// The text summary: WA / UAR with intervals, macro-F1, per sex with the gap, the leakage
// warning exactly when a test speaker was seen in training, the synthetic label.
std::string runSummaryText(const RunOutcome& outcome);

// The --json object: the metrics.json document plus run_dir, cancelled and checkpoint.
nlohmann::json runSummaryJson(const RunOutcome& outcome);

}  // namespace ser::cli
