#include "app/cli/run_summary.h"

#include <cstdio>
#include <string>

#include "core/base/text.h"
#include "core/metrics/percent.h"

namespace ser::cli {
namespace {

std::string percentCi(double v, const std::optional<Interval>& ci, std::size_t speakers) {
  if (ci) return percentText(v) + " [" + percentNumber(ci->lo) + ", " + percentNumber(ci->hi) + "]";
  return percentText(v) + " (no interval: " + std::to_string(speakers) + (speakers == 1 ? " speaker)" : " speakers)");
}

}  // namespace

std::string runSummaryText(const RunOutcome& outcome) {
  std::string out;
  if (!outcome.record) return "run folder: " + outcome.dir + "\n";
  const RunRecord& r = *outcome.record;
  const MetricsReport& m = r.metrics;
  char line[256];
  out += "test: WA " + percentCi(m.overall.wa, m.overall.waCi95, m.overall.speakers) + "  UAR " +
         percentCi(m.overall.uar, m.overall.uarCi95, m.overall.speakers);
  // macro-F1 as a percentage with its interval, as the GUI, the report and `compare` show it.
  std::snprintf(line, sizeof line, "  macro-F1 %s  (n = %zu clips, %zu speaker%s; chance %.1f%%)\n",
                percentCi(m.macroF1, m.macroF1Ci95, m.overall.speakers).c_str(), m.overall.n,
                m.overall.speakers, m.overall.speakers == 1 ? "" : "s", 100 * m.chance());
  out += line;
  for (Sex sex : {Sex::Male, Sex::Female}) {
    if (!m.perSex.count(sex)) continue;
    const GroupMetrics& g = m.perSex.at(sex);
    std::snprintf(line, sizeof line, "  %-6s WA %s  UAR %.1f%%  (n = %zu, %zu speaker%s)\n",
                  toString(sex).c_str(), percentCi(g.wa, g.waCi95, g.speakers).c_str(), 100 * g.uar,
                  g.n, g.speakers, g.speakers == 1 ? "" : "s");
    out += line;
  }
  if (m.sexGap) {
    if (m.sexGap->ci95)
      std::snprintf(line, sizeof line, "  female - male WA %+.1f points [%.1f, %.1f]\n",
                    100 * m.sexGap->femaleMinusMaleWa, 100 * m.sexGap->ci95->lo, 100 * m.sexGap->ci95->hi);
    else
      std::snprintf(line, sizeof line, "  female - male WA %+.1f points (no interval: too few speakers)\n",
                    100 * m.sexGap->femaleMinusMaleWa);
    out += line;
  }
  if (!r.split.known)
    out += "NOTE: the model does not record which speakers trained it: speaker independence "
           "cannot be checked.\n";
  else if (!r.split.speakerIndependent())
    out += "WARNING: " + std::to_string(r.split.testSpeakersSeen.size()) +
           " test speaker(s) were also in training (" + joinStrings(r.split.testSpeakersSeen) +
           "); these figures are optimistic.\n";
  if (r.synthetic) out += "(SYNTHETIC demo data)\n";
  out += "run folder: " + outcome.dir + "\n";
  return out;
}

nlohmann::json runSummaryJson(const RunOutcome& outcome) {
  nlohmann::json j = outcome.record ? metricsJson(*outcome.record) : nlohmann::json::object();
  j["run_dir"] = outcome.dir;
  j["cancelled"] = outcome.cancelled;
  if (!j.contains("checkpoint")) j["checkpoint"] = outcome.checkpoint;
  return j;
}

}  // namespace ser::cli
