#include "core/corpus/csv.h"

#include <cctype>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace ser {

std::vector<CsvRecord> parseCsv(const std::string& text) {
  std::vector<CsvRecord> records;
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;
  std::size_t line = 1;

  CsvRecord record;
  std::string field;
  bool recordHasContent = false;  // any character seen since the record started
  bool inQuotes = false;
  std::size_t quoteLine = 0;
  record.line = line;

  auto endField = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
  };
  auto endRecord = [&] {
    if (recordHasContent) {
      endField();
      records.push_back(std::move(record));
    }
    record = CsvRecord{};
    field.clear();
    recordHasContent = false;
  };

  while (i < n) {
    const char c = text[i];
    if (inQuotes) {
      if (c == '"') {
        if (i + 1 < n && text[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        ++i;
        continue;
      }
      if (c == '\n' || (c == '\r' && !(i + 1 < n && text[i + 1] == '\n'))) ++line;
      field += c;
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      i += (c == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
      endRecord();
      ++line;
      record.line = line;
      continue;
    }
    recordHasContent = true;
    if (c == ',') {
      endField();
    } else if (c == '"' && field.find_first_not_of(" \t") == std::string::npos) {
      // A quote opening a field (spaces before it are dropped).
      field.clear();
      inQuotes = true;
      quoteLine = line;
    } else {
      field += c;
    }
    ++i;
  }
  if (inQuotes)
    throw Error("CSV: quoted field opened on line " + std::to_string(quoteLine) +
                " is never closed");
  endRecord();
  return records;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

int CsvTable::column(const std::string& name) const {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  const std::string want = lower(trimmed(name));
  for (std::size_t i = 0; i < header.size(); ++i)
    if (lower(header[i]) == want) return static_cast<int>(i);
  return -1;
}

std::string CsvTable::value(const CsvRecord& row, int col) {
  if (col < 0 || static_cast<std::size_t>(col) >= row.fields.size()) return {};
  return trimmed(row.fields[static_cast<std::size_t>(col)]);
}

CsvTable readCsvFile(const std::string& path) {
  const std::string text = readFile(path);
  std::vector<CsvRecord> records;
  try {
    records = parseCsv(text);
  } catch (const Error& e) {
    throw Error("'" + path + "': " + e.what());
  }
  if (records.empty()) throw Error("'" + path + "': empty CSV file (no header)");
  CsvTable table;
  for (const std::string& h : records.front().fields) table.header.push_back(trimmed(h));
  table.rows.assign(std::make_move_iterator(records.begin() + 1),
                    std::make_move_iterator(records.end()));
  return table;
}

}  // namespace ser
