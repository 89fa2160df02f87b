#include "core/image/color_map.h"

#include <algorithm>
#include <cmath>

namespace ser {
namespace {

struct Stop { double r, g, b; };

// matplotlib's viridis and magma sampled at t = 0, 0.1, ..., 1.
constexpr std::array<Stop, 11> kViridis{{{0.267, 0.005, 0.329}, {0.283, 0.141, 0.458},
                                         {0.254, 0.265, 0.530}, {0.207, 0.372, 0.553},
                                         {0.164, 0.471, 0.558}, {0.128, 0.567, 0.551},
                                         {0.135, 0.659, 0.518}, {0.267, 0.749, 0.441},
                                         {0.478, 0.821, 0.318}, {0.741, 0.873, 0.150},
                                         {0.993, 0.906, 0.144}}};
constexpr std::array<Stop, 11> kMagma{{{0.001, 0.000, 0.014}, {0.079, 0.054, 0.211},
                                       {0.232, 0.060, 0.437}, {0.390, 0.100, 0.502},
                                       {0.550, 0.161, 0.506}, {0.716, 0.215, 0.475},
                                       {0.868, 0.288, 0.409}, {0.967, 0.439, 0.360},
                                       {0.994, 0.624, 0.427}, {0.995, 0.812, 0.573},
                                       {0.987, 0.991, 0.750}}};

std::uint32_t rgb(double r, double g, double b) {
  auto byte = [](double v) { return std::uint32_t(std::clamp(int(255 * v + 0.5), 0, 255)); };
  return 0xff000000u | (byte(r) << 16) | (byte(g) << 8) | byte(b);
}

std::array<std::uint32_t, 256> buildTable(const std::array<Stop, 11>& stops) {
  std::array<std::uint32_t, 256> t{};
  for (int i = 0; i < 256; ++i) {
    const double x = i / 255.0 * 10.0;
    const int k = std::min(9, int(x));
    const double f = x - k;
    const Stop& a = stops[std::size_t(k)];
    const Stop& b = stops[std::size_t(k) + 1];
    t[std::size_t(i)] = rgb(a.r + f * (b.r - a.r), a.g + f * (b.g - a.g), a.b + f * (b.b - a.b));
  }
  return t;
}

}  // namespace

const std::array<std::uint32_t, 256>& colorMapTable(ColorMap map) {
  static const std::array<std::uint32_t, 256> viridis = buildTable(kViridis);
  static const std::array<std::uint32_t, 256> magma = buildTable(kMagma);
  return map == ColorMap::Magma ? magma : viridis;
}

int colorMapIndex(double t) {
  if (!std::isfinite(t)) return 0;
  return std::clamp(int(t * 255.0 + 0.5), 0, 255);
}

}  // namespace ser
