#include "core/demo/emotion_style.h"

#include <algorithm>
#include <cmath>

namespace ser {

DemoSpeaker drawSpeaker(bool male, double spread, DemoRng& rng) {
  DemoSpeaker s;
  s.male = male;
  const double centreF0 = male ? 115.0 : 210.0;
  const double centreScale = male ? 1.0 : 1.17;
  s.f0Hz = centreF0 * std::pow(2.0, rng.uniform(-1.0, 1.0) * 1.4 * spread / 12.0);
  s.formantScale = centreScale * (1 + rng.uniform(-1.0, 1.0) * 0.035 * spread);
  s.accentSt = rng.uniform(2.5, 3.5);
  s.syllableRate = rng.uniform(4.2, 5.0);
  s.tiltDb = rng.uniform(-1.5, 1.5) * spread;
  s.jitter = rng.uniform(0.003, 0.007);
  s.shimmer = rng.uniform(0.02, 0.04);
  s.breath = male ? rng.uniform(0.02, 0.05) : rng.uniform(0.04, 0.08);
  s.openQuotient = male ? rng.uniform(0.5, 0.6) : rng.uniform(0.6, 0.7);
  return s;
}

const EmotionStyle& emotionStyle(DemoEmotion emotion) {
  //                                 f0St range tempo energy tilt  jitter shimmer breath rise  oq
  static const EmotionStyle kNeutral{0.0, 1.00, 1.00, 0.0, 0.0, 0.000, 0.00, 0.00, 0.0, 0.00};
  static const EmotionStyle kCalm{-1.0, 0.80, 0.85, -3.0, -2.5, 0.000, 0.00, 0.04, 0.0, 0.05};
  static const EmotionStyle kHappy{4.0, 1.70, 1.15, 4.0, 3.0, 0.002, 0.02, 0.00, 1.0, -0.05};
  static const EmotionStyle kSad{-2.5, 0.45, 0.72, -7.0, -6.0, 0.004, 0.03, 0.08, -1.0, 0.12};
  static const EmotionStyle kAngry{3.0, 1.30, 1.20, 8.0, 7.0, 0.004, 0.03, 0.00, -1.0, -0.15};
  static const EmotionStyle kFearful{5.5, 1.10, 1.28, 1.0, 1.0, 0.020, 0.06, 0.06, 1.0, 0.00};
  static const EmotionStyle kDisgust{-2.0, 0.90, 0.78, -1.0, -1.0, 0.025, 0.15, 0.02, -1.5, -0.05};
  static const EmotionStyle kSurprised{4.0, 2.30, 1.00, 3.0, 2.0, 0.002, 0.02, 0.02, 7.0, 0.00};
  switch (emotion) {
    case DemoEmotion::Neutral: return kNeutral;
    case DemoEmotion::Calm: return kCalm;
    case DemoEmotion::Happy: return kHappy;
    case DemoEmotion::Sad: return kSad;
    case DemoEmotion::Angry: return kAngry;
    case DemoEmotion::Fearful: return kFearful;
    case DemoEmotion::Disgust: return kDisgust;
    case DemoEmotion::Surprised: return kSurprised;
  }
  return kNeutral;
}

Delivery deliver(const DemoSpeaker& sp, DemoEmotion emotion, double strength, DemoRng& rng,
                 double* levelDb) {
  const EmotionStyle& e = emotionStyle(emotion);
  const double s = strength;
  const double range = std::pow(e.rangeScale, s);
  Delivery d;
  d.f0Hz = sp.f0Hz * std::pow(2.0, (e.f0St * s + 0.5 * rng.normal()) / 12.0);
  d.accentSt = sp.accentSt * range;
  d.declinationSt = 2.0 * range;
  d.finalRiseSt = e.finalRiseSt * s;
  d.syllableRate = sp.syllableRate * std::pow(e.tempo, s) * (1 + 0.04 * rng.normal());
  d.formantScale = sp.formantScale;
  d.tiltDb = sp.tiltDb + e.tiltDb * s + 0.7 * rng.normal();
  d.jitter = sp.jitter + e.jitter * s;
  d.shimmer = sp.shimmer + e.shimmer * s;
  d.breath = sp.breath + e.breath * s;
  d.openQuotient = std::clamp(sp.openQuotient + e.openQuotient * s, 0.35, 0.85);
  if (levelDb) *levelDb = e.energyDb * s + 0.8 * rng.normal();
  return d;
}

}  // namespace ser
