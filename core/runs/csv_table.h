#pragma once
// A small RFC 4180 CSV reader/writer: comma separated, fields optionally double-quoted, "" inside
// quotes is a literal quote, quoted fields may hold commas and newlines. CRLF and LF both end rows.
#include <string>
#include <vector>

namespace ser {

struct CsvTable {
  std::vector<std::string> header;             // first row
  std::vector<std::vector<std::string>> rows;  // the rest; blank lines are skipped

  // Index of a header column, or -1 when absent.
  int column(const std::string& name) const;
};

// Parses CSV text. Throws ser::Error("<what>: ...") on an unterminated quote or on a row whose
// field count differs from the header's (the message gives the 1-based line number).
CsvTable parseCsv(const std::string& text, const std::string& what);

// Quotes a field when it holds a comma, quote, CR or LF.
std::string csvField(const std::string& value);

}  // namespace ser
