#pragma once
// Per-mel-band standardisation of log-mel features (mean 0, std 1 per band), by utterance or by
// speaker. Torch-free. The training set's own band statistics are kept as the fallback for clips
// whose speaker is unknown; they travel in the checkpoint so prediction normalises as training did.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/features/feature_matrix.h"
#include "core/train/trainer_options.h"

namespace ser {

struct BandStats {
  std::vector<float> mean;    // one per row (mel band)
  std::vector<float> stddev;  // one per row, floored at 1e-3
  bool empty() const { return mean.empty(); }
};

// Statistics over all cells of each row of the given clips (all of one row count).
BandStats computeBandStats(const std::vector<const FeatureMatrix*>& clips);

class FeatureNormaliser {
 public:
  FeatureNormaliser() = default;
  // `training`: the training clips, for the fallback statistics.
  FeatureNormaliser(Normalisation mode, const std::vector<FeatureMatrix>& training);

  Normalisation mode() const { return mode_; }
  const BandStats& fallback() const { return fallback_; }

  // The statistics to apply to each clip of a set: per_utterance -> its own; per_speaker -> the
  // statistics of all clips in `features` with the same non-empty speaker id (speakers may be
  // empty: all unknown), else the fallback; none -> empty (identity).
  std::vector<BandStats> plan(const std::vector<FeatureMatrix>& features,
                              const std::vector<std::string>& speakers) const;

  // x <- (x - mean) / stddev per row; identity for empty stats. Throws ser::Error on a row mismatch.
  static void apply(FeatureMatrix& clip, const BandStats& stats);

  nlohmann::json toJson() const;
  static FeatureNormaliser fromJson(const nlohmann::json& json);  // throws ser::Error

 private:
  Normalisation mode_ = Normalisation::None;
  BandStats fallback_;
};

}  // namespace ser
