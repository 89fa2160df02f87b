#include "core/runs/run_folder.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/base/atomic_file.h"
#include "core/base/csv.h"
#include "core/base/error.h"
#include "core/base/json_text.h"
#include "core/base/text.h"
#include "core/corpus/clip.h"
#include "core/metrics/predictions_csv.h"

namespace ser {
namespace {

namespace fs = std::filesystem;

nlohmann::json readJson(const fs::path& file) {
  if (!fs::exists(file)) throw Error("Missing run file: " + file.string());
  const std::string text = readFile(file);
  try {
    return parseJson(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error("Corrupt run file: " + file.string() + ": " + e.what());
  }
}

// `row` is the record's 1-based line (the header is row 1).
double toNumber(const std::string& text, const fs::path& file, std::size_t row,
                const std::string& column) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (text.empty() || end == begin || *end != '\0')
    throw Error("Corrupt run file: " + file.string() + ": row " + std::to_string(row) +
                ", column '" + column + "': '" + text + "' is not a number");
  return v;
}

// The CSV file as a rectangular table; parse errors become "Corrupt run file: <path>: ...".
CsvTable readRunCsv(const fs::path& file) {
  const std::string text = readFile(file);
  try {
    return parseCsv(text, file.string());
  } catch (const Error& e) {
    throw Error(std::string("Corrupt run file: ") + e.what());
  }
}

void validateMetrics(const nlohmann::json& m, const fs::path& file, std::vector<std::string>& labels) {
  auto corrupt = [&](const std::string& why) {
    return Error("Corrupt run file: " + file.string() + ": " + why);
  };
  if (!m.is_object()) throw corrupt("not a JSON object");
  if (!m.contains("labels") || !m["labels"].is_array() || m["labels"].empty())
    throw corrupt("'labels' must be a non-empty array");
  for (const auto& l : m["labels"]) {
    if (!l.is_string()) throw corrupt("'labels' must hold strings");
    labels.push_back(l.get<std::string>());
  }
  for (const char* key : {"wa", "uar"})
    if (m.contains(key) && !m[key].is_number()) throw corrupt(std::string("'") + key + "' is not a number");
  if (m.contains("confusion")) {
    const auto& c = m["confusion"];
    if (!c.is_array() || c.size() != labels.size())
      throw corrupt("'confusion' must have one row per label (" + std::to_string(labels.size()) + ")");
    for (const auto& row : c) {
      if (!row.is_array() || row.size() != labels.size())
        throw corrupt("'confusion' must be " + std::to_string(labels.size()) + " x " +
                      std::to_string(labels.size()));
      for (const auto& v : row)
        if (!v.is_number() || v.get<double>() < 0) throw corrupt("'confusion' holds a non-count");
    }
  }
}

// A probability as written: predictions.csv holds floats in shortest round-trip form, so printing
// the float that way and reading the text as a double gives the written decimal (0.56, not
// 0.56000000238...).
double writtenValue(float v) {
  char buf[32];
  const auto printed = std::to_chars(buf, buf + sizeof buf, v);
  double out = 0.0;
  std::from_chars(buf, printed.ptr, out);
  return out;
}

// predictions.csv through ser::readPredictionsCsv, whose errors become "Corrupt run file: <path>:
// ...". Its p_<label> columns must be metrics.json's labels, in the same order.
std::vector<PredictionRow> readPredictions(const fs::path& file, const std::vector<std::string>& labels) {
  if (!fs::exists(file)) throw Error("Missing run file: " + file.string());
  PredictionTable table;
  try {
    table = readPredictionsCsv(file);
  } catch (const Error& e) {
    throw Error(std::string("Corrupt run file: ") + e.what());
  }
  if (table.labels != labels)
    throw Error("Corrupt run file: " + file.string() + ": the p_<label> columns (" +
                joinStrings(table.labels) + ") are not the labels of metrics.json (" + joinStrings(labels) +
                "), in that order");

  std::vector<PredictionRow> out;
  out.reserve(table.predictions.size());
  for (Prediction& p : table.predictions) {
    PredictionRow row;
    row.path = std::move(p.path);
    row.corpus = std::move(p.corpus);
    row.speaker = std::move(p.speaker);
    row.sex = p.sex == Sex::Unknown ? std::string() : toString(p.sex);
    row.trueLabel = labels[std::size_t(p.truth)];
    row.predicted = labels[std::size_t(p.predicted)];
    if (p.probabilities.empty())
      row.probabilities.assign(labels.size(), std::nan(""));
    else
      for (float v : p.probabilities) row.probabilities.push_back(writtenValue(v));
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<CurvePoint> readCurves(const fs::path& file) {
  std::vector<CurvePoint> out;
  if (!fs::exists(file)) return out;
  const CsvTable t = readRunCsv(file);
  const int cEpoch = t.column("epoch");
  if (cEpoch < 0) throw Error("Corrupt run file: " + file.string() + ": no 'epoch' column");
  struct Col { const char* name; double CurvePoint::*field; };
  const Col cols[] = {{"train_loss", &CurvePoint::trainLoss}, {"train_acc", &CurvePoint::trainAcc},
                      {"val_loss", &CurvePoint::valLoss},     {"val_acc", &CurvePoint::valAcc},
                      {"val_uar", &CurvePoint::valUar},       {"lr", &CurvePoint::lr},
                      {"seconds", &CurvePoint::seconds}};
  for (const CsvRecord& f : t.rows) {
    CurvePoint p;
    p.epoch = static_cast<int>(toNumber(f[cEpoch], file, f.line, "epoch"));
    for (const auto& c : cols) {
      const int i = t.column(c.name);
      p.*(c.field) = i < 0 || f[i].empty() ? std::nan("") : toNumber(f[i], file, f.line, c.name);
    }
    out.push_back(p);
  }
  return out;
}

}  // namespace

std::string RunFolder::name() const {
  fs::path p = path;
  if (!p.empty() && p.filename().empty()) p = p.parent_path();
  return p.filename().string();
}

bool RunFolder::synthetic() const {
  auto flagged = [](const nlohmann::json& j) {
    return j.is_object() && j.contains("synthetic") && j["synthetic"].is_boolean() &&
           j["synthetic"].get<bool>();
  };
  if (flagged(config) || flagged(metrics)) return true;
  if (config.is_object() && config.contains("corpora") && config["corpora"].is_array())
    for (const auto& c : config["corpora"])
      if (flagged(c)) return true;
  return false;
}

bool RunFolder::speakerIndependent() const {
  if (!metrics.contains("split") || !metrics["split"].is_object()) return false;
  const auto& s = metrics["split"];
  return s.contains("speaker_independent") && s["speaker_independent"].is_boolean() &&
         s["speaker_independent"].get<bool>();
}

std::vector<std::vector<double>> RunFolder::confusion() const {
  std::vector<std::vector<double>> out(labels.size(), std::vector<double>(labels.size(), 0.0));
  if (!metrics.contains("confusion")) {
    for (const auto& p : predictions) {
      std::size_t t = labels.size(), q = labels.size();
      for (std::size_t k = 0; k < labels.size(); ++k) {
        if (labels[k] == p.trueLabel) t = k;
        if (labels[k] == p.predicted) q = k;
      }
      if (t < labels.size() && q < labels.size()) out[t][q] += 1.0;
    }
    return out;
  }
  const auto& c = metrics["confusion"];
  for (std::size_t i = 0; i < labels.size(); ++i)
    for (std::size_t j = 0; j < labels.size(); ++j) out[i][j] = c[i][j].get<double>();
  return out;
}

double RunFolder::confidence(const PredictionRow& row) const {
  for (std::size_t k = 0; k < labels.size() && k < row.probabilities.size(); ++k)
    if (labels[k] == row.predicted) return std::isnan(row.probabilities[k]) ? 0.0 : row.probabilities[k];
  return 0.0;
}

bool isRunFolder(const std::string& dir) { return fs::is_regular_file(fs::path(dir) / "metrics.json"); }

RunFolder loadRunFolder(const std::string& dir) {
  RunFolder run;
  run.path = dir;
  if (!fs::is_directory(run.path)) throw Error("Run folder not found: " + dir);
  run.config = readJson(run.path / "config.json");
  const fs::path metricsFile = run.path / "metrics.json";
  run.metrics = readJson(metricsFile);
  validateMetrics(run.metrics, metricsFile, run.labels);
  run.predictions = readPredictions(run.path / "predictions.csv", run.labels);
  run.curves = readCurves(run.path / "curves.csv");
  return run;
}

}  // namespace ser
