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
std::string number(const std::optional<double>& v) { return v ? number(*v) : std::string(); }
std::string lo(const std::optional<Interval>& i) { return i ? number(i->lo) : std::string(); }
std::string hi(const std::optional<Interval>& i) { return i ? number(i->hi) : std::string(); }

class CsvWriter {
 public:
  explicit CsvWriter(std::string run) : run_(std::move(run)) {
    out_ << "run,scope,group,metric,value,ci95_lo,ci95_hi\n";
  }
  void add(const std::string& scope, const std::string& group, const std::string& metric,
           double value, const std::optional<Interval>& ci = std::nullopt) {
    out_ << csvField(run_) << ',' << csvField(scope) << ',' << csvField(group) << ','
         << csvField(metric) << ',' << number(value) << ',' << lo(ci) << ',' << hi(ci) << '\n';
  }
  void addGroup(const std::string& scope, const std::string& group, const GroupMetrics& m) {
    add(scope, group, "n", double(m.n));
    add(scope, group, "speakers", double(m.speakers));
    add(scope, group, "wa", m.wa, m.waCi95);
    add(scope, group, "uar", m.uar, m.uarCi95);
  }
  std::string str() const { return out_.str(); }

 private:
  std::string run_;
  std::ostringstream out_;
};

}  // namespace

std::string metricsToCsv(const RunRecord& run) {
  const MetricsReport& m = run.metrics;
  CsvWriter w(run.name());
  w.addGroup("overall", "", m.overall);
  w.add("overall", "", "macro_f1", m.macroF1);
  w.add("overall", "", "chance", m.chance());
  for (std::size_t c = 0; c < m.labels.size() && c < m.perClass.size(); ++c) {
    const ClassStats& s = m.perClass[c];
    w.add("class", m.labels[c], "precision", s.precision);
    w.add("class", m.labels[c], "recall", s.recall);
    w.add("class", m.labels[c], "f1", s.f1);
    w.add("class", m.labels[c], "support", double(s.support));
  }
  for (const auto& [sex, g] : m.perSex) w.addGroup("sex", toString(sex), g);
  if (m.sexGap) w.add("sex_gap", "", "female_minus_male_wa", m.sexGap->femaleMinusMaleWa, m.sexGap->ci95);
  for (std::size_t c = 0; c < m.labels.size() && c < m.perClassBySex.size(); ++c)
    for (const auto& [sex, recall] : m.perClassBySex[c])
      if (recall) w.add("class_by_sex", m.labels[c] + "/" + toString(sex), "recall", recall->recall, recall->ci95);
  for (const auto& [speaker, g] : m.perSpeaker) w.addGroup("speaker", speaker, g);
  for (const auto& [corpus, g] : m.perCorpus) w.addGroup("corpus", corpus, g);
  for (std::size_t i = 0; i < m.labels.size(); ++i)
    for (std::size_t j = 0; j < m.labels.size(); ++j)
      w.add("confusion", m.labels[i] + "->" + m.labels[j], "count", double(m.confusion[i][j]));
  return w.str();
}

nlohmann::json metricsToJson(const RunRecord& run) {
  return {{"run", run.name()},
          {"path", run.path.string()},
          {"synthetic", run.synthetic},
          {"config", run.config},
          {"metrics", metricsJson(run)}};
}

std::string studyToCsv(const StudyTable& study) {
  std::ostringstream out;
  out << "id,experiment,model,train,test,protocol,speaker_independent,n,wa,wa_ci95_lo,wa_ci95_hi,"
         "uar,uar_ci95_lo,uar_ci95_hi,wa_male,wa_female,female_minus_male_wa,gap_ci95_lo,"
         "gap_ci95_hi,run_dir\n";
  for (const StudyRow& r : study.rows)
    out << csvField(r.id) << ',' << csvField(r.experiment) << ',' << csvField(r.model) << ','
        << csvField(r.train) << ',' << csvField(r.test) << ',' << csvField(r.protocol) << ','
        << (r.speakerIndependent ? "true" : "false") << ',' << r.n << ',' << number(r.wa) << ','
        << lo(r.waCi95) << ',' << hi(r.waCi95) << ',' << number(r.uar) << ',' << lo(r.uarCi95)
        << ',' << hi(r.uarCi95) << ',' << number(r.waMale) << ',' << number(r.waFemale) << ','
        << number(r.sexGap) << ',' << lo(r.sexGapCi95) << ',' << hi(r.sexGapCi95) << ','
        << csvField(r.runDir) << '\n';
  return out.str();
}

nlohmann::json studyToJson(const StudyTable& study) {
  nlohmann::json j = toJson(study);
  j["path"] = study.path.string();
  return j;
}

}  // namespace ser
