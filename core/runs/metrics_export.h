#pragma once
// Metrics of a run (or a study) flattened for spreadsheets and scripts.
#include <string>

#include <nlohmann/json.hpp>

#include "core/runs/run_record.h"
#include "core/runs/study_table.h"

namespace ser {

// Tidy long-format CSV, one value per row, header "run,scope,group,metric,value,ci95_lo,ci95_hi".
// Scopes: overall, class, sex, sex_gap, class_by_sex (group "label/sex"), speaker, corpus,
// confusion (group "true->predicted", metric "count"). Fractions stay fractions; an interval
// cell is empty where the figure has none (too few speakers).
std::string metricsToCsv(const RunRecord& run);

// {"run": name, "path": folder, "synthetic": bool, "config": config.json, "metrics": metrics.json}.
nlohmann::json metricsToJson(const RunRecord& run);

// The master table as CSV: id,experiment,model,train,test,protocol,speaker_independent,n,wa,
// wa_ci95_lo,wa_ci95_hi,uar,uar_ci95_lo,uar_ci95_hi,wa_male,wa_female,female_minus_male_wa,
// gap_ci95_lo,gap_ci95_hi,run_dir.
std::string studyToCsv(const StudyTable& study);

// table.json's content with the study folder's path.
nlohmann::json studyToJson(const StudyTable& study);

}  // namespace ser
