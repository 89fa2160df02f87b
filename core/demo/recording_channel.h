#pragma once
// Recording domains of the demo corpora: the channel a voice goes through (band limits, EQ
// colouring), the level it is recorded at, and the background noise under it.
#include <vector>

#include "core/demo/demo_rng.h"

namespace ser {

struct RecordingChannel {
  double highpassHz = 50;    // lower band edge (Hz), 2nd order
  double lowpassHz = 0;      // upper band edge (Hz), 4th order; 0 = none
  double presenceHz = 2000;  // centre of a peaking EQ (Hz)
  double presenceDb = 0;     // its gain (dB); 0 = none
  double noiseDbfs = -75;    // background noise RMS (dBFS), independent of the voice level
  double noiseColour = 0;    // one-pole low-pass coefficient of the noise, [0, 1); 0 = white
};

// A studio: full band, faint white noise floor.
RecordingChannel studioChannel(DemoRng& rng);
// A crowd-sourced set-up: band-limited to roughly 150-300 Hz .. 3.3-4.2 kHz with a presence peak, and pinkish
// room noise at a moderate level. Drawn per speaker.
RecordingChannel crowdChannel(DemoRng& rng);

// Filters `signal` (sampled at `sampleRate`) through the channel's band limits and EQ.
void applyChannelFilter(std::vector<float>& signal, const RecordingChannel& channel, int sampleRate);

// Scales `signal` so its peak sits at `peakDbfs`, adds the channel's noise, and guarantees a
// peak no higher than -1 dBFS.
void setLevelAndAddNoise(std::vector<float>& signal, double peakDbfs,
                         const RecordingChannel& channel, DemoRng& rng);

}  // namespace ser
