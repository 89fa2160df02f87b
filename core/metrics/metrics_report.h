#pragma once
// The evaluation report of a trained model on a test split: overall and per-group metrics with
// speaker-level bootstrap intervals, computed from per-clip predictions. Stored in a run folder's
// metrics.json as part of the run record (core/runs/run_record.h).
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

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

// Options of the metrics report (intervals). Named apart from the PDF exporter's options.
struct MetricsReportOptions {
  BootstrapOptions bootstrap;    // resamples and seed for every interval in the report
  int minSpeakersForInterval = 3;  // groups with fewer speakers get no interval, [2, 1000]
  void validate() const;
};

// Metrics of a subset of clips (all, one sex, one corpus, one speaker).
struct GroupMetrics {
  std::size_t n = 0;          // clips
  std::size_t speakers = 0;   // distinct speakers among them
  double wa = 0.0;
  double uar = 0.0;           // over classes present in this group
  // 95% intervals. Overall, per sex and per corpus: speaker (cluster) bootstrap, absent when the
  // group has fewer than MetricsReportOptions::minSpeakersForInterval speakers (an interval over
  // one or two voices would look precise and is not). Per speaker: Wilson interval of the WA over
  // that speaker's clips (conditional on the speaker), no UAR interval.
  std::optional<Interval> waCi95;
  std::optional<Interval> uarCi95;
};

// Female minus male WA; the interval resamples each sex's speakers independently. Absent interval
// when either sex has too few speakers.
struct SexGap {
  double femaleMinusMaleWa = 0.0;
  std::optional<Interval> ci95;
};

// Recall of one class within one sex.
struct ClassRecall {
  double recall = 0.0;
  std::size_t n = 0;         // clips of the class in that sex (support)
  std::size_t speakers = 0;  // speakers contributing them
  std::optional<Interval> ci95;  // speaker bootstrap within the sex; absent below the minimum
};

struct MetricsReport {
  std::vector<std::string> labels;         // class order of every per-class table
  GroupMetrics overall;                    // n, wa, uar and their intervals over all clips
  double macroF1 = 0.0;
  // Speaker bootstrap of macro-F1 (each resample pools its speakers' confusion matrices); absent
  // with too few speakers, and in run folders written before it was recorded.
  std::optional<Interval> macroF1Ci95;
  ConfusionMatrix confusion;               // rows = true, cols = predicted, in label order
  std::vector<ClassStats> perClass;        // in label order
  std::map<Sex, GroupMetrics> perSex;      // Male and/or Female, only those present
  std::optional<SexGap> sexGap;            // absent unless both sexes are present
  std::map<std::string, GroupMetrics> perSpeaker;  // every figure; WA interval (Wilson)
  std::map<std::string, GroupMetrics> perCorpus;   // with speaker-bootstrap intervals
  // Recall of each class within each present sex: perClassBySex[label index][sex]; nullopt
  // when that sex has no clips of the class.
  std::vector<std::map<Sex, std::optional<ClassRecall>>> perClassBySex;

  // Chance level of UAR (and of WA with balanced classes): 1 / number of labels.
  double chance() const { return labels.empty() ? 0.0 : 1.0 / double(labels.size()); }
};

// Computes the report. Throws ser::Error when `predictions` is empty, a truth/predicted index
// is outside the label list or a probability is NaN or infinite (naming the clip);
// ParameterError for invalid options. Clips of unknown sex count in every overall, per-speaker
// and per-corpus figure but in no per-sex one. The JSON form (metrics.json) is written and read by
// core/runs/run_record.
MetricsReport computeReport(const std::vector<Prediction>& predictions,
                            const std::vector<std::string>& labels,
                            const MetricsReportOptions& options = {});

}  // namespace ser
