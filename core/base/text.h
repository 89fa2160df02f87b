#pragma once
// Small text helpers shared by the engine's messages.
#include <string>
#include <vector>

namespace ser {

// "a, b, c" (empty for no items): lists of ids and labels in error messages.
inline std::string joinStrings(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace ser
