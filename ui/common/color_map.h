#pragma once
// Colour maps for heat-map views (spectrograms, confusion matrices): the engine's tables
// (core/image/color_map.h) as Qt colours and images.
#include <QColor>
#include <QImage>

#include "core/features/feature_matrix.h"
#include "core/image/color_map.h"
#include "core/image/spectrogram_image.h"

namespace ser {

// Colour for t in [0, 1] (clamped).
QRgb colorMapValue(ColorMap map, double t);

// Renders a matrix as an image, row 0 at the bottom (low frequencies down), one pixel per cell.
// Values map linearly from [lo, hi] onto the colour map.
QImage renderMatrix(const FeatureMatrix& m, float lo, float hi, ColorMap map = ColorMap::Viridis);

// The engine's image as a QImage (a copy; RGB32).
QImage toQImage(const ArgbImage& image);

}  // namespace ser
