#pragma once
// Reading JSON numbers into C++ integers without undefined behaviour: nlohmann's get<int>()
// converts 1.7 to 1 and 1e10 to an undefined value. Header-only (nlohmann_json).
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace ser {

// True when `value` is a whole number (30, or 30.0 written as a float) that T can hold; false for
// 1.7, 1e10 into an int, -1 into an unsigned type, and non-numbers.
template <typename T>
bool jsonIsIntegerOf(const nlohmann::json& value) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  if (value.is_number_float()) {
    const double d = value.get<double>();
    // max + 1 is a power of two, exact as a double even where max itself is not.
    return std::trunc(d) == d && d > double(std::numeric_limits<T>::min()) - 1.0 &&
           d < double(std::numeric_limits<T>::max()) + 1.0;
  }
  if (value.is_number_unsigned())
    return value.get<std::uint64_t>() <= std::uint64_t(std::numeric_limits<T>::max());
  if (!value.is_number_integer()) return false;
  const std::int64_t v = value.get<std::int64_t>();
  if constexpr (std::is_signed_v<T>)
    return v >= std::int64_t(std::numeric_limits<T>::min()) &&
           v <= std::int64_t(std::numeric_limits<T>::max());
  else
    return v >= 0 && std::uint64_t(v) <= std::uint64_t(std::numeric_limits<T>::max());
}

}  // namespace ser
