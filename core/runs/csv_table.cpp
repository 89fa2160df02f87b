#include "core/runs/csv_table.h"

#include "core/base/error.h"

namespace ser {

int CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

CsvTable parseCsv(const std::string& text, const std::string& what) {
  CsvTable table;
  std::vector<std::string> row;
  std::string field;
  bool inQuotes = false;
  bool fieldStarted = false;
  int line = 1;
  int rowLine = 1;

  auto endRow = [&]() {
    const bool blank = row.empty() && !fieldStarted && field.empty();
    if (!blank) {
      row.push_back(field);
      if (table.header.empty()) {
        table.header = row;
      } else {
        if (row.size() != table.header.size())
          throw Error(what + ": line " + std::to_string(rowLine) + " has " +
                      std::to_string(row.size()) + " fields, header has " +
                      std::to_string(table.header.size()));
        table.rows.push_back(row);
      }
    }
    row.clear();
    field.clear();
    fieldStarted = false;
  };

  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inQuotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          inQuotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    switch (c) {
      case '"':
        inQuotes = true;
        fieldStarted = true;
        break;
      case ',':
        row.push_back(field);
        field.clear();
        fieldStarted = true;
        break;
      case '\r':
        break;
      case '\n':
        endRow();
        ++line;
        rowLine = line;
        break;
      default:
        field += c;
        fieldStarted = true;
    }
  }
  if (inQuotes)
    throw Error(what + ": unterminated quoted field starting on line " + std::to_string(rowLine));
  endRow();
  if (table.header.empty()) throw Error(what + ": empty file, no header row");
  return table;
}

std::string csvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace ser
