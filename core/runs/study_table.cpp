#include "core/runs/study_table.h"

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/json_text.h"

namespace ser {
namespace fs = std::filesystem;

fs::path StudyTable::runPath(const StudyRow& row) const {
  if (row.runDir.empty()) return {};
  const fs::path p(row.runDir);
  return p.is_absolute() ? p : path / p;
}

bool isStudyFolder(const std::string& dir) { return fs::is_regular_file(fs::path(dir) / "table.json"); }

StudyTable loadStudy(const std::string& dir) {
  StudyTable study;
  study.path = dir;
  const fs::path file = study.path / "table.json";
  if (!fs::exists(file)) throw Error("Missing study file: " + file.string());
  nlohmann::json j;
  try {
    j = parseJson(readFile(file));
  } catch (const nlohmann::json::parse_error& e) {
    throw Error("Corrupt study file: " + file.string() + ": " + e.what());
  }
  auto corrupt = [&](const std::string& why) {
    return Error("Corrupt study file: " + file.string() + ": " + why);
  };
  if (!j.is_object() || !j.contains("rows") || !j["rows"].is_array())
    throw corrupt("'rows' must be an array");
  auto str = [](const nlohmann::json& o, const char* key) {
    if (!o.contains(key) || o[key].is_null()) return std::string();
    return o[key].is_string() ? o[key].get<std::string>() : o[key].dump();
  };
  for (std::size_t i = 0; i < j["rows"].size(); ++i) {
    const auto& r = j["rows"][i];
    if (!r.is_object()) throw corrupt("row " + std::to_string(i) + " is not an object");
    StudyRow row;
    row.experiment = str(r, "experiment");
    row.model = str(r, "model");
    row.train = str(r, "train");
    row.test = str(r, "test");
    row.protocol = str(r, "protocol");
    row.runDir = str(r, "run_dir");
    for (auto [key, field] : {std::pair{"wa", &row.wa}, std::pair{"uar", &row.uar}}) {
      if (!r.contains(key) || !r[key].is_number())
        throw corrupt("row " + std::to_string(i) + " ('" + row.experiment + "'): '" + key +
                      "' is not a number");
      *field = r[key].get<double>();
    }
    study.rows.push_back(std::move(row));
  }
  if (j.contains("skipped") && j["skipped"].is_array())
    for (const auto& s : j["skipped"]) study.skipped.push_back(s.is_string() ? s.get<std::string>() : s.dump());
  study.synthetic = j.value("synthetic", false);
  return study;
}

}  // namespace ser
