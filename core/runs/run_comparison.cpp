#include "core/runs/run_comparison.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/base/error.h"
#include "core/base/text.h"
#include "core/metrics/percent.h"
#include "core/runs/run_record.h"

namespace ser {
namespace {

ComparedRun comparedRun(const RunRecord& r) {
  ComparedRun c;
  c.name = r.name();
  c.path = r.path.string();
  c.model = r.model;
  c.trainCorpora = r.split.trainCorpora;
  c.testCorpora = r.split.testCorpora;
  c.protocol = r.split.known ? r.split.protocol : "";
  c.speakerIndependent = r.split.speakerIndependent();
  const GroupMetrics& o = r.metrics.overall;
  c.n = o.n;
  c.speakers = o.speakers;
  c.wa = o.wa;
  c.uar = o.uar;
  c.macroF1 = r.metrics.macroF1;
  c.waCi95 = o.waCi95;
  c.uarCi95 = o.uarCi95;
  c.macroF1Ci95 = r.metrics.macroF1Ci95;
  return c;
}

void flatten(const nlohmann::json& j, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& out) {
  if (j.is_object() && !j.empty()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
  } else if (j.is_array() && !j.empty() && (j.front().is_object() || j.front().is_array())) {
    for (std::size_t i = 0; i < j.size(); ++i) flatten(j[i], prefix + "[" + std::to_string(i) + "]", out);
  } else {
    // Scalars, empty containers and arrays of scalars ("channels": [16, 32, 64]) are one value.
    out.emplace_back(prefix, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

// resolved.provenance repeats resolved.split's corpora and speakers for the SVM (whose evaluate
// reads it beside model.svm; a network keeps it in its checkpoint): not a setting, and a
// difference there is already a difference in resolved.split.
bool isRepeatedRecord(const std::string& key) {
  static const std::string kProvenance = "resolved.provenance";
  return key.compare(0, kProvenance.size(), kProvenance) == 0 &&
         (key.size() == kProvenance.size() || key[kProvenance.size()] == '.');
}

std::vector<ConfigDifference> configDiff(const std::vector<RunRecord>& runs) {
  std::map<std::string, std::vector<std::optional<std::string>>> byKey;
  for (std::size_t i = 0; i < runs.size(); ++i)
    for (auto& [key, value] : flattenConfig(runs[i].config)) {
      if (isRepeatedRecord(key)) continue;
      auto& values = byKey[key];
      values.resize(runs.size());
      values[i] = value;
    }
  std::vector<ConfigDifference> out;
  for (auto& entry : byKey) {
    std::vector<std::optional<std::string>>& values = entry.second;  // (C++17: no lambda capture of a binding)
    values.resize(runs.size());
    const std::optional<std::string>& first = values.front();
    const bool same = std::all_of(values.begin(), values.end(),
                                  [&first](const std::optional<std::string>& v) { return v == first; });
    if (!same) out.push_back({entry.first, values});
  }
  return out;
}

std::string clipKey(const Prediction& p) { return p.corpus + "\n" + p.path; }

// The clips of a run by identity; false (with `why`) when a clip appears twice.
bool clipsByKey(const RunRecord& r, std::map<std::string, const Prediction*>& out, std::string& why) {
  for (const Prediction& p : r.predictions)
    if (!out.emplace(clipKey(p), &p).second) {
      why = r.name() + " lists the test clip " + p.path + " twice";
      return false;
    }
  return true;
}

std::string clipCount(std::size_t n) { return std::to_string(n) + (n == 1 ? " clip" : " clips"); }

PairedComparison pairRuns(const std::vector<RunRecord>& runs, std::size_t ia, std::size_t ib,
                          const ComparisonOptions& options) {
  const RunRecord& a = runs[ia];
  const RunRecord& b = runs[ib];
  PairedComparison out;
  out.a = ia;
  out.b = ib;
  std::set<std::string> labelsA(a.labels().begin(), a.labels().end());
  std::set<std::string> labelsB(b.labels().begin(), b.labels().end());
  if (labelsA != labelsB) {
    out.reason = "the runs use different label sets (" + joinStrings(a.labels()) + " / " +
                 joinStrings(b.labels()) + "): no paired figure";
    return out;
  }
  std::map<std::string, const Prediction*> clipsA, clipsB;
  if (!clipsByKey(a, clipsA, out.reason) || !clipsByKey(b, clipsB, out.reason)) return out;
  std::size_t common = 0;
  for (const auto& [key, p] : clipsA) common += clipsB.count(key);
  if (common != clipsA.size() || common != clipsB.size()) {
    out.reason = "the runs were not tested on the same clips (" + std::to_string(common) +
                 " in common; " + clipCount(clipsA.size() - common) + " only in " + a.name() + ", " +
                 clipCount(clipsB.size() - common) + " only in " + b.name() + "): no paired figure";
    return out;
  }
  if (common == 0) {
    out.reason = "the runs have no test clips: no paired figure";
    return out;
  }
  // Counts per speaker in a's label order; b's indices are mapped through the label names.
  const std::size_t k = a.labels().size();
  std::vector<int> bToA(b.labels().size());
  for (std::size_t i = 0; i < b.labels().size(); ++i)
    bToA[i] = int(std::find(a.labels().begin(), a.labels().end(), b.labels()[i]) - a.labels().begin());
  std::map<std::string, std::size_t> speakerIndex;
  std::vector<SpeakerCounts> countsA, countsB;
  std::size_t hitsA = 0, hitsB = 0;
  std::vector<std::size_t> support(k), correctA(k), correctB(k);
  for (const auto& [key, pa] : clipsA) {
    const Prediction* pb = clipsB.at(key);
    const int truthB = pb->truth >= 0 && std::size_t(pb->truth) < bToA.size() ? bToA[std::size_t(pb->truth)] : -1;
    if (pa->truth < 0 || std::size_t(pa->truth) >= k || truthB != pa->truth) {
      out.reason = "the clip " + pa->path + " has a different true label in " + a.name() + " and " +
                   b.name() + ": no paired figure";
      return out;
    }
    const int predB = pb->predicted >= 0 && std::size_t(pb->predicted) < bToA.size()
                          ? bToA[std::size_t(pb->predicted)] : -1;
    const std::size_t t = std::size_t(pa->truth);
    const auto [it, added] = speakerIndex.emplace(pa->corpus + "/" + pa->speaker, countsA.size());
    if (added) {
      countsA.push_back({std::vector<std::size_t>(k), std::vector<std::size_t>(k)});
      countsB.push_back({std::vector<std::size_t>(k), std::vector<std::size_t>(k)});
    }
    SpeakerCounts& ca = countsA[it->second];
    SpeakerCounts& cb = countsB[it->second];
    ++ca.support[t];
    ++cb.support[t];
    ++support[t];
    if (pa->predicted == pa->truth) ++ca.correct[t], ++correctA[t], ++hitsA;
    if (predB == pa->truth) ++cb.correct[t], ++correctB[t], ++hitsB;
  }
  out.paired = true;
  out.clips = common;
  out.speakers = countsA.size();
  double uarA = 0.0, uarB = 0.0;
  std::size_t present = 0;
  for (std::size_t c = 0; c < k; ++c) {
    if (!support[c]) continue;
    uarA += double(correctA[c]) / double(support[c]);
    uarB += double(correctB[c]) / double(support[c]);
    ++present;
  }
  out.uarDifference = (uarB - uarA) / double(present);
  out.waDifference = (double(hitsB) - double(hitsA)) / double(common);
  if (out.speakers < std::size_t(options.minSpeakersForInterval)) {
    out.reason = "no interval: " + std::to_string(out.speakers) + " speaker" +
                 (out.speakers == 1 ? "" : "s") + " (an interval needs " +
                 std::to_string(options.minSpeakersForInterval) + ")";
    return out;
  }
  const PairedClusterSamples s = pairedClusterBootstrap(countsA, countsB, int(k), options.bootstrap);
  std::vector<double> dUar(s.a.uar.size()), dWa(s.a.wa.size());
  for (std::size_t r = 0; r < dUar.size(); ++r) {
    dUar[r] = s.b.uar[r] - s.a.uar[r];
    dWa[r] = s.b.wa[r] - s.a.wa[r];
  }
  out.uarCi95 = percentileInterval(std::move(dUar), options.bootstrap.confidence);
  out.waCi95 = percentileInterval(std::move(dWa), options.bootstrap.confidence);
  return out;
}

std::string percentCi(double v, const std::optional<Interval>& ci) {
  if (!ci) return percentText(v) + " (no interval)";
  return percentText(v) + " [" + percentNumber(ci->lo) + ", " + percentNumber(ci->hi) + "]";
}

std::string points(double v, const std::optional<Interval>& ci) {
  std::string s = pointsNumber(v) + " points";
  if (ci) s += " [" + pointsNumber(ci->lo) + ", " + pointsNumber(ci->hi) + "]";
  return s;
}

std::string corporaText(const ComparedRun& r) {
  const std::string train = r.trainCorpora.empty() ? "?" : joinStrings(r.trainCorpora, "+");
  const std::string test = r.testCorpora.empty() ? "?" : joinStrings(r.testCorpora, "+");
  return train == test ? train : train + " -> " + test;
}

}  // namespace

void ComparisonOptions::validate() const {
  bootstrap.validate();
  checkRangeInt("min_speakers_for_interval", minSpeakersForInterval, 2, 1000);
}

std::vector<std::pair<std::string, std::string>> flattenConfig(const nlohmann::json& config) {
  std::vector<std::pair<std::string, std::string>> out;
  if (config.is_object()) flatten(config, "", out);
  return out;
}

RunComparison compareRuns(const std::vector<RunRecord>& runs, const ComparisonOptions& options) {
  options.validate();
  RunComparison out;
  for (const RunRecord& r : runs) out.runs.push_back(comparedRun(r));
  out.configDiff = configDiff(runs);
  for (std::size_t a = 0; a < runs.size(); ++a)
    for (std::size_t b = a + 1; b < runs.size(); ++b) out.pairs.push_back(pairRuns(runs, a, b, options));
  return out;
}

nlohmann::json toJson(const RunComparison& c) {
  nlohmann::json runs = nlohmann::json::array();
  for (const ComparedRun& r : c.runs)
    runs.push_back({{"name", r.name},
                    {"path", r.path},
                    {"model", r.model},
                    {"train_corpora", r.trainCorpora},
                    {"test_corpora", r.testCorpora},
                    {"protocol", r.protocol},
                    {"speaker_independent", r.speakerIndependent},
                    {"n", r.n},
                    {"speakers", r.speakers},
                    {"wa", r.wa},
                    {"wa_ci95", intervalJson(r.waCi95)},
                    {"uar", r.uar},
                    {"uar_ci95", intervalJson(r.uarCi95)},
                    {"macro_f1", r.macroF1},
                    {"macro_f1_ci95", intervalJson(r.macroF1Ci95)}});
  nlohmann::json diff = nlohmann::json::array();
  for (const ConfigDifference& d : c.configDiff) {
    nlohmann::json values = nlohmann::json::array();
    for (const auto& v : d.values) values.push_back(v ? nlohmann::json(*v) : nlohmann::json(nullptr));
    diff.push_back({{"key", d.key}, {"values", values}});
  }
  nlohmann::json pairs = nlohmann::json::array();
  for (const PairedComparison& p : c.pairs) {
    nlohmann::json j = {{"a", c.runs[p.a].name}, {"b", c.runs[p.b].name}, {"paired", p.paired}};
    if (!p.reason.empty()) j["note"] = p.reason;
    if (p.paired) {
      j["clips"] = p.clips;
      j["speakers"] = p.speakers;
      j["uar_difference"] = p.uarDifference;
      j["uar_difference_ci95"] = intervalJson(p.uarCi95);
      j["wa_difference"] = p.waDifference;
      j["wa_difference_ci95"] = intervalJson(p.waCi95);
    }
    pairs.push_back(j);
  }
  return {{"runs", runs}, {"config_diff", diff}, {"pairs", pairs}};
}

std::string comparisonText(const RunComparison& c) {
  std::string out;
  char line[512];
  out += "Runs (WA and UAR with 95% speaker-bootstrap intervals):\n";
  for (std::size_t i = 0; i < c.runs.size(); ++i) {
    const ComparedRun& r = c.runs[i];
    std::snprintf(line, sizeof line, "  [%zu] %s  %s  %s  %s%s\n", i + 1, r.name.c_str(), r.model.c_str(),
                  corporaText(r).c_str(), r.protocol.empty() ? "protocol unknown" : r.protocol.c_str(),
                  r.speakerIndependent ? "" : " (test speakers also trained)");
    out += line;
    std::snprintf(line, sizeof line, "      WA %s  UAR %s  macro-F1 %s  (n = %zu clips, %zu speakers)\n",
                  percentCi(r.wa, r.waCi95).c_str(), percentCi(r.uar, r.uarCi95).c_str(),
                  percentCi(r.macroF1, r.macroF1Ci95).c_str(), r.n, r.speakers);
    out += line;
  }
  if (c.runs.size() > 1) {
    if (c.configDiff.empty()) {
      out += "Configuration: the same in every run\n";
    } else {
      out += "Configuration keys that differ:\n";
      for (const ConfigDifference& d : c.configDiff) {
        out += "  " + d.key + ":";
        for (std::size_t i = 0; i < d.values.size(); ++i)
          out += "  [" + std::to_string(i + 1) + "] " + (d.values[i] ? *d.values[i] : std::string("(absent)"));
        out += "\n";
      }
    }
  }
  if (!c.pairs.empty()) out += "Paired differences (later minus earlier, speakers resampled jointly):\n";
  for (const PairedComparison& p : c.pairs) {
    out += "  [" + std::to_string(p.b + 1) + "] - [" + std::to_string(p.a + 1) + "]: ";
    if (!p.paired) {
      out += p.reason + "\n";
      continue;
    }
    out += "UAR " + points(p.uarDifference, p.uarCi95) + ", WA " + points(p.waDifference, p.waCi95) + "  (" +
           clipCount(p.clips) + ", " + std::to_string(p.speakers) + " speakers)";
    if (!p.uarCi95)
      out += "; " + p.reason;
    else
      out += p.uarDifferenceExcludesZero() ? "; the UAR interval excludes 0"
                                           : "; the UAR interval includes 0: no clear difference";
    out += "\n";
  }
  return out;
}

}  // namespace ser
