#pragma once
// The one RFC 4180 CSV reader/writer of the engine (manifests, CREMA-D metadata, predictions.csv,
// curves.csv, metric exports).
//
// Reading: fields are comma separated and optionally quoted with "..."; inside quotes "" is one
// quote and commas, CR and LF are literal. A record ends at LF, CRLF or a lone CR. A leading
// UTF-8 BOM is dropped and blank lines give no record. The reader is lenient the way common
// spreadsheet exports need: spaces before an opening quote are dropped, a quote inside an
// unquoted field is literal, and text after a closing quote is appended to the field. Values are
// never trimmed by the parser. Errors are ser::Error messages "<source>: line N ...", N 1-based.
//
// Writing: csvField() quotes only when needed; csvLine() joins fields into one LF-ended line.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace ser {

struct CsvRecord {
  std::vector<std::string> fields;  // unquoted field values, not trimmed
  std::size_t line = 0;             // 1-based line on which the record starts

  std::size_t size() const { return fields.size(); }
  // Field i, unchecked (as std::vector::operator[]).
  const std::string& operator[](std::size_t i) const { return fields[i]; }
};

// Splits CSV text into records. `source` names the text (usually the file path) in errors.
// Throws ser::Error "<source>: line N: unterminated quoted field" for a quote opened on line N
// and never closed.
std::vector<CsvRecord> parseCsvRecords(const std::string& text, const std::string& source);

// Whether every data row must have as many fields as the header.
enum class CsvShape {
  Rectangular,  // a row of another length throws ser::Error
  Ragged,       // rows may be shorter or longer; the caller decides (see CsvTable::value)
};

// CSV whose first record is the header.
struct CsvTable {
  std::vector<std::string> header;  // column names as written (not trimmed)
  std::vector<CsvRecord> rows;      // the records after the header, with their line numbers

  // Index of the column named exactly `name`, or -1 when absent.
  int column(const std::string& name) const;
  // Index of the column whose trimmed name equals trimmed `name` ignoring ASCII case, or -1.
  int columnIgnoringCase(const std::string& name) const;
  // Field `col` of `row`, trimmed; empty when the row is shorter or col < 0.
  static std::string value(const CsvRecord& row, int col);
};

// Parses CSV text into a table. Throws ser::Error "<source>: empty file, no header row" when
// there is no record, "<source>: line N has X fields, header has Y" for a ragged row when
// `shape` is Rectangular, and the parseCsvRecords errors.
CsvTable parseCsv(const std::string& text, const std::string& source,
                  CsvShape shape = CsvShape::Rectangular);

// Reads `path` and parses it with the path as source. Throws ser::Error naming the path when the
// file cannot be read or does not parse.
CsvTable readCsvFile(const std::filesystem::path& path, CsvShape shape = CsvShape::Rectangular);

// `value` as one CSV field: quoted (with "" for each quote) when it holds a comma, quote, CR or
// LF or starts or ends with a space or tab (which trimming readers would lose); else as is.
std::string csvField(const std::string& value);

// The fields quoted with csvField, joined by commas, ended by LF.
std::string csvLine(const std::vector<std::string>& fields);

// `s` without surrounding spaces and tabs.
std::string trimmed(const std::string& s);

}  // namespace ser
