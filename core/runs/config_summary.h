#pragma once
// A run's configuration grouped by meaning, for reports: Data (corpora, labels, front end),
// Split, Model, Training, Evaluation, then anything config.json holds that none of these claims
// (Other). Settings that do not apply to the run's model are left out (the SVM's grids for a
// network, the network's optimiser for the SVM), and so is the cache folder; the whole file
// stays available as run.config for an appendix. What the run recorded (device, timings, the
// chosen SVM hyper-parameters, the split it used) is added from the typed record.
#include <string>
#include <vector>

#include "core/runs/run_record.h"

namespace ser {

struct ConfigRow {
  std::string key;    // config.json's dotted path ("front_end.n_mels"), or a recorded fact in words
  std::string value;  // scalars as written; lists of scalars joined with ", "
};

struct ConfigGroup {
  std::string title;  // "Data", "Split", "Model", "Training", "Evaluation", "Other"
  std::vector<ConfigRow> rows;
};

// Groups in the order above; groups without rows are left out.
std::vector<ConfigGroup> configSummary(const RunRecord& run);

}  // namespace ser
