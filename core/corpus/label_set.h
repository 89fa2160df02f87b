#pragma once
// Label sets: each corpus's native set, and the common 6-class set for cross-corpus work.
#include <optional>
#include <string>
#include <vector>

namespace ser {

// The common set, in this order: neutral, happy, sad, angry, fearful, disgust.
const std::vector<std::string>& commonLabels();

// The RAVDESS native set in code order 01..08: neutral, calm, happy, sad, angry, fearful,
// disgust, surprised.
const std::vector<std::string>& ravdessLabels();

// The CREMA-D native set (codes NEU HAP SAD ANG FEA DIS) as words, in the common order.
const std::vector<std::string>& cremadLabels();

// What happens to RAVDESS "calm" and "surprised", which have no common-set counterpart.
// Drop (default): clips keep their native label but get no common label.
// CalmToNeutral: calm maps to neutral; surprised is still dropped.
enum class CommonLabelPolicy { Drop, CalmToNeutral };
std::string toString(CommonLabelPolicy policy);               // "drop", "calm-to-neutral"
CommonLabelPolicy commonLabelPolicyFromString(const std::string& name);  // throws ParameterError

// Maps a native word label to the common set under the policy; nullopt if it has no counterpart.
std::optional<std::string> toCommonLabel(const std::string& native, CommonLabelPolicy policy);

}  // namespace ser
