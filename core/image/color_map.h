#pragma once
// Perceptually uniform colour maps (matplotlib's viridis and magma) as 256-entry tables, shared by
// the GUI's heat maps and the spectrogram images the CLI writes, so both show the same colours.
#include <array>
#include <cstdint>

namespace ser {

enum class ColorMap { Viridis, Magma };

// 256 colours as 0xAARRGGBB with alpha 0xff (the layout of Qt's QRgb); entry i is t = i / 255.
const std::array<std::uint32_t, 256>& colorMapTable(ColorMap map);

// Table index for t in [0, 1] (clamped; NaN and infinities map to 0).
int colorMapIndex(double t);

}  // namespace ser
