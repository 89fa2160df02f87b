#pragma once
// Small text helpers shared by the engine's messages.
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

namespace ser {

// "a, b, c" (empty for no items): lists of ids and labels in error messages.
inline std::string joinStrings(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// `items` sorted with repeats removed: speaker and corpus lists as runs record them.
inline std::vector<std::string> sortedUnique(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

// The items in both lists, sorted, each once.
inline std::vector<std::string> sortedIntersection(std::vector<std::string> a, std::vector<std::string> b) {
  a = sortedUnique(std::move(a));
  b = sortedUnique(std::move(b));
  std::vector<std::string> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace ser
