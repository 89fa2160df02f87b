#pragma once
// Stable 64-bit FNV-1a hashing for cache keys (not cryptographic; stable across runs and builds).
#include <cstdint>
#include <string>
#include <string_view>

namespace ser {

class Fnv1a64 {
 public:
  Fnv1a64& addBytes(std::string_view bytes);
  Fnv1a64& addU64(std::uint64_t value);
  Fnv1a64& addDouble(double value);
  std::uint64_t value() const { return h_; }
  std::string hex() const;  // 16 lowercase hex digits

 private:
  std::uint64_t h_ = 1469598103934665603ull;
};

}  // namespace ser
