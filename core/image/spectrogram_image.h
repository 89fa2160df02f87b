#pragma once
// A log-mel matrix as a colour image, the way the GUI's spectrogram view shows it: decibels
// (10 / ln 10 times the natural-log power ser::LogMel computes), the top `dynamicRangeDb` below the
// loudest cell mapped linearly onto a colour map, low bands at the bottom, one pixel per cell.
#include <cstdint>
#include <vector>

#include "core/features/feature_matrix.h"
#include "core/image/color_map.h"

namespace ser {

// Pixels as 0xAARRGGBB (Qt's QRgb layout), row-major, top row first.
struct ArgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint32_t> pixels;  // width * height

  std::uint32_t at(int x, int y) const { return pixels[std::size_t(y) * std::size_t(width) + std::size_t(x)]; }
};

struct LogMelImageOptions {
  ColorMap map = ColorMap::Viridis;
  float dynamicRangeDb = 80.0f;  // colour range below the loudest cell, > 0
};

// dB of the loudest finite cell of a natural-log-power matrix; 0 when it has none.
float logMelTopDb(const FeatureMatrix& logMel);

// One pixel per cell: width = frames (cols), height = bands (rows), band 0 in the bottom row.
// Non-finite cells get the colour map's lowest colour. An empty matrix gives an empty image.
ArgbImage renderLogMel(const FeatureMatrix& logMel, const LogMelImageOptions& options = {});

}  // namespace ser
