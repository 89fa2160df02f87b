#pragma once
// Speakers and emotion styles of the demo corpus, and how they combine into a Delivery.
#include <string>

#include "core/demo/demo_rng.h"
#include "core/demo/speech_synth.h"

namespace ser {

// The eight RAVDESS emotions; CREMA-D uses six of them (no calm, no surprised).
enum class DemoEmotion { Neutral, Calm, Happy, Sad, Angry, Fearful, Disgust, Surprised };

// A speaker's habitual voice.
struct DemoSpeaker {
  bool male = true;
  double f0Hz = 120;          // habitual pitch (Hz)
  double formantScale = 1.0;  // vocal-tract scaling (1 = adult male reference)
  double accentSt = 3.0;      // habitual pitch-accent height (semitones)
  double syllableRate = 4.5;  // habitual speaking rate (syllables/s)
  double tiltDb = 0;          // habitual spectral tilt (dB)
  double jitter = 0.005;      // fraction
  double shimmer = 0.03;      // fraction
  double breath = 0.05;       // aspiration relative to the voiced source
  double openQuotient = 0.6;
};

// Draws a speaker. `spread` > 1 widens the population (the crowd corpus has more varied voices).
DemoSpeaker drawSpeaker(bool male, double spread, DemoRng& rng);

// Deviations of an emotion from neutral speech, at full strength.
struct EmotionStyle {
  double f0St = 0;          // pitch level shift (semitones)
  double rangeScale = 1;    // factor on accent height and declination
  double tempo = 1;         // factor on the speaking rate
  double energyDb = 0;      // loudness (dB)
  double tiltDb = 0;        // spectral tilt (dB above ~1 kHz; > 0 brighter)
  double jitter = 0;        // added period perturbation (fraction)
  double shimmer = 0;       // added amplitude perturbation (fraction)
  double breath = 0;        // added aspiration
  double finalRiseSt = 0;   // pitch movement over the last quarter (semitones)
  double openQuotient = 0;  // added open quotient (< 0 tenser, > 0 laxer)
};

const EmotionStyle& emotionStyle(DemoEmotion emotion);

// One utterance's delivery: the speaker's voice moved by the emotion's deviations scaled by
// `strength` (0 = neutral, 1 = full-blown acting), plus small per-utterance variation.
// `levelDb` receives the utterance's loudness relative to the speaker's neutral level.
Delivery deliver(const DemoSpeaker& speaker, DemoEmotion emotion, double strength, DemoRng& rng,
                 double* levelDb);

}  // namespace ser
