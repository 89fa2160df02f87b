#include "core/corpus/label_set.h"

#include <algorithm>
#include <cctype>

#include "core/base/enum_names.h"
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

namespace {
constexpr std::pair<CommonLabelPolicy, const char*> kPolicies[] = {{CommonLabelPolicy::Drop, "drop"},
                                                                   {CommonLabelPolicy::CalmToNeutral, "calm-to-neutral"}};
}  // namespace

std::string toString(CommonLabelPolicy policy) { return enumName(policy, kPolicies); }

CommonLabelPolicy commonLabelPolicyFromString(const std::string& name) {
  if (const auto policy = findEnum(lower(name), kPolicies)) return *policy;  // any case
  throw ParameterError("label_policy", "'" + name + "'", enumChoices(kPolicies));
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
