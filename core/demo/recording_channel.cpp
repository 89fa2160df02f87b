#include "core/demo/recording_channel.h"

#include <algorithm>
#include <cmath>

#include "core/demo/biquad.h"

namespace ser {

RecordingChannel studioChannel(DemoRng& rng) {
  RecordingChannel c;
  c.highpassHz = 50;
  c.noiseDbfs = rng.uniform(-78, -72);
  return c;
}

RecordingChannel crowdChannel(DemoRng& rng) {
  RecordingChannel c;
  c.highpassHz = rng.uniform(150, 300);
  c.lowpassHz = rng.uniform(3300, 4200);
  c.presenceHz = rng.uniform(1500, 2600);
  c.presenceDb = rng.uniform(2.0, 6.0);
  c.noiseDbfs = rng.uniform(-50, -44);
  c.noiseColour = rng.uniform(0.6, 0.9);
  return c;
}

void applyChannelFilter(std::vector<float>& signal, const RecordingChannel& c, int sampleRate) {
  const double fs = sampleRate;
  Biquad hp = Biquad::highpass(c.highpassHz, 0.707, fs);
  const bool lowpass = c.lowpassHz > 0 && c.lowpassHz < 0.45 * fs;
  Biquad lp1 = Biquad::lowpass(lowpass ? c.lowpassHz : 1000, 0.54, fs);
  Biquad lp2 = Biquad::lowpass(lowpass ? c.lowpassHz : 1000, 1.31, fs);
  const bool eq = c.presenceDb != 0 && c.presenceHz < 0.45 * fs;
  Biquad peak = Biquad::peaking(eq ? c.presenceHz : 1000, 1.0, c.presenceDb, fs);
  for (float& v : signal) {
    double x = hp.process(v);
    if (lowpass) x = lp2.process(lp1.process(x));
    if (eq) x = peak.process(x);
    v = static_cast<float>(x);
  }
}

void setLevelAndAddNoise(std::vector<float>& signal, double peakDbfs, const RecordingChannel& c,
                         DemoRng& rng) {
  float peak = 0;
  for (float v : signal) peak = std::max(peak, std::abs(v));
  const double gain = peak > 0 ? std::pow(10.0, peakDbfs / 20.0) / peak : 0.0;
  // Noise: unit-variance white noise through a one-pole low-pass, rescaled to unit variance.
  const double a = std::clamp(c.noiseColour, 0.0, 0.99);
  const double unit = std::sqrt((1 - a) / (1 + a));  // standard deviation after the pole
  const double noiseGain = std::pow(10.0, c.noiseDbfs / 20.0) / std::max(unit, 1e-9);
  double state = 0;
  float outPeak = 0;
  for (float& v : signal) {
    const double white = (rng.uniform() * 2 - 1) * 1.7320508075688772;
    state = a * state + (1 - a) * white;
    v = static_cast<float>(v * gain + noiseGain * state);
    outPeak = std::max(outPeak, std::abs(v));
  }
  const float limit = static_cast<float>(std::pow(10.0, -1.0 / 20.0));
  if (outPeak > limit)
    for (float& v : signal) v *= limit / outPeak;
}

}  // namespace ser
