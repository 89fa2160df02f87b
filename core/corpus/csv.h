#pragma once
// A small RFC 4180 CSV reader shared by the manifest and CREMA-D readers.
#include <cstddef>
#include <string>
#include <vector>

namespace ser {

struct CsvRecord {
  std::vector<std::string> fields;  // unquoted field values, not trimmed
  std::size_t line = 0;             // 1-based line on which the record starts
};

// Parses CSV text: fields separated by commas, optionally quoted with "..." ("" inside quotes
// is one quote; quoted fields may hold commas and line breaks); records end at LF, CRLF or CR.
// A leading UTF-8 BOM is dropped and blank lines give no record. Throws ser::Error on a quote
// left open at the end of the text.
std::vector<CsvRecord> parseCsv(const std::string& text);

// A CSV file whose first record is the header.
struct CsvTable {
  std::vector<std::string> header;  // trimmed column names
  std::vector<CsvRecord> rows;      // the records after the header

  // Index of the column named `name` (case-insensitive), or -1 when absent.
  int column(const std::string& name) const;
  // Field `col` of `row`, trimmed; empty when the row is shorter or col < 0.
  static std::string value(const CsvRecord& row, int col);
};

// Reads and parses a CSV file. Throws ser::Error naming the path when it cannot be read, does
// not parse, or has no header.
CsvTable readCsvFile(const std::string& path);

// Surrounding spaces and tabs removed.
std::string trimmed(const std::string& s);

}  // namespace ser
