#include "core/corpus/clip.h"

#include <algorithm>
#include <cctype>

namespace ser {

std::string toString(Sex sex) {
  switch (sex) {
    case Sex::Male: return "male";
    case Sex::Female: return "female";
    case Sex::Unknown: break;
  }
  return "unknown";
}

Sex sexFromString(const std::string& text) {
  std::string s;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c)))
      s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "m" || s == "male" || s == "man") return Sex::Male;
  if (s == "f" || s == "female" || s == "woman") return Sex::Female;
  return Sex::Unknown;
}

void Corpus::append(const Corpus& other) {
  clips.insert(clips.end(), other.clips.begin(), other.clips.end());
  skipped.insert(skipped.end(), other.skipped.begin(), other.skipped.end());
  warnings.insert(warnings.end(), other.warnings.begin(), other.warnings.end());
  synthetic = synthetic || other.synthetic;
  cancelled = cancelled || other.cancelled;
}

}  // namespace ser
