#pragma once
// Perceptually uniform colour maps for heat-map views (spectrograms, confusion matrices).
#include <QColor>
#include <QImage>

#include "core/features/feature_matrix.h"

namespace ser {

enum class ColorMap { Viridis, Magma };

// Colour for t in [0, 1] (clamped).
QRgb colorMapValue(ColorMap map, double t);

// Renders a matrix as an image, row 0 at the bottom (low frequencies down), one pixel per cell.
// Values map linearly from [lo, hi] onto the colour map.
QImage renderMatrix(const FeatureMatrix& m, float lo, float hi, ColorMap map = ColorMap::Viridis);

}  // namespace ser
