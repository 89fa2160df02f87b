#include "core/base/csv.h"

#include <cctype>
#include <iterator>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace ser {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::vector<CsvRecord> parseCsvRecords(const std::string& text, const std::string& source) {
  std::vector<CsvRecord> records;
  const std::size_t n = text.size();
  std::size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  std::size_t line = 1;

  CsvRecord record;
  record.line = line;
  std::string field;
  bool recordHasContent = false;  // any character seen since the record started
  bool inQuotes = false;
  std::size_t quoteLine = 0;

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
  // Length of the line break at i (CRLF, LF or lone CR), 0 when there is none.
  auto lineBreak = [&](std::size_t at) -> std::size_t {
    if (text[at] == '\n') return 1;
    if (text[at] == '\r') return at + 1 < n && text[at + 1] == '\n' ? 2 : 1;
    return 0;
  };

  while (i < n) {
    const char c = text[i];
    if (inQuotes) {
      if (c == '"') {
        if (i + 1 < n && text[i + 1] == '"') {
          field += '"';
          i += 2;
        } else {
          inQuotes = false;
          ++i;
        }
        continue;
      }
      if (const std::size_t br = lineBreak(i)) {
        field.append(text, i, br);
        i += br;
        ++line;
        continue;
      }
      field += c;
      ++i;
      continue;
    }
    if (const std::size_t br = lineBreak(i)) {
      i += br;
      endRecord();
      ++line;
      record.line = line;
      continue;
    }
    recordHasContent = true;
    if (c == ',') {
      endField();
    } else if (c == '"' && field.find_first_not_of(" \t") == std::string::npos) {
      field.clear();  // a quote opening the field: spaces before it are dropped
      inQuotes = true;
      quoteLine = line;
    } else {
      field += c;
    }
    ++i;
  }
  if (inQuotes)
    throw Error(source + ": line " + std::to_string(quoteLine) + ": unterminated quoted field");
  endRecord();
  return records;
}

int CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

int CsvTable::columnIgnoringCase(const std::string& name) const {
  const std::string want = lower(trimmed(name));
  for (std::size_t i = 0; i < header.size(); ++i)
    if (lower(trimmed(header[i])) == want) return static_cast<int>(i);
  return -1;
}

std::string CsvTable::value(const CsvRecord& row, int col) {
  if (col < 0 || static_cast<std::size_t>(col) >= row.fields.size()) return {};
  return trimmed(row.fields[static_cast<std::size_t>(col)]);
}

CsvTable parseCsv(const std::string& text, const std::string& source, CsvShape shape) {
  std::vector<CsvRecord> records = parseCsvRecords(text, source);
  if (records.empty()) throw Error(source + ": empty file, no header row");
  CsvTable table;
  table.header = std::move(records.front().fields);
  if (shape == CsvShape::Rectangular)
    for (std::size_t r = 1; r < records.size(); ++r)
      if (records[r].fields.size() != table.header.size())
        throw Error(source + ": line " + std::to_string(records[r].line) + " has " +
                    std::to_string(records[r].fields.size()) + " fields, header has " +
                    std::to_string(table.header.size()));
  table.rows.assign(std::make_move_iterator(records.begin() + 1),
                    std::make_move_iterator(records.end()));
  return table;
}

CsvTable readCsvFile(const std::filesystem::path& path, CsvShape shape) {
  return parseCsv(readFile(path), path.string(), shape);
}

std::string csvField(const std::string& value) {
  const bool quote = value.find_first_of(",\"\r\n") != std::string::npos ||
                     (!value.empty() && (value.front() == ' ' || value.front() == '\t' ||
                                         value.back() == ' ' || value.back() == '\t'));
  if (!quote) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += csvField(fields[i]);
  }
  out += '\n';
  return out;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace ser
