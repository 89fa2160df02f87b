#pragma once
// An in-memory labelled data set for the trainer: one feature matrix per clip.
#include <string>
#include <vector>

#include "core/features/feature_matrix.h"

namespace ser {

struct TrainingSet {
  std::vector<FeatureMatrix> features;  // log-mel (natural log of mel power), n_mels x frames; all one shape
  std::vector<int> labels;              // class index in [0, numClasses), one per clip
  std::vector<std::string> speakers;    // speaker id per clip (per-speaker normalisation); may be empty
  // Encoder hidden states (model encoder): rows are this many stacked layers of rows/layers values.
  int encoderLayers = 0;
  std::size_t size() const { return features.size(); }
};

}  // namespace ser
