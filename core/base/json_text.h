#pragma once
// JSON text for strings that are not UTF-8. File names, folder names and CSV fields are bytes;
// JSON text must be UTF-8 (nlohmann-json refuses to dump anything else). serwb writes every JSON
// file and --json output through dumpJson() and reads its own JSON back through parseJson(), so
// a Latin-1 folder name survives the round trip unchanged:
//   - a byte b that is not part of a valid UTF-8 sequence is written as the code point U+F700 + b
//     (U+F780..U+F7FF, in the private-use area), as UTF-8;
//   - a code point of that range that was really in the text is written byte by byte the same
//     way, so decoding is exact for every input;
//   - everything else (all valid UTF-8 outside that range) is written as is.
// Readers of serwb's JSON outside serwb get the original bytes back by mapping U+F780..U+F7FF
// to bytes 0x80..0xFF (Python: bytes(ord(c) - 0xF700 if 0xF780 <= ord(c) <= 0xF7FF else ...)).
#include <string>

#include <nlohmann/json.hpp>

namespace ser {

// The escaped form of `bytes` (identity for valid UTF-8 outside U+F780..U+F7FF).
std::string escapeNonUtf8(const std::string& bytes);
// The original bytes of an escaped string: unescapeNonUtf8(escapeNonUtf8(s)) == s for every s.
std::string unescapeNonUtf8(const std::string& text);

// json.dump(indent) with every string and object key escaped; never throws for bad UTF-8.
std::string dumpJson(const nlohmann::json& json, int indent = -1);
// nlohmann::json::parse(text) with every string and object key unescaped. Throws what
// nlohmann::json::parse throws.
nlohmann::json parseJson(const std::string& text);

// True when `bytes` is valid UTF-8 (shortest forms, no surrogates).
bool isValidUtf8(const std::string& bytes);

// `parsed` with serwb's escapes in every string and key turned back into the original bytes: for
// callers that parse with their own nlohmann::json::parse options (parseJson = parse + this).
nlohmann::json unescapeStrings(const nlohmann::json& parsed);

}  // namespace ser
