#include "core/image/spectrogram_image.h"

#include <algorithm>
#include <cmath>

namespace ser {
namespace {
constexpr float kDbPerNeper = 4.3429448f;  // 10 / ln(10): natural-log power -> dB
}  // namespace

float logMelTopDb(const FeatureMatrix& logMel) {
  float top = 0.0f;
  bool any = false;
  for (float v : logMel.data) {
    const float db = v * kDbPerNeper;
    if (!std::isfinite(db)) continue;
    top = any ? std::max(top, db) : db;
    any = true;
  }
  return top;
}

ArgbImage renderLogMel(const FeatureMatrix& logMel, const LogMelImageOptions& options) {
  ArgbImage img;
  if (logMel.empty() || logMel.rows <= 0 || logMel.cols <= 0) return img;
  img.width = logMel.cols;
  img.height = logMel.rows;
  img.pixels.resize(std::size_t(img.width) * std::size_t(img.height));
  const auto& lut = colorMapTable(options.map);
  const float top = logMelTopDb(logMel);
  const float range = options.dynamicRangeDb > 0 ? options.dynamicRangeDb : 80.0f;
  const float lo = top - range;
  for (int r = 0; r < logMel.rows; ++r) {
    std::uint32_t* line = img.pixels.data() + std::size_t(logMel.rows - 1 - r) * std::size_t(img.width);
    for (int c = 0; c < logMel.cols; ++c)
      line[c] = lut[std::size_t(colorMapIndex((logMel.at(r, c) * kDbPerNeper - lo) / range))];
  }
  return img;
}

}  // namespace ser
