#include "core/base/json_text.h"

#include <cstdint>

namespace ser {

namespace {

constexpr std::uint32_t kEscapeBase = 0xF700;  // byte b <-> U+F700 + b, b in [0x80, 0xFF]

bool isEscapeCodePoint(std::uint32_t cp) { return cp >= kEscapeBase + 0x80 && cp <= kEscapeBase + 0xFF; }

void appendUtf8(std::string& out, std::uint32_t cp) {  // cp < 0x10000 here
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Length of the valid UTF-8 sequence at s[i] (shortest form, no surrogates, <= U+10FFFF) and its
// code point; 0 when the bytes there are not one.
std::size_t utf8Sequence(const std::string& s, std::size_t i, std::uint32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t n;
  std::uint32_t min;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2, min = 0x80, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3, min = 0x800, cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4, min = 0x10000, cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

template <typename F>
nlohmann::json mapStrings(const nlohmann::json& j, const F& f) {
  if (j.is_string()) return f(j.get_ref<const std::string&>());
  if (j.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : j) out.push_back(mapStrings(v, f));
    return out;
  }
  if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : j.items()) out[f(k)] = mapStrings(v, f);
    return out;
  }
  return j;
}

}  // namespace

std::string escapeNonUtf8(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    std::uint32_t cp = 0;
    const std::size_t n = utf8Sequence(bytes, i, cp);
    if (n > 0 && !isEscapeCodePoint(cp)) {
      out.append(bytes, i, n);
      i += n;
    } else {
      // A stray byte, or the bytes of a code point that would read as an escape.
      for (std::size_t k = 0; k < (n > 0 ? n : 1); ++k)
        appendUtf8(out, kEscapeBase + static_cast<unsigned char>(bytes[i + k]));
      i += n > 0 ? n : 1;
    }
  }
  return out;
}

std::string unescapeNonUtf8(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    const std::size_t n = utf8Sequence(text, i, cp);
    if (n == 3 && isEscapeCodePoint(cp)) {
      out += static_cast<char>(cp - kEscapeBase);
      i += 3;
    } else {
      const std::size_t take = n > 0 ? n : 1;
      out.append(text, i, take);
      i += take;
    }
  }
  return out;
}

std::string dumpJson(const nlohmann::json& json, int indent) {
  return mapStrings(json, escapeNonUtf8).dump(indent);
}

nlohmann::json parseJson(const std::string& text) { return unescapeStrings(nlohmann::json::parse(text)); }

nlohmann::json unescapeStrings(const nlohmann::json& parsed) { return mapStrings(parsed, unescapeNonUtf8); }

bool isValidUtf8(const std::string& bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    std::uint32_t cp = 0;
    const std::size_t n = utf8Sequence(bytes, i, cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace ser
