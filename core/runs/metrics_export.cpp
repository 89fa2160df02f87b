#include "core/runs/metrics_export.h"

#include <cstdio>
#include <sstream>

#include "core/base/csv.h"

namespace ser {
namespace {

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

class CsvWriter {
 public:
  explicit CsvWriter(std::string run) : run_(std::move(run)) {
    out_ << "run,scope,group,metric,value,ci95_lo,ci95_hi\n";
  }
  // Writes `j` if it is a number; the CI pair if `ci` is a two-number array.
  void add(const std::string& scope, const std::string& group, const std::string& metric,
           const nlohmann::json& j, const nlohmann::json& ci = nullptr) {
    if (!j.is_number()) return;
    out_ << csvField(run_) << ',' << csvField(scope) << ',' << csvField(group) << ','
         << csvField(metric) << ',' << number(j.get<double>()) << ',';
    if (ci.is_array() && ci.size() == 2 && ci[0].is_number() && ci[1].is_number())
      out_ << number(ci[0].get<double>()) << ',' << number(ci[1].get<double>());
    else
      out_ << ',';
    out_ << '\n';
  }
  std::string str() const { return out_.str(); }

 private:
  std::string run_;
  std::ostringstream out_;
};

const nlohmann::json& member(const nlohmann::json& j, const char* key) {
  static const nlohmann::json null;
  return j.is_object() && j.contains(key) ? j[key] : null;
}

}  // namespace

std::string metricsToCsv(const RunFolder& run) {
  const auto& m = run.metrics;
  CsvWriter w(run.name());
  w.add("overall", "", "n", member(m, "n"));
  w.add("overall", "", "wa", member(m, "wa"), member(m, "wa_ci95"));
  w.add("overall", "", "uar", member(m, "uar"), member(m, "uar_ci95"));
  w.add("overall", "", "macro_f1", member(m, "macro_f1"));
  if (member(m, "per_class").is_object())
    for (const auto& label : run.labels) {
      const auto& c = member(m["per_class"], label.c_str());
      for (const char* k : {"precision", "recall", "f1", "support"}) w.add("class", label, k, member(c, k));
    }
  if (member(m, "per_sex").is_object())
    for (const auto& [sex, s] : m["per_sex"].items()) {
      w.add("sex", sex, "n", member(s, "n"));
      w.add("sex", sex, "wa", member(s, "wa"), member(s, "wa_ci95"));
      w.add("sex", sex, "uar", member(s, "uar"), member(s, "uar_ci95"));
    }
  const auto& gap = member(m, "sex_gap");
  w.add("sex_gap", "", "female_minus_male_wa", member(gap, "female_minus_male_wa"), member(gap, "ci95"));
  if (member(m, "per_class_by_sex").is_object())
    for (const auto& [label, bySex] : m["per_class_by_sex"].items())
      if (bySex.is_object())
        for (const auto& [sex, recall] : bySex.items()) w.add("class_by_sex", label + "/" + sex, "recall", recall);
  for (const auto& [scope, name] : {std::pair{"per_speaker", "speaker"}, std::pair{"per_corpus", "corpus"}})
    if (member(m, scope).is_object())
      for (const auto& [group, g] : m[scope].items())
        for (const char* k : {"n", "wa", "uar"}) w.add(name, group, k, member(g, k));
  const auto confusion = run.confusion();
  for (std::size_t i = 0; i < run.labels.size(); ++i)
    for (std::size_t j = 0; j < run.labels.size(); ++j)
      w.add("confusion", run.labels[i] + "->" + run.labels[j], "count", confusion[i][j]);
  return w.str();
}

nlohmann::json metricsToJson(const RunFolder& run) {
  return {{"run", run.name()},
          {"path", run.path.string()},
          {"synthetic", run.synthetic()},
          {"config", run.config},
          {"metrics", run.metrics}};
}

std::string studyToCsv(const StudyTable& study) {
  std::ostringstream out;
  out << "experiment,model,train,test,protocol,wa,uar,run_dir\n";
  for (const auto& r : study.rows)
    out << csvField(r.experiment) << ',' << csvField(r.model) << ',' << csvField(r.train) << ','
        << csvField(r.test) << ',' << csvField(r.protocol) << ',' << number(r.wa) << ','
        << number(r.uar) << ',' << csvField(r.runDir) << '\n';
  return out.str();
}

nlohmann::json studyToJson(const StudyTable& study) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : study.rows)
    rows.push_back({{"experiment", r.experiment}, {"model", r.model}, {"train", r.train},
                    {"test", r.test}, {"protocol", r.protocol}, {"wa", r.wa}, {"uar", r.uar},
                    {"run_dir", r.runDir}});
  return {{"path", study.path.string()}, {"synthetic", study.synthetic}, {"rows", rows},
          {"skipped", study.skipped}};
}

}  // namespace ser
