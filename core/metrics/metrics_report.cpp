#include "core/metrics/metrics_report.h"

#include <cmath>
#include <random>
#include <set>
#include <string>

#include "core/base/error.h"

namespace ser {

namespace {

// The clips of one group, with their speakers' per-class counts for the speaker bootstrap.
struct Group {
  std::vector<int> truth;
  std::vector<int> pred;
  std::map<std::string, SpeakerCounts> bySpeaker;

  void add(const Prediction& p, std::size_t k) {
    truth.push_back(p.truth);
    pred.push_back(p.predicted);
    SpeakerCounts& s = bySpeaker[p.speaker];
    if (s.support.empty()) {
      s.support.assign(k, 0);
      s.correct.assign(k, 0);
    }
    ++s.support[std::size_t(p.truth)];
    if (p.truth == p.predicted) ++s.correct[std::size_t(p.truth)];
  }
  std::vector<SpeakerCounts> speakers() const {
    std::vector<SpeakerCounts> out;
    for (const auto& [id, counts] : bySpeaker) out.push_back(counts);
    return out;
  }
};

GroupMetrics pointMetrics(const Group& g, int numClasses) {
  GroupMetrics m;
  m.n = g.truth.size();
  m.speakers = g.bySpeaker.size();
  m.wa = weightedAccuracy(g.truth, g.pred);
  m.uar = unweightedAverageRecall(g.truth, g.pred, numClasses);
  return m;
}

// A stream of the one seed per group, so each group's resamples are independent and the same
// data always gives the same intervals.
BootstrapOptions withStream(const BootstrapOptions& base, const std::string& group) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : group) h = (h ^ c) * 1099511628211ull;
  BootstrapOptions o = base;
  o.seed = base.seed + 0x9E3779B97F4A7C15ull * h;
  return o;
}

// Speaker-bootstrap intervals of a group when it has enough speakers; the samples are returned
// for derived intervals (the sex gap, recall per class).
std::optional<ClusterSamples> addIntervals(GroupMetrics& m, const Group& g, int k,
                                           const MetricsReportOptions& options,
                                           const std::string& stream) {
  if (int(g.bySpeaker.size()) < options.minSpeakersForInterval) return std::nullopt;
  ClusterSamples s = clusterBootstrap(g.speakers(), k, withStream(options.bootstrap, stream));
  m.waCi95 = percentileInterval(s.wa, options.bootstrap.confidence);
  m.uarCi95 = percentileInterval(s.uar, options.bootstrap.confidence);
  return s;
}

// Macro-F1 under the speaker bootstrap: each resample draws the group's speakers with
// replacement and pools their confusion matrices (F1 needs the predicted counts, which the
// WA/UAR bootstrap does not keep).
std::optional<Interval> macroF1Interval(const std::vector<Prediction>& predictions, int k,
                                        const MetricsReportOptions& options) {
  std::map<std::string, ConfusionMatrix> bySpeaker;
  for (const Prediction& p : predictions) {
    ConfusionMatrix& m = bySpeaker[p.speaker];
    if (m.empty()) m.assign(std::size_t(k), std::vector<std::size_t>(std::size_t(k), 0));
    ++m[std::size_t(p.truth)][std::size_t(p.predicted)];
  }
  if (int(bySpeaker.size()) < options.minSpeakersForInterval) return std::nullopt;
  std::vector<const ConfusionMatrix*> speakers;
  for (const auto& [id, m] : bySpeaker) speakers.push_back(&m);
  const BootstrapOptions o = withStream(options.bootstrap, "overall:macro_f1");
  std::mt19937_64 rng(o.seed);
  const std::size_t n = speakers.size(), uk = std::size_t(k);
  std::vector<double> values;
  values.reserve(std::size_t(o.resamples));
  ConfusionMatrix pooled(uk, std::vector<std::size_t>(uk, 0));
  for (int r = 0; r < o.resamples; ++r) {
    for (auto& row : pooled) std::fill(row.begin(), row.end(), 0);
    for (std::size_t j = 0; j < n; ++j) {
      const ConfusionMatrix& m = *speakers[std::size_t(rng() % n)];  // portable modulo draw
      for (std::size_t a = 0; a < uk; ++a)
        for (std::size_t b = 0; b < uk; ++b) pooled[a][b] += m[a][b];
    }
    values.push_back(macroF1(classStats(pooled)));
  }
  return percentileInterval(std::move(values), o.confidence);
}

}  // namespace

void MetricsReportOptions::validate() const {
  bootstrap.validate();
  checkRangeInt("min_speakers_for_interval", minSpeakersForInterval, 2, 1000);
}

MetricsReport computeReport(const std::vector<Prediction>& predictions,
                            const std::vector<std::string>& labels, const MetricsReportOptions& options) {
  options.validate();
  if (predictions.empty()) throw Error("metrics report: no predictions to evaluate");
  if (labels.empty()) throw Error("metrics report: the label list is empty");
  const int k = int(labels.size());
  const std::size_t uk = labels.size();

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
    all.add(p, uk);
    if (p.sex == Sex::Male || p.sex == Sex::Female) bySex[p.sex].add(p, uk);
    bySpeaker[p.speaker].add(p, uk);
    byCorpus[p.corpus].add(p, uk);
  }

  r.overall = pointMetrics(all, k);
  addIntervals(r.overall, all, k, options, "overall");
  r.confusion = confusionMatrix(all.truth, all.pred, k);
  r.perClass = classStats(r.confusion);
  r.macroF1 = macroF1(r.perClass);
  r.macroF1Ci95 = macroF1Interval(predictions, k, options);

  r.perClassBySex.assign(uk, {});
  std::map<Sex, std::optional<ClusterSamples>> sexSamples;
  for (auto& [sex, g] : bySex) {
    GroupMetrics m = pointMetrics(g, k);
    sexSamples[sex] = addIntervals(m, g, k, options, "sex:" + toString(sex));
    r.perSex[sex] = m;

    const ConfusionMatrix confusion = confusionMatrix(g.truth, g.pred, k);
    const std::vector<ClassStats> stats = classStats(confusion);
    for (std::size_t c = 0; c < uk; ++c) {
      if (stats[c].support == 0) {
        r.perClassBySex[c][sex] = std::nullopt;
        continue;
      }
      ClassRecall cr;
      cr.recall = stats[c].recall;
      cr.n = stats[c].support;
      for (const auto& [id, counts] : g.bySpeaker)
        if (counts.support[c] > 0) ++cr.speakers;
      // The class's own speakers: a speaker without clips of the class says nothing about it.
      if (int(cr.speakers) >= options.minSpeakersForInterval && sexSamples[sex])
        cr.ci95 = percentileInterval(sexSamples[sex]->recall[c], options.bootstrap.confidence);
      r.perClassBySex[c][sex] = cr;
    }
  }
  if (r.perSex.count(Sex::Male) && r.perSex.count(Sex::Female)) {
    SexGap gap;
    gap.femaleMinusMaleWa = r.perSex[Sex::Female].wa - r.perSex[Sex::Male].wa;
    // Each sex's speakers were resampled from its own stream, so pairing the i-th resample of
    // each gives a bootstrap sample of the difference.
    if (sexSamples[Sex::Female] && sexSamples[Sex::Male]) {
      const std::vector<double>& f = sexSamples[Sex::Female]->wa;
      const std::vector<double>& m = sexSamples[Sex::Male]->wa;
      std::vector<double> diff(f.size());
      for (std::size_t i = 0; i < f.size(); ++i) diff[i] = f[i] - m[i];
      gap.ci95 = percentileInterval(std::move(diff), options.bootstrap.confidence);
    }
    r.sexGap = gap;
  }

  for (const auto& [speaker, g] : bySpeaker) {
    GroupMetrics m = pointMetrics(g, k);
    std::size_t hits = 0;
    for (std::size_t i = 0; i < g.truth.size(); ++i) hits += g.truth[i] == g.pred[i] ? 1 : 0;
    m.waCi95 = wilsonInterval(hits, g.truth.size(), options.bootstrap.confidence);
    r.perSpeaker[speaker] = m;
  }
  for (const auto& [corpus, g] : byCorpus) {
    GroupMetrics m = pointMetrics(g, k);
    addIntervals(m, g, k, options, "corpus:" + corpus);
    r.perCorpus[corpus] = m;
  }
  return r;
}

}  // namespace ser
