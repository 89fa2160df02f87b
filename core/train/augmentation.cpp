#include "core/train/augmentation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ser {

void applyGain(FeatureMatrix& clip, double db) {
  const float offset = float(db * std::log(10.0) / 10.0);
  for (float& v : clip.data) v += offset;
}

namespace {
void maskOnce(FeatureMatrix& clip, bool alongTime, int maxWidth, float fill, std::mt19937& rng) {
  const int extent = alongTime ? clip.cols : clip.rows;
  if (extent <= 0 || maxWidth <= 0) return;
  const int width = std::uniform_int_distribution<int>(0, std::min(maxWidth, extent))(rng);
  const int start = std::uniform_int_distribution<int>(0, extent - width)(rng);
  for (int i = start; i < start + width; ++i) {
    if (alongTime) {
      for (int r = 0; r < clip.rows; ++r) clip.at(r, i) = fill;
    } else {
      std::fill_n(clip.data.begin() + std::ptrdiff_t(i) * clip.cols, clip.cols, fill);
    }
  }
}
}  // namespace

void applySpecAugment(FeatureMatrix& clip, const SpecAugmentOptions& options, std::mt19937& rng) {
  if (clip.empty()) return;
  const float fill =
      float(std::accumulate(clip.data.begin(), clip.data.end(), 0.0) / double(clip.data.size()));
  for (int i = 0; i < options.freq_masks; ++i) maskOnce(clip, false, options.freq_mask_width, fill, rng);
  for (int i = 0; i < options.time_masks; ++i) maskOnce(clip, true, options.time_mask_width, fill, rng);
}

void addGaussianNoise(FeatureMatrix& clip, double stddev, std::mt19937& rng) {
  if (stddev <= 0.0) return;
  std::normal_distribution<float> noise(0.0f, float(stddev));
  for (float& v : clip.data) v += noise(rng);
}

double sampleMixupLambda(double alpha, std::mt19937& rng) {
  std::gamma_distribution<double> gamma(alpha, 1.0);
  const double a = gamma(rng);
  const double b = gamma(rng);
  return a + b > 0.0 ? a / (a + b) : 0.5;
}

}  // namespace ser
