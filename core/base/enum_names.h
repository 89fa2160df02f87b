#pragma once
// Names of the enum-valued options that experiment files, run folders, the CLI and the GUI spell
// out, kept as one table per enum:
//   constexpr std::pair<Pooling, const char*> kPoolings[] = {{Pooling::Average, "avg"}, ...};
// The first entry for a value is its name; later entries for the same value are accepted
// aliases (e.g. "cremad" for "crema-d") that are neither written nor listed in messages.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "core/base/error.h"

namespace ser {

template <typename Enum, std::size_t N>
using EnumNameTable = std::pair<Enum, const char*>[N];

// The name of `value` (the table's first entry for it; the table's first name if it has none).
template <typename Enum, std::size_t N>
std::string enumName(Enum value, const EnumNameTable<Enum, N>& table) {
  for (const auto& [v, text] : table)
    if (v == value) return text;
  return table[0].second;
}

// The value named `name` exactly (names and aliases), or nothing.
template <typename Enum, std::size_t N>
std::optional<Enum> findEnum(const std::string& name, const EnumNameTable<Enum, N>& table) {
  for (const auto& [value, text] : table)
    if (name == text) return value;
  return std::nullopt;
}

// "{avg, stats, attentive}": the names, without aliases, for "is not within" messages.
template <typename Enum, std::size_t N>
std::string enumChoices(const EnumNameTable<Enum, N>& table) {
  std::string out = "{";
  for (std::size_t i = 0; i < N; ++i) {
    bool alias = false;
    for (std::size_t j = 0; j < i; ++j) alias = alias || table[j].first == table[i].first;
    if (alias) continue;
    out += (out.size() > 1 ? ", " : "") + std::string(table[i].second);
  }
  return out + "}";
}

// The value named `name`; otherwise throws ParameterError(parameter, "'name'", "{...}").
template <typename Enum, std::size_t N>
Enum enumFromName(const std::string& parameter, const std::string& name,
                  const EnumNameTable<Enum, N>& table) {
  if (const std::optional<Enum> value = findEnum(name, table)) return *value;
  throw ParameterError(parameter, "'" + name + "'", enumChoices(table));
}

}  // namespace ser
