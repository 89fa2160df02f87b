#pragma once
// A source-filter "speech-like" voice for the synthetic demo corpus. Not intelligible speech:
// a glottal pulse train (Rosenberg pulse, differentiated) with an F0 contour, jitter and shimmer,
// plus aspiration noise, through a cascade of five formant resonators whose targets change per
// syllable (vowel-like), with consonant-like onsets (frication, plosive bursts), a syllable
// amplitude envelope and a high-shelf spectral-tilt filter. What it carries is prosody and voice
// quality, which is what the emotion styles vary.
#include <vector>

#include "core/demo/demo_rng.h"

namespace ser {

// How one utterance is spoken: speaker and emotion already combined.
struct Delivery {
  double f0Hz = 120.0;          // mean pitch level (Hz)
  double accentSt = 3.0;        // height of pitch accents (semitones)
  double declinationSt = 2.0;   // pitch fall from the first to the last syllable (semitones)
  double finalRiseSt = 0.0;     // pitch change over the last quarter (semitones; < 0 falls)
  double syllableRate = 4.5;    // syllables per second
  double formantScale = 1.0;    // vocal-tract scaling of the formant frequencies (1 = adult male)
  double tiltDb = 0.0;          // high-shelf gain above ~1 kHz (dB; > 0 brighter)
  double jitter = 0.005;        // cycle-to-cycle period perturbation (standard deviation, fraction)
  double shimmer = 0.03;        // cycle-to-cycle amplitude perturbation (standard deviation, fraction)
  double breath = 0.05;         // aspiration noise relative to the voiced source
  double openQuotient = 0.6;    // open part of the glottal cycle, [0.35, 0.85]; lower = tenser
};

// Limits of the clip length; the utterance sits between a short leading and trailing silence.
struct UtteranceShape {
  int syllables = 7;
  double minSeconds = 2.0;
  double maxSeconds = 3.0;
};

// Synthesises one utterance at `sampleRate` Hz. The result is `shape.minSeconds` to
// `shape.maxSeconds` long (the speaking rate is raised when the syllables would not fit) and is
// not level-normalised (the caller sets the level). Deterministic given the rng state.
std::vector<float> synthesizeUtterance(const Delivery& delivery, const UtteranceShape& shape,
                                       int sampleRate, DemoRng& rng);

}  // namespace ser
