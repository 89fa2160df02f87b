#include "core/runs/study_table.h"

#include <cmath>

#include <iomanip>
#include <sstream>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/json_text.h"
#include "core/metrics/percent.h"
#include "core/runs/run_record.h"

namespace ser {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json optionalJson(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string pct(double v) { return percentNumber(v); }
std::string pct(const std::optional<double>& v) { return v ? pct(*v) : "-"; }
std::string ci(const std::optional<Interval>& i) {
  return i ? " [" + pct(i->lo) + ", " + pct(i->hi) + "]" : std::string();
}

}  // namespace

fs::path StudyTable::runPath(const StudyRow& row) const {
  if (row.runDir.empty()) return {};
  const fs::path p(row.runDir);
  return p.is_absolute() ? p : path / p;
}

StudyRow studyRow(const std::string& id, const std::string& experiment, const std::string& train,
                  const std::string& test, const std::string& protocol, const RunRecord& run,
                  const fs::path& studyDir) {
  const MetricsReport& m = run.metrics;
  StudyRow r;
  r.id = id;
  r.experiment = experiment;
  r.model = run.model;
  r.train = train;
  r.test = test;
  r.protocol = protocol;
  r.speakerIndependent = run.split.speakerIndependent();
  r.n = m.overall.n;
  r.wa = m.overall.wa;
  r.uar = m.overall.uar;
  r.waCi95 = m.overall.waCi95;
  r.uarCi95 = m.overall.uarCi95;
  if (m.perSex.count(Sex::Male)) r.waMale = m.perSex.at(Sex::Male).wa;
  if (m.perSex.count(Sex::Female)) r.waFemale = m.perSex.at(Sex::Female).wa;
  if (m.sexGap) {
    r.sexGap = m.sexGap->femaleMinusMaleWa;
    r.sexGapCi95 = m.sexGap->ci95;
  }
  r.runDir = fs::relative(run.path, studyDir).string();
  return r;
}

json toJson(const StudyTable& study) {
  json rows = json::array();
  for (const StudyRow& r : study.rows) {
    json gap = nullptr;
    if (r.sexGap) gap = {{"female_minus_male_wa", *r.sexGap}, {"ci95", intervalJson(r.sexGapCi95)}};
    rows.push_back({{"id", r.id},
                    {"experiment", r.experiment},
                    {"model", r.model},
                    {"train", r.train},
                    {"test", r.test},
                    {"protocol", r.protocol},
                    {"speaker_independent", r.speakerIndependent},
                    {"n", r.n},
                    {"wa", r.wa},
                    {"uar", r.uar},
                    {"wa_ci95", intervalJson(r.waCi95)},
                    {"uar_ci95", intervalJson(r.uarCi95)},
                    {"wa_male", optionalJson(r.waMale)},
                    {"wa_female", optionalJson(r.waFemale)},
                    {"sex_gap", gap},
                    {"run_dir", r.runDir}});
  }
  return {{"rows", rows},           {"skipped", study.skipped}, {"synthetic", study.synthetic},
          {"ravdess", study.ravdess}, {"crema_d", study.cremaD}, {"seed", study.seed}};
}

std::string studyTableMarkdown(const StudyTable& study) {
  std::ostringstream os;
  os << "# SER Workbench: the study, reproduced\n\n";
  if (study.synthetic)
    os << "**SYNTHETIC demo data** (written by `serwb make-demo`): these figures say nothing "
          "about real speech.\n\n";
  os << "All rows use the common 6-class label set (neutral, happy, sad, angry, fearful, "
        "disgust). WA = accuracy, UAR = unweighted average recall, in %; 95% intervals in "
        "brackets come from a bootstrap over speakers (absent with fewer than 3 speakers). The "
        "random protocol mixes speakers across training and test (as the original study most "
        "likely did): its figures are optimistic. Row ids ending in r are random-split rows.\n\n";
  os << "| # | model | train | test | protocol | n | WA | UAR | WA male | WA female | "
        "female - male |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const StudyRow& r : study.rows) {
    const std::string gap = r.sexGap ? pct(*r.sexGap) + ci(r.sexGapCi95) : "-";
    os << "| " << r.id << " | " << r.model << " | " << r.train << " | " << r.test << " | "
       << r.protocol << (r.speakerIndependent ? "" : " (speakers leak)") << " | " << r.n << " | "
       << pct(r.wa) << ci(r.waCi95) << " | " << pct(r.uar) << ci(r.uarCi95) << " | "
       << pct(r.waMale) << " | " << pct(r.waFemale) << " | " << gap << " |\n";
  }
  if (!study.skipped.empty()) {
    os << "\nSkipped:\n";
    for (const auto& s : study.skipped) os << "- " << s << "\n";
  }
  return os.str();
}

bool isStudyFolder(const std::string& dir) { return fs::is_regular_file(fs::path(dir) / "table.json"); }

StudyTable loadStudy(const std::string& dir) {
  StudyTable study;
  study.path = dir;
  const fs::path file = study.path / "table.json";
  if (!fs::exists(file)) throw Error("Missing study file: " + file.string());
  json j;
  try {
    j = parseJson(readFile(file));
  } catch (const json::exception& e) {  // parse_error, and out_of_range for 1e999
    throw Error("Corrupt study file: " + file.string() + ": " + e.what());
  }
  auto corrupt = [&](const std::string& why) {
    return Error("Corrupt study file: " + file.string() + ": " + why);
  };
  if (!j.is_object() || !j.contains("rows") || !j["rows"].is_array())
    throw corrupt("'rows' must be an array");
  auto str = [](const json& o, const char* key) {
    if (!o.contains(key) || o[key].is_null()) return std::string();
    return o[key].is_string() ? o[key].get<std::string>() : o[key].dump();
  };
  auto optNumber = [&](const json& o, const char* key, const std::string& where) -> std::optional<double> {
    if (!o.contains(key) || o[key].is_null()) return std::nullopt;
    if (!o[key].is_number()) throw corrupt(where + ": '" + key + "' is not a number");
    return o[key].get<double>();
  };
  auto flag = [&](const json& o, const char* key, const std::string& where, bool fallback) {
    if (!o.contains(key) || o[key].is_null()) return fallback;
    if (!o[key].is_boolean()) throw corrupt(where + "'" + key + "' is not true or false");
    return o[key].get<bool>();
  };
  auto optInterval = [&](const json& o, const char* key, const std::string& where) {
    return intervalFromJson(o, key, "Corrupt study file: " + file.string() + ": " + where + ": ", key);
  };
  for (std::size_t i = 0; i < j["rows"].size(); ++i) {
    const json& r = j["rows"][i];
    if (!r.is_object()) throw corrupt("row " + std::to_string(i) + " is not an object");
    StudyRow row;
    row.experiment = str(r, "experiment");
    // Tables written before rows had ids: the random-split rows repeat the experiment numbers.
    row.id = r.contains("id") ? str(r, "id")
                              : row.experiment + (str(r, "protocol") == "random split" ? "r" : "");
    const std::string where = "row " + std::to_string(i) + " ('" + row.id + "')";
    row.model = str(r, "model");
    row.train = str(r, "train");
    row.test = str(r, "test");
    row.protocol = str(r, "protocol");
    row.speakerIndependent = flag(r, "speaker_independent", where + ": ", row.protocol != "random split");
    row.runDir = str(r, "run_dir");
    for (auto [key, field] : {std::pair{"wa", &row.wa}, std::pair{"uar", &row.uar}}) {
      const auto v = optNumber(r, key, where);
      if (!v) throw corrupt(where + ": '" + key + "' is not a number");
      *field = *v;
    }
    const double n = optNumber(r, "n", where).value_or(0.0);
    if (!(n >= 0.0 && n <= 9.0e15) || n != std::floor(n)) throw corrupt(where + ": 'n' is not a count");
    row.n = std::size_t(n);
    row.waCi95 = optInterval(r, "wa_ci95", where);
    row.uarCi95 = optInterval(r, "uar_ci95", where);
    row.waMale = optNumber(r, "wa_male", where);
    row.waFemale = optNumber(r, "wa_female", where);
    if (r.contains("sex_gap") && r["sex_gap"].is_object()) {
      row.sexGap = optNumber(r["sex_gap"], "female_minus_male_wa", where);
      row.sexGapCi95 = optInterval(r["sex_gap"], "ci95", where);
    }
    study.rows.push_back(std::move(row));
  }
  if (j.contains("skipped") && j["skipped"].is_array())
    for (const auto& s : j["skipped"]) study.skipped.push_back(s.is_string() ? s.get<std::string>() : s.dump());
  study.synthetic = flag(j, "synthetic", "", false);
  study.ravdess = str(j, "ravdess");
  study.cremaD = str(j, "crema_d");
  if (j.contains("seed") && j["seed"].is_number_unsigned()) study.seed = j["seed"].get<std::uint64_t>();
  return study;
}

}  // namespace ser
