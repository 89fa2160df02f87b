#pragma once
// Second-order IIR sections (RBJ "Audio EQ Cookbook" designs) for the demo voice and channels.
#include <cmath>

namespace ser {

class Biquad {
 public:
  static Biquad lowpass(double hz, double q, double fs) {
    const Design d(hz, q, fs);
    return Biquad((1 - d.c) / 2, 1 - d.c, (1 - d.c) / 2, 1 + d.alpha, -2 * d.c, 1 - d.alpha);
  }
  static Biquad highpass(double hz, double q, double fs) {
    const Design d(hz, q, fs);
    return Biquad((1 + d.c) / 2, -(1 + d.c), (1 + d.c) / 2, 1 + d.alpha, -2 * d.c, 1 - d.alpha);
  }
  // Band-pass with 0 dB gain at the centre frequency.
  static Biquad bandpass(double hz, double q, double fs) {
    const Design d(hz, q, fs);
    return Biquad(d.alpha, 0, -d.alpha, 1 + d.alpha, -2 * d.c, 1 - d.alpha);
  }
  // Peaking equaliser: `gainDb` at `hz`, 0 dB far from it.
  static Biquad peaking(double hz, double q, double gainDb, double fs) {
    const Design d(hz, q, fs);
    const double a = std::pow(10.0, gainDb / 40.0);
    return Biquad(1 + d.alpha * a, -2 * d.c, 1 - d.alpha * a, 1 + d.alpha / a, -2 * d.c,
                  1 - d.alpha / a);
  }

  Biquad() = default;
  double process(double x) {
    const double y = b0_ * x + b1_ * x1_ + b2_ * x2_ - a1_ * y1_ - a2_ * y2_;
    x2_ = x1_;
    x1_ = x;
    y2_ = y1_;
    y1_ = y;
    return y;
  }

 private:
  struct Design {
    Design(double hz, double q, double fs) {
      const double w0 = 2 * 3.14159265358979323846 * hz / fs;
      c = std::cos(w0);
      alpha = std::sin(w0) / (2 * q);
    }
    double c, alpha;
  };
  Biquad(double b0, double b1, double b2, double a0, double a1, double a2)
      : b0_(b0 / a0), b1_(b1 / a0), b2_(b2 / a0), a1_(a1 / a0), a2_(a2 / a0) {}

  double b0_ = 1, b1_ = 0, b2_ = 0, a1_ = 0, a2_ = 0;
  double x1_ = 0, x2_ = 0, y1_ = 0, y2_ = 0;
};

}  // namespace ser
