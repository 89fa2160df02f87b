#include "core/metrics/metrics_report.h"

#include <cmath>
#include <string>

#include "core/base/error.h"

namespace ser {

namespace {

struct Group {
  std::vector<int> truth;
  std::vector<int> pred;
  void add(const Prediction& p) {
    truth.push_back(p.truth);
    pred.push_back(p.predicted);
  }
};

GroupMetrics pointMetrics(const Group& g, int numClasses) {
  GroupMetrics m;
  m.n = g.truth.size();
  m.wa = weightedAccuracy(g.truth, g.pred);
  m.uar = unweightedAverageRecall(g.truth, g.pred, numClasses);
  return m;
}

// Streams for the independent bootstraps of one report, derived from the one seed.
BootstrapOptions withStream(const BootstrapOptions& base, std::uint64_t stream) {
  BootstrapOptions o = base;
  o.seed = base.seed + 0x9E3779B97F4A7C15ull * stream;
  return o;
}

nlohmann::json intervalJson(const Interval& i) { return nlohmann::json::array({i.lo, i.hi}); }

}  // namespace

MetricsReport computeReport(const std::vector<Prediction>& predictions,
                            const std::vector<std::string>& labels, const ReportOptions& options) {
  options.validate();
  if (predictions.empty()) throw Error("metrics report: no predictions to evaluate");
  if (labels.empty()) throw Error("metrics report: the label list is empty");
  const int k = int(labels.size());

  MetricsReport r;
  r.labels = labels;
  Group all;
  std::map<Sex, Group> bySex;
  std::map<std::string, Group> bySpeaker, byCorpus;
  for (const Prediction& p : predictions) {
    if (p.truth < 0 || p.truth >= k || p.predicted < 0 || p.predicted >= k)
      throw Error("metrics report: clip '" + p.path + "' has class index " +
                  std::to_string(p.truth) + " -> " + std::to_string(p.predicted) +
                  " outside the " + std::to_string(k) + " labels");
    for (float v : p.probabilities)
      if (!std::isfinite(v))
        throw Error("metrics report: clip '" + p.path +
                    "' has a probability that is not a finite number; refusing to compute "
                    "metrics from it");
    all.add(p);
    if (p.sex == Sex::Male || p.sex == Sex::Female) bySex[p.sex].add(p);
    bySpeaker[p.speaker].add(p);
    byCorpus[p.corpus].add(p);
  }

  r.overall = pointMetrics(all, k);
  const WaUarIntervals ci = bootstrapWaUarIntervals(all.truth, all.pred, k, options.bootstrap);
  r.overall.waCi95 = ci.wa;
  r.overall.uarCi95 = ci.uar;
  r.confusion = confusionMatrix(all.truth, all.pred, k);
  r.perClass = classStats(r.confusion);
  r.macroF1 = macroF1(r.perClass);

  std::map<Sex, std::vector<double>> sexWaSamples;
  for (auto& [sex, g] : bySex) {
    GroupMetrics m = pointMetrics(g, k);
    BootstrapSamples s = bootstrapWaUar(g.truth, g.pred, k,
                                        withStream(options.bootstrap, sex == Sex::Male ? 1 : 2));
    m.waCi95 = percentileInterval(s.wa, options.bootstrap.confidence);
    m.uarCi95 = percentileInterval(s.uar, options.bootstrap.confidence);
    sexWaSamples[sex] = std::move(s.wa);
    r.perSex[sex] = m;
  }
  if (r.perSex.count(Sex::Male) && r.perSex.count(Sex::Female)) {
    // The two sexes were resampled from independent streams, so pairing the i-th resample of
    // each gives a bootstrap sample of the difference.
    const std::vector<double>& f = sexWaSamples[Sex::Female];
    const std::vector<double>& m = sexWaSamples[Sex::Male];
    std::vector<double> diff(f.size());
    for (std::size_t i = 0; i < f.size(); ++i) diff[i] = f[i] - m[i];
    SexGap gap;
    gap.femaleMinusMaleWa = r.perSex[Sex::Female].wa - r.perSex[Sex::Male].wa;
    gap.ci95 = percentileInterval(std::move(diff), options.bootstrap.confidence);
    r.sexGap = gap;
  }

  for (const auto& [speaker, g] : bySpeaker) r.perSpeaker[speaker] = pointMetrics(g, k);
  for (const auto& [corpus, g] : byCorpus) r.perCorpus[corpus] = pointMetrics(g, k);

  r.perClassBySex.assign(std::size_t(k), {});
  for (const auto& [sex, g] : bySex) {
    const std::vector<ClassStats> stats = classStats(confusionMatrix(g.truth, g.pred, k));
    for (int c = 0; c < k; ++c) {
      const ClassStats& s = stats[std::size_t(c)];
      r.perClassBySex[std::size_t(c)][sex] =
          s.support > 0 ? std::optional<double>(s.recall) : std::nullopt;
    }
  }
  return r;
}

nlohmann::json toJson(const MetricsReport& r) {
  using nlohmann::json;
  json j;
  j["labels"] = r.labels;
  j["n"] = r.overall.n;
  j["wa"] = r.overall.wa;
  j["uar"] = r.overall.uar;
  j["wa_ci95"] = intervalJson(r.overall.waCi95);
  j["uar_ci95"] = intervalJson(r.overall.uarCi95);
  j["macro_f1"] = r.macroF1;
  j["confusion"] = r.confusion;

  json perClass = json::object();
  for (std::size_t c = 0; c < r.labels.size() && c < r.perClass.size(); ++c) {
    const ClassStats& s = r.perClass[c];
    perClass[r.labels[c]] = {{"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1},
                             {"support", s.support}};
  }
  j["per_class"] = perClass;

  json perSex = json::object();
  for (const auto& [sex, m] : r.perSex)
    perSex[toString(sex)] = {{"n", m.n},
                             {"wa", m.wa},
                             {"uar", m.uar},
                             {"wa_ci95", intervalJson(m.waCi95)},
                             {"uar_ci95", intervalJson(m.uarCi95)}};
  j["per_sex"] = perSex;

  if (r.sexGap)
    j["sex_gap"] = {{"female_minus_male_wa", r.sexGap->femaleMinusMaleWa},
                    {"ci95", intervalJson(r.sexGap->ci95)}};
  else
    j["sex_gap"] = nullptr;

  json perSpeaker = json::object();
  for (const auto& [speaker, m] : r.perSpeaker) perSpeaker[speaker] = {{"n", m.n}, {"wa", m.wa}};
  j["per_speaker"] = perSpeaker;

  json perCorpus = json::object();
  for (const auto& [corpus, m] : r.perCorpus)
    perCorpus[corpus] = {{"n", m.n}, {"wa", m.wa}, {"uar", m.uar}};
  j["per_corpus"] = perCorpus;

  json bySex = json::object();
  for (std::size_t c = 0; c < r.labels.size() && c < r.perClassBySex.size(); ++c) {
    json entry = json::object();
    for (const auto& [sex, recall] : r.perClassBySex[c])
      entry[toString(sex)] = recall ? json(*recall) : json(nullptr);
    bySex[r.labels[c]] = entry;
  }
  j["per_class_by_sex"] = bySex;
  return j;
}

}  // namespace ser
