#include "ui/common/color_map.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ser {

QRgb colorMapValue(ColorMap map, double t) { return colorMapTable(map)[std::size_t(colorMapIndex(t))]; }

QImage renderMatrix(const FeatureMatrix& m, float lo, float hi, ColorMap map) {
  QImage img(std::max(1, m.cols), std::max(1, m.rows), QImage::Format_RGB32);
  img.fill(colorMapValue(map, 0.0));
  if (m.empty()) return img;
  const auto& lut = colorMapTable(map);
  const float span = hi > lo ? hi - lo : 1.0f;
  for (int r = 0; r < m.rows; ++r) {
    auto* line = reinterpret_cast<QRgb*>(img.scanLine(m.rows - 1 - r));
    for (int c = 0; c < m.cols; ++c) line[c] = lut[std::size_t(colorMapIndex((m.at(r, c) - lo) / span))];
  }
  return img;
}

QImage toQImage(const ArgbImage& image) {
  if (image.width <= 0 || image.height <= 0) return {};
  QImage img(image.width, image.height, QImage::Format_RGB32);
  for (int y = 0; y < image.height; ++y)
    std::memcpy(img.scanLine(y), image.pixels.data() + std::size_t(y) * std::size_t(image.width),
                std::size_t(image.width) * sizeof(std::uint32_t));
  return img;
}

}  // namespace ser
