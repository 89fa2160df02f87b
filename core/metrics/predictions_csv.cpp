#include "core/metrics/predictions_csv.h"

#include <charconv>
#include <map>
#include <system_error>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace ser {

namespace {

const std::vector<std::string>& fixedColumns() {
  static const std::vector<std::string> cols = {"path", "corpus", "speaker", "sex", "true",
                                                "predicted"};
  return cols;
}

void appendField(std::string& out, const std::string& field) {
  const bool quote = field.find_first_of(",\"\r\n") != std::string::npos ||
                     (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string formatFloat(float v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// Splits RFC 4180 text into records of fields. Records are numbered from 1 for messages.
std::vector<std::vector<std::string>> parseCsv(const std::string& text, const std::string& name) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool inQuotes = false, fieldStarted = false;
  std::size_t line = 1;
  std::size_t i = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // UTF-8 byte-order mark
  auto endRecord = [&] {
    row.push_back(std::move(field));
    field.clear();
    fieldStarted = false;
    if (!(row.size() == 1 && row[0].empty())) rows.push_back(std::move(row));
    row.clear();
  };
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (inQuotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          inQuotes = false;
          if (i + 1 < text.size() && text[i + 1] != ',' && text[i + 1] != '\n' &&
              text[i + 1] != '\r')
            throw Error("'" + name + "' line " + std::to_string(line) +
                        ": text after a closing quote");
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
    } else if (c == '"') {
      throw Error("'" + name + "' line " + std::to_string(line) + ": stray quote in a field");
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      fieldStarted = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      endRecord();
      ++line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (inQuotes) throw Error("'" + name + "': unterminated quoted field at the end of the file");
  if (fieldStarted || !row.empty()) endRecord();
  return rows;
}

}  // namespace

void writePredictionsCsv(const std::filesystem::path& path, const std::vector<Prediction>& predictions,
                         const std::vector<std::string>& labels) {
  const int k = int(labels.size());
  std::string out;
  bool first = true;
  auto sep = [&] {
    if (!first) out += ',';
    first = false;
  };
  for (const std::string& col : fixedColumns()) {
    sep();
    appendField(out, col);
  }
  for (const std::string& label : labels) {
    sep();
    appendField(out, "p_" + label);
  }
  out += '\n';
  for (const Prediction& p : predictions) {
    if (p.truth < 0 || p.truth >= k || p.predicted < 0 || p.predicted >= k)
      throw Error("predictions.csv: clip '" + p.path + "' has a class index outside the " +
                  std::to_string(k) + " labels");
    if (!p.probabilities.empty() && p.probabilities.size() != labels.size())
      throw Error("predictions.csv: clip '" + p.path + "' has " +
                  std::to_string(p.probabilities.size()) + " probabilities for " +
                  std::to_string(k) + " labels");
    first = true;
    for (const std::string* f : {&p.path, &p.corpus, &p.speaker}) {
      sep();
      appendField(out, *f);
    }
    sep();
    out += toString(p.sex);
    sep();
    appendField(out, labels[std::size_t(p.truth)]);
    sep();
    appendField(out, labels[std::size_t(p.predicted)]);
    for (std::size_t c = 0; c < labels.size(); ++c) {
      sep();
      if (!p.probabilities.empty()) out += formatFloat(p.probabilities[c]);
    }
    out += '\n';
  }
  writeFileAtomic(path, out);
}

PredictionTable readPredictionsCsv(const std::filesystem::path& path) {
  const std::string name = path.string();
  const std::vector<std::vector<std::string>> rows = parseCsv(readFile(path), name);
  if (rows.empty()) throw Error("'" + name + "': empty file, expected a predictions.csv header");
  const std::vector<std::string>& header = rows[0];

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
    if (!column.count(col)) throw Error("'" + name + "': missing column '" + col + "'");
  if (table.labels.empty())
    throw Error("'" + name + "': no p_<label> columns, so the label list is unknown");
  std::map<std::string, int> labelIndex;
  for (std::size_t c = 0; c < table.labels.size(); ++c) labelIndex[table.labels[c]] = int(c);

  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::vector<std::string>& row = rows[r];
    const std::string where = "'" + name + "' record " + std::to_string(r + 1);
    if (row.size() != header.size())
      throw Error(where + ": " + std::to_string(row.size()) + " fields, header has " +
                  std::to_string(header.size()));
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
          throw Error(where + ": '" + v + "' in column '" + header[c] + "' is not a number");
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
