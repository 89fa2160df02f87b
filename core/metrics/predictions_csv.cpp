#include "core/metrics/predictions_csv.h"

#include <charconv>
#include <map>
#include <system_error>

#include "core/base/atomic_file.h"
#include "core/base/csv.h"
#include "core/base/error.h"

namespace ser {

namespace {

const std::vector<std::string>& fixedColumns() {
  static const std::vector<std::string> cols = {"path", "corpus", "speaker", "sex", "true",
                                                "predicted"};
  return cols;
}

std::string formatFloat(float v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

}  // namespace

void writePredictionsCsv(const std::filesystem::path& path, const std::vector<Prediction>& predictions,
                         const std::vector<std::string>& labels) {
  const int k = int(labels.size());
  std::vector<std::string> header = fixedColumns();
  for (const std::string& label : labels) header.push_back("p_" + label);
  std::string out = csvLine(header);
  for (const Prediction& p : predictions) {
    if (p.truth < 0 || p.truth >= k || p.predicted < 0 || p.predicted >= k)
      throw Error("predictions.csv: clip '" + p.path + "' has a class index outside the " +
                  std::to_string(k) + " labels");
    if (!p.probabilities.empty() && p.probabilities.size() != labels.size())
      throw Error("predictions.csv: clip '" + p.path + "' has " +
                  std::to_string(p.probabilities.size()) + " probabilities for " +
                  std::to_string(k) + " labels");
    std::vector<std::string> row = {p.path, p.corpus, p.speaker, toString(p.sex),
                                    labels[std::size_t(p.truth)], labels[std::size_t(p.predicted)]};
    for (std::size_t c = 0; c < labels.size(); ++c)
      row.push_back(p.probabilities.empty() ? std::string() : formatFloat(p.probabilities[c]));
    out += csvLine(row);
  }
  writeFileAtomic(path, out);
}

PredictionTable readPredictionsCsv(const std::filesystem::path& path) {
  const std::string name = path.string();
  const CsvTable csv = readCsvFile(path);
  const std::vector<std::string>& header = csv.header;

  std::map<std::string, std::size_t> column;
  PredictionTable table;
  std::vector<std::size_t> probColumns;
  for (std::size_t c = 0; c < header.size(); ++c) {
    column[header[c]] = c;
    if (header[c].rfind("p_", 0) == 0) {
      table.labels.push_back(header[c].substr(2));
      probColumns.push_back(c);
    }
  }
  for (const std::string& col : fixedColumns())
    if (!column.count(col)) throw Error(name + ": no '" + col + "' column");
  if (table.labels.empty())
    throw Error(name + ": no p_<label> columns, so the label list is unknown");
  std::map<std::string, int> labelIndex;
  for (std::size_t c = 0; c < table.labels.size(); ++c) labelIndex[table.labels[c]] = int(c);

  for (const CsvRecord& row : csv.rows) {
    const std::string where = name + ": line " + std::to_string(row.line);
    Prediction p;
    p.path = row[column["path"]];
    p.corpus = row[column["corpus"]];
    p.speaker = row[column["speaker"]];
    p.sex = sexFromString(row[column["sex"]]);
    auto indexOf = [&](const char* col) {
      const std::string& v = row[column[col]];
      const auto it = labelIndex.find(v);
      if (it == labelIndex.end())
        throw Error(where + ": " + col + " label '" + v + "' has no p_ column");
      return it->second;
    };
    p.truth = indexOf("true");
    p.predicted = indexOf("predicted");
    std::size_t empty = 0;
    for (std::size_t c : probColumns) empty += row[c].empty() ? 1 : 0;
    if (empty == 0) {
      for (std::size_t c : probColumns) {
        const std::string& v = row[c];
        float value = 0.0f;
        const auto res = std::from_chars(v.data(), v.data() + v.size(), value);
        if (res.ec != std::errc() || res.ptr != v.data() + v.size())
          throw Error(name + ": row " + std::to_string(row.line) + ", column '" + header[c] +
                      "': '" + v + "' is not a number");
        p.probabilities.push_back(value);
      }
    } else if (empty != probColumns.size()) {
      throw Error(where + ": some probability cells are empty and some are not");
    }
    table.predictions.push_back(std::move(p));
  }
  return table;
}

}  // namespace ser
