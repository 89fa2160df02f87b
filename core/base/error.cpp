#include "core/base/error.h"

#include <sstream>

namespace ser {

ParameterError::ParameterError(const std::string& name, const std::string& value,
                               const std::string& allowed)
    : Error("Parameter '" + name + "' = " + value + " is not within " + allowed),
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
