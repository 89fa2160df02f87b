#include "core/base/hash.h"

#include <cstdio>
#include <cstring>

namespace ser {

Fnv1a64& Fnv1a64::addBytes(std::string_view bytes) {
  for (unsigned char c : bytes) {
    h_ ^= c;
    h_ *= 1099511628211ull;
  }
  // Length separator, so ("ab","c") and ("a","bc") differ.
  addU64(static_cast<std::uint64_t>(bytes.size()) ^ 0x9e3779b97f4a7c15ull);
  return *this;
}

Fnv1a64& Fnv1a64::addU64(std::uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    h_ ^= static_cast<unsigned char>(value >> (8 * i));
    h_ *= 1099511628211ull;
  }
  return *this;
}

Fnv1a64& Fnv1a64::addDouble(double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return addU64(bits);
}

std::string Fnv1a64::hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
  return buf;
}

}  // namespace ser
