#include "core/runs/config_summary.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/base/json_text.h"

namespace ser {
namespace {

using json = nlohmann::json;

std::string scalarText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_null()) return "\u2013";
  return dumpJson(v);
}

// `j` flattened into rows under `prefix`; arrays of scalars become one joined row.
void flatten(const json& j, const std::string& prefix, std::vector<ConfigRow>& rows) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) flatten(value, prefix.empty() ? key : prefix + "." + key, rows);
  } else if (j.is_array() && std::all_of(j.begin(), j.end(), [](const json& v) { return !v.is_structured(); })) {
    std::string joined;
    for (const auto& v : j) joined += (joined.empty() ? "" : ", ") + scalarText(v);
    rows.push_back({prefix, j.empty() ? std::string("\u2013") : joined});
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) flatten(j[i], prefix + "[" + std::to_string(i) + "]", rows);
  } else {
    rows.push_back({prefix, scalarText(j)});
  }
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? std::string("\u2013") : out;
}

// The group a top-level config.json key belongs to; "" = left out of the summary.
std::string groupOf(const std::string& key, bool svm) {
  static const std::map<std::string, std::string> groups = {
      {"corpora", "Data"},      {"labels", "Data"},        {"label_policy", "Data"},
      {"front_end", "Data"},    {"synthetic", "Data"},     {"train_corpora", "Split"},
      {"test_corpora", "Split"}, {"split", "Split"},       {"folds", "Split"},
      {"model", "Model"},       {"svm", "Model"},          {"training", "Training"},
      {"seed", "Training"},     {"evaluation", "Evaluation"}, {"evaluated", "Evaluation"},
      {"checkpoint", "Evaluation"}, {"name", ""},          {"cache", ""},
      {"resolved", ""},
  };
  if (key == "svm" && !svm) return "";
  if (key == "training" && svm) return "";
  const auto it = groups.find(key);
  return it == groups.end() ? "Other" : it->second;
}

}  // namespace

std::vector<ConfigGroup> configSummary(const RunRecord& run) {
  const std::vector<std::string> order = {"Data", "Split", "Model", "Training", "Evaluation", "Other"};
  std::map<std::string, std::vector<ConfigRow>> rows;
  const bool svm = run.model == "svm";
  if (run.config.is_object()) {
    for (const auto& [key, value] : run.config.items()) {
      const std::string group = groupOf(key, svm);
      if (!group.empty()) flatten(value, key, rows[group]);
    }
  }

  const SplitProvenance& s = run.split;
  auto& split = rows["Split"];
  if (!s.protocol.empty()) split.push_back({"protocol used", s.protocol});
  if (s.known) {
    split.push_back({"clips train / validation / test", std::to_string(s.trainClips) + " / " +
                                                            std::to_string(s.validationClips) + " / " +
                                                            std::to_string(s.testClips)});
    split.push_back({"speaker-independent", s.speakerIndependent() ? "yes" : "no"});
  } else {
    split.push_back({"provenance", "not recorded (run folder written by an older serwb)"});
  }

  const TrainingFacts& t = run.training;
  auto& training = rows["Training"];
  if (!t.device.empty()) training.push_back({"device used", t.device});
  if (!t.precision.empty()) training.push_back({"precision used", t.precision});
  if (t.epochs > 0)
    training.push_back({"epochs run (best)", std::to_string(t.epochs) + " (" + std::to_string(t.bestEpoch) + ")"});
  if (!t.stop.empty()) training.push_back({"stopped by", t.stop});
  if (t.trainSeconds >= 0) training.push_back({"training time", fixed(t.trainSeconds, 1) + " s"});
  if (t.samplesPerSecond >= 0) training.push_back({"throughput", fixed(t.samplesPerSecond, 1) + " clips/s"});
  auto& model = rows["Model"];
  if (t.parameters > 0) model.push_back({"parameters", std::to_string(t.parameters)});
  if (t.svmC) model.push_back({"chosen C", fixed(*t.svmC, 4)});
  if (t.svmGamma) model.push_back({"chosen gamma", fixed(*t.svmGamma, 6)});
  if (t.svmValidationUar) model.push_back({"validation UAR of the choice", fixed(100.0 * *t.svmValidationUar, 1) + "%"});

  auto& evaluation = rows["Evaluation"];
  evaluation.push_back({"test corpora", joined(s.testCorpora)});
  evaluation.push_back({"test clips / speakers", std::to_string(run.metrics.overall.n) + " / " +
                                                     std::to_string(run.metrics.overall.speakers)});
  if (run.evaluation) {
    evaluation.push_back({"checkpoint evaluated", run.evaluation->checkpoint});
    evaluation.push_back({"clips with a label outside the model's", std::to_string(run.evaluation->leftOutLabels)});
  }
  if (run.failedClips > 0) evaluation.push_back({"clips left out (unreadable audio)", std::to_string(run.failedClips)});

  std::vector<ConfigGroup> out;
  for (const auto& title : order)
    if (!rows[title].empty()) out.push_back({title, rows[title]});
  return out;
}

}  // namespace ser
