#pragma once
// Metrics of a run (or a study) flattened for spreadsheets and scripts.
#include <string>

#include <nlohmann/json.hpp>

#include "core/runs/run_folder.h"
#include "core/runs/study_table.h"

namespace ser {

// Tidy long-format CSV, one value per row, header "run,scope,group,metric,value,ci95_lo,ci95_hi".
// Scopes: overall, class, sex, sex_gap, class_by_sex (group "label/sex"), speaker, corpus,
// confusion (group "true->predicted", metric "count"). Fractions stay fractions.
std::string metricsToCsv(const RunFolder& run);

// {"run": name, "path": folder, "synthetic": bool, "config": config.json, "metrics": metrics.json}.
nlohmann::json metricsToJson(const RunFolder& run);

// The master table as CSV: experiment,model,train,test,protocol,wa,uar,run_dir.
std::string studyToCsv(const StudyTable& study);

// {"path", "synthetic", "rows": [...], "skipped": [...]} with the same keys as table.json.
nlohmann::json studyToJson(const StudyTable& study);

}  // namespace ser
