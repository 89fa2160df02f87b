#pragma once
// A learnable synthetic problem for trainer tests: 16 mel bands x 32 frames of Gaussian noise at a
// random level, plus a class texture that survives per-band standardisation: class 0 stripes
// alternating every frame, class 1 every two frames, class 2 a checkerboard.
#include <random>
#include <string>

#include "core/train/training_set.h"

inline float texture(int c, int r, int t) {
  const int phase = c == 0 ? t : (c == 1 ? t / 2 : r + t);
  return phase % 2 ? 1.0f : -1.0f;
}

inline ser::TrainingSet makeSyntheticSet(int clipsPerClass, int numClasses, unsigned seed,
                                         int rows = 16, int cols = 32) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  std::uniform_real_distribution<float> level(-3.0f, 3.0f);
  ser::TrainingSet set;
  for (int i = 0; i < clipsPerClass; ++i) {
    for (int c = 0; c < numClasses; ++c) {
      ser::FeatureMatrix m(rows, cols);
      const float offset = level(rng);
      for (int r = 0; r < rows; ++r)
        for (int t = 0; t < cols; ++t)
          m.at(r, t) = offset + noise(rng) + 1.5f * texture(c, r, t);
      set.features.push_back(std::move(m));
      set.labels.push_back(c);
      set.speakers.push_back("spk" + std::to_string(i % 4));
    }
  }
  return set;
}
