#include "core/demo/speech_synth.h"

#include <algorithm>
#include <cmath>

#include "core/demo/biquad.h"

namespace ser {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Adult male vowel formants F1..F4 (Hz), after Peterson & Barney.
constexpr double kVowels[][4] = {
    {730, 1090, 2440, 3400},  // a
    {270, 2290, 3010, 3700},  // i
    {300, 870, 2240, 3300},   // u
    {530, 1840, 2480, 3500},  // e
    {570, 840, 2410, 3300},   // o
    {660, 1720, 2410, 3400},  // ae
    {520, 1190, 2390, 3400},  // uh
    {390, 1990, 2550, 3500},  // ih
};
constexpr int kVowelCount = sizeof(kVowels) / sizeof(kVowels[0]);
constexpr double kF5 = 4500.0;
constexpr double kBandwidths[5] = {60, 90, 150, 200, 250};
constexpr int kFormants = 5;

// Klatt two-pole resonator with unity gain at DC.
class Resonator {
 public:
  void set(double hz, double bw, double fs) {
    const double r = std::exp(-kPi * bw / fs);
    c_ = -r * r;
    b_ = 2 * r * std::cos(2 * kPi * hz / fs);
    a_ = 1 - b_ - c_;
  }
  double process(double x) {
    const double y = a_ * x + b_ * y1_ + c_ * y2_;
    y2_ = y1_;
    y1_ = y;
    return y;
  }

 private:
  double a_ = 1, b_ = 0, c_ = 0, y1_ = 0, y2_ = 0;
};

enum class Onset { None, Fricative, Plosive };

struct Syllable {
  double start = 0, duration = 0;  // seconds from the utterance onset
  double onsetFraction = 0;        // consonant part at the start of the syllable
  Onset onset = Onset::None;
  int vowel = 0;
  double gain = 1;                 // relative amplitude (stress)
  double noiseHz = 4000;           // frication or burst centre frequency
};

struct Accent {
  double time = 0;    // seconds from the utterance onset
  double width = 0;   // standard deviation (s)
  double height = 0;  // semitones
};

double raisedCosine(double x) { return 0.5 - 0.5 * std::cos(kPi * std::clamp(x, 0.0, 1.0)); }

// Unit-variance noise, cheaper than a Gaussian.
double noise(DemoRng& rng) { return (rng.uniform() * 2 - 1) * 1.7320508075688772; }

// Correction of a unit upward step at fractional sample position t (PolyBLEP residual).
double polyBlep(double t) {
  if (t >= 0 && t < 1) return -(1 - t) * (1 - t);
  if (t > -1 && t < 0) return (1 + t) * (1 + t);
  return 0;
}

}  // namespace

std::vector<float> synthesizeUtterance(const Delivery& d, const UtteranceShape& shape,
                                       int sampleRate, DemoRng& rng) {
  const double fs = sampleRate;
  const int n = std::max(1, shape.syllables);

  // Timing: content between a leading and trailing silence of together at least 0.3 s.
  const double maxContent = std::max(0.5, shape.maxSeconds - 0.3);
  const double content = std::min(n / std::max(0.5, d.syllableRate), maxContent);
  const double total =
      std::clamp(content + rng.uniform(0.5, 1.2), shape.minSeconds, shape.maxSeconds);
  const double lead = (total - content) * rng.uniform(0.3, 0.6);
  const std::size_t samples = static_cast<std::size_t>(std::lround(total * fs));

  // Syllables and accents.
  const int accent0 = rng.below(std::max(1, n / 2));
  const int accent1 = n >= 3 ? n / 2 + rng.below(n - n / 2) : accent0;
  std::vector<Syllable> syl(n);
  std::vector<double> weight(n);
  double weightSum = 0;
  for (int i = 0; i < n; ++i) {
    const bool accented = i == accent0 || i == accent1;
    weight[i] = rng.uniform(0.75, 1.25) * (accented ? 1.3 : 1.0) * (i == n - 1 ? 1.25 : 1.0);
    weightSum += weight[i];
    Syllable& s = syl[i];
    const double r = rng.uniform();
    if (r < 0.2) {
      s.onset = Onset::None;
      s.onsetFraction = 0.06;
    } else if (r < 0.6) {
      s.onset = Onset::Fricative;
      s.onsetFraction = rng.uniform(0.2, 0.35);
    } else {
      s.onset = Onset::Plosive;
      s.onsetFraction = rng.uniform(0.15, 0.28);
    }
    s.vowel = rng.below(kVowelCount);
    s.gain = accented ? 1.0 : rng.uniform(0.55, 0.8);
    s.noiseHz = std::min(0.42 * fs, rng.uniform(2500, 6500) * d.formantScale);
  }
  double t0 = 0;
  for (int i = 0; i < n; ++i) {
    syl[i].start = t0;
    syl[i].duration = content * weight[i] / weightSum;
    t0 += syl[i].duration;
  }
  std::vector<Accent> accents;
  for (int i : {accent0, accent1}) {
    if (i == accent1 && accent1 == accent0) break;
    const Syllable& s = syl[i];
    Accent a;
    a.time = s.start + s.duration * (s.onsetFraction + 1) / 2;
    a.width = 0.4 * s.duration;
    a.height = d.accentSt * (i == accent0 ? rng.uniform(0.7, 1.0) : rng.uniform(0.85, 1.1));
    accents.push_back(a);
  }
  const double drift1 = rng.uniform(0, 2 * kPi), drift2 = rng.uniform(0, 2 * kPi);

  // Glottal pulse shape: opening over tp, closing over tn (fractions of the period).
  const double oq = std::clamp(d.openQuotient, 0.35, 0.85);
  const double tp = 0.7 * oq, tn = 0.3 * oq;
  const double pulseScale = 2 * tn / kPi;  // normalises the closing peak of the derivative to -1

  Resonator formant[kFormants];
  double current[kFormants];
  for (int k = 0; k < 4; ++k) current[k] = kVowels[syl[0].vowel][k] * d.formantScale;
  current[4] = kF5 * d.formantScale;
  const int hop = std::max(1, sampleRate / 1000);  // control rate: 1 ms
  const double smoothing = 1 - std::exp(-double(hop) / (0.025 * fs));

  Biquad fricFilter = Biquad::bandpass(syl[0].noiseHz, 2.0, fs);
  Biquad burstFilter = Biquad::bandpass(syl[0].noiseHz * 0.6, 1.2, fs);
  std::vector<double> voiced(samples, 0.0), fric(samples, 0.0);

  double phase = 0, inc = d.f0Hz / fs, amp = 1, f0Now = d.f0Hz;
  int k = 0;  // current syllable
  double voicedEnergy = 0, fricEnergy = 0;
  for (std::size_t i = 0; i < samples; ++i) {
    const double t = double(i) / fs - lead;  // time from the utterance onset
    while (k + 1 < n && t >= syl[k + 1].start) {
      ++k;
      fricFilter = Biquad::bandpass(syl[k].noiseHz, 2.0, fs);
      burstFilter = Biquad::bandpass(syl[k].noiseHz * 0.6, 1.2, fs);
    }
    const Syllable& s = syl[k];

    if (i % hop == 0) {
      // Pitch contour (semitones around the mean): declination, accents, final movement, drift.
      const double u = std::clamp(t / content, 0.0, 1.0);
      double st = d.declinationSt * (0.5 - u);
      for (const Accent& a : accents) {
        const double z = (t - a.time) / a.width;
        st += a.height * std::exp(-0.5 * z * z);
      }
      st += d.finalRiseSt * raisedCosine((u - 0.75) / 0.25);
      st += 0.3 * std::sin(2 * kPi * 0.7 * t + drift1) + 0.2 * std::sin(2 * kPi * 1.9 * t + drift2);
      f0Now = std::clamp(d.f0Hz * std::pow(2.0, st / 12.0), 50.0, 700.0);
      // Formants glide towards the vowel target of the current syllable.
      for (int f = 0; f < kFormants; ++f) {
        const double target = (f < 4 ? kVowels[s.vowel][f] : kF5) * d.formantScale;
        current[f] += smoothing * (target - current[f]);
        formant[f].set(std::min(current[f], 0.45 * fs), kBandwidths[f], fs);
      }
    }

    // Syllable envelopes: consonant onset, then the voiced nucleus.
    double voiceEnv = 0, fricEnv = 0, burstEnv = 0;
    if (t >= 0 && t < content) {
      const double p = (t - s.start) / s.duration;
      if (p < s.onsetFraction) {
        const double q = p / s.onsetFraction;
        if (s.onset == Onset::Fricative) fricEnv = std::sin(kPi * q);
        if (s.onset == Onset::Plosive && q >= 0.75) {
          burstEnv = std::exp(-(q - 0.75) * s.onsetFraction * s.duration / 0.008);
        }
      } else {
        const double q = (p - s.onsetFraction) / (1 - s.onsetFraction);
        voiceEnv = raisedCosine(q / 0.12) * raisedCosine((1 - q) / 0.3) * s.gain;
      }
    }

    // Glottal source: differentiated Rosenberg pulse, band-limited closure, aspiration.
    double source = 0;
    if (voiceEnv > 0) {
      double dg = 0, flow = 0;
      if (phase < tp) {
        dg = pulseScale * (kPi / (2 * tp)) * std::sin(kPi * phase / tp);
        flow = 0.5 - 0.5 * std::cos(kPi * phase / tp);
      } else if (phase < oq) {
        const double x = kPi * (phase - tp) / (2 * tn);
        dg = -pulseScale * (kPi / (2 * tn)) * std::sin(x);
        flow = std::cos(x);
      }
      dg += 0.5 * polyBlep((phase - oq) / inc);
      source = voiceEnv * (amp * dg + d.breath * noise(rng) * (0.3 + 0.7 * flow));
    }
    phase += inc;
    if (phase >= 1) {
      phase -= 1;
      const double jittered = f0Now * std::clamp(1 + d.jitter * rng.normal(), 0.6, 1.4);
      inc = jittered / fs;
      amp = std::max(0.2, 1 + d.shimmer * rng.normal());
    }

    double y = source;
    for (auto& r : formant) y = r.process(y);
    voiced[i] = y;
    voicedEnergy += y * y;

    double z = 0;
    if (fricEnv > 0) z += fricFilter.process(noise(rng)) * fricEnv * s.gain;
    if (burstEnv > 0.001) z += 1.5 * burstFilter.process(noise(rng)) * burstEnv * s.gain;
    fric[i] = z;
    fricEnergy += z * z;
  }

  // Mix consonant noise about 12 dB below the voiced part, then tilt and remove rumble.
  const double fricGain = fricEnergy > 0 ? 0.25 * std::sqrt(voicedEnergy / fricEnergy) : 0.0;
  const double shelf = std::pow(10.0, d.tiltDb / 20.0);
  const double alpha = 1 - std::exp(-2 * kPi * 1000.0 / fs);
  Biquad highpass = Biquad::highpass(60.0, 0.707, fs);
  double low = 0;
  std::vector<float> out(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    const double x = voiced[i] + fricGain * fric[i];
    low += alpha * (x - low);
    out[i] = static_cast<float>(highpass.process(low + shelf * (x - low)));
  }
  return out;
}

}  // namespace ser
