#pragma once
// The evaluation report of a trained model on a test split: overall and per-group metrics with
// bootstrap intervals, computed from per-clip predictions. Serialised to the experiment's
// metrics.json by toJson(); the caller adds run facts (split, seed, device, timings).
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/corpus/clip.h"
#include "core/metrics/bootstrap.h"
#include "core/metrics/metrics.h"

namespace ser {

// One test clip's outcome. `truth` and `predicted` index the report's label list.
struct Prediction {
  std::string path;
  std::string corpus;
  std::string speaker;
  Sex sex = Sex::Unknown;
  int truth = -1;
  int predicted = -1;
  std::vector<float> probabilities;  // one per label (softmax / SVM estimates), or empty
};

struct ReportOptions {
  BootstrapOptions bootstrap;  // resamples and seed for every interval in the report
  void validate() const { bootstrap.validate(); }
};

// Metrics of a subset of clips (one sex, one corpus, one speaker).
struct GroupMetrics {
  std::size_t n = 0;
  double wa = 0.0;
  double uar = 0.0;     // over classes present in this group
  Interval waCi95;      // bootstrap intervals; set for the overall and per-sex groups only
  Interval uarCi95;
};

// Female minus male WA; the interval resamples each sex's clips independently.
struct SexGap {
  double femaleMinusMaleWa = 0.0;
  Interval ci95;
};

struct MetricsReport {
  std::vector<std::string> labels;         // class order of every per-class table
  GroupMetrics overall;                    // n, wa, uar and their intervals over all clips
  double macroF1 = 0.0;
  ConfusionMatrix confusion;               // rows = true, cols = predicted, in label order
  std::vector<ClassStats> perClass;        // in label order
  std::map<Sex, GroupMetrics> perSex;      // Male and/or Female, only those present
  std::optional<SexGap> sexGap;            // absent unless both sexes are present
  std::map<std::string, GroupMetrics> perSpeaker;  // n and wa (uar also filled)
  std::map<std::string, GroupMetrics> perCorpus;   // n, wa and uar
  // Recall of each class within each present sex: perClassBySex[label index][sex]; nullopt
  // when that sex has no clips of the class.
  std::vector<std::map<Sex, std::optional<double>>> perClassBySex;
};

// Computes the report. Throws ser::Error when `predictions` is empty, a truth/predicted index
// is outside the label list or a probability is NaN or infinite (naming the clip);
// ParameterError for invalid options. Clips of unknown sex count in every overall, per-speaker
// and per-corpus figure but in no per-sex one.
MetricsReport computeReport(const std::vector<Prediction>& predictions,
                            const std::vector<std::string>& labels, const ReportOptions& options = {});

// The metrics.json object: labels, n, wa, uar, wa_ci95, uar_ci95, macro_f1, confusion,
// per_class {label: {precision, recall, f1, support}}, per_sex {male|female: {n, wa, uar,
// wa_ci95, uar_ci95}}, sex_gap ({female_minus_male_wa, ci95} or null), per_speaker
// {speaker: {n, wa}}, per_corpus {corpus: {n, wa, uar}}, per_class_by_sex {label: {male, female}}
// (recall, null where undefined). Intervals are [lo, hi] arrays.
nlohmann::json toJson(const MetricsReport& report);

}  // namespace ser
