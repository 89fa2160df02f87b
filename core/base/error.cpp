#include "core/base/error.h"

#include <sstream>

namespace ser {

std::string quoteForMessage(std::string_view value, std::size_t maxBytes) {
  std::size_t cut = value.size() <= maxBytes ? value.size() : maxBytes;
  // Do not split a UTF-8 sequence: back up over continuation bytes (10xxxxxx).
  if (cut < value.size())
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  std::string out;
  out.reserve(cut + 32);
  for (std::size_t i = 0; i < cut; ++i) {
    if (value[i] == '\n') out += "\\n";
    else if (value[i] == '\r') out += "\\r";
    else out += value[i];
  }
  if (cut < value.size()) out += "... (" + std::to_string(value.size()) + " bytes)";
  return out;
}

ParameterError::ParameterError(const std::string& name, const std::string& value,
                               const std::string& allowed)
    : Error("Parameter '" + quoteForMessage(name) + "' = " + quoteForMessage(value) +
            " is not within " + quoteForMessage(allowed, 400)),
      parameter_(name) {}

namespace {
std::string fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}
}  // namespace

void checkRange(const std::string& name, double value, double lo, double hi) {
  if (!(value >= lo && value <= hi))
    throw ParameterError(name, fmt(value), "[" + fmt(lo) + ", " + fmt(hi) + "]");
}

void checkRangeInt(const std::string& name, long long value, long long lo, long long hi) {
  if (value < lo || value > hi)
    throw ParameterError(name, std::to_string(value),
                         "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
}

void checkPositive(const std::string& name, double value) {
  if (!(value > 0.0)) throw ParameterError(name, fmt(value), "(0, inf)");
}

}  // namespace ser
