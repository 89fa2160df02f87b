#include "core/corpus/label_set.h"

#include <algorithm>
#include <cctype>

#include "core/base/error.h"

namespace ser {

namespace {
std::string lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

const std::vector<std::string>& commonLabels() {
  static const std::vector<std::string> labels = {"neutral", "happy",   "sad",
                                                  "angry",   "fearful", "disgust"};
  return labels;
}

const std::vector<std::string>& ravdessLabels() {
  static const std::vector<std::string> labels = {"neutral", "calm",    "happy",   "sad",
                                                  "angry",   "fearful", "disgust", "surprised"};
  return labels;
}

const std::vector<std::string>& cremadLabels() { return commonLabels(); }

std::string toString(CommonLabelPolicy policy) {
  switch (policy) {
    case CommonLabelPolicy::Drop: return "drop";
    case CommonLabelPolicy::CalmToNeutral: return "calm-to-neutral";
  }
  return "drop";
}

CommonLabelPolicy commonLabelPolicyFromString(const std::string& name) {
  const std::string n = lower(name);
  if (n == "drop") return CommonLabelPolicy::Drop;
  if (n == "calm-to-neutral") return CommonLabelPolicy::CalmToNeutral;
  throw ParameterError("label_policy", "'" + name + "'", "{drop, calm-to-neutral}");
}

// Exact word match (case-insensitive); no synonyms, so a manifest's "anger" needs a label map.
std::optional<std::string> toCommonLabel(const std::string& native, CommonLabelPolicy policy) {
  const std::string n = lower(native);
  const auto& common = commonLabels();
  if (std::find(common.begin(), common.end(), n) != common.end()) return n;
  if (n == "calm" && policy == CommonLabelPolicy::CalmToNeutral) return std::string("neutral");
  return std::nullopt;
}

}  // namespace ser
