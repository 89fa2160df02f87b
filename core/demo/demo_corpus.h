#pragma once
// The synthetic demo corpus: two small corpora in the exact on-disk layouts of RAVDESS
// ("demo-acted") and CREMA-D ("demo-crowd"), written deterministically from a seed.
// Emotion is carried by prosody and voice quality (pitch level and range, tempo, energy, spectral
// tilt, jitter); speakers and sexes differ; the two corpora differ as recording domains do
// (sample rate, channel colouring, noise, strength of acting). Every corpus carries a README and a
// marker file saying it is synthetic.
//
// OUT/demo-acted: RAVDESS layout, Actor_XX/03-01-EE-II-SS-RR-AA.wav, 48 kHz, studio-clean, strong
//   acting (8 emotions; neutral at intensity 01 only; statements 01/02; odd actors male).
// OUT/demo-crowd: CREMA-D layout, AudioWAV/AAAA_SSS_EMO_LVL.wav plus VideoDemographics.csv,
//   16 kHz, band-limited coloured channel with room noise, weaker acting, other speakers.
// Each clip is 2-3 s, peak at most -1 dBFS (the loudest deliveries at about -3 dBFS; quieter
// emotions lower, so loudness stays a cue). Every random draw is seeded from the seed and the
// clip's (or speaker's) identity, so the output does not depend on thread scheduling or on how
// many other actors are generated.
#include <string>

#include "core/base/progress.h"

namespace ser {

struct DemoCorpusOptions {
  unsigned seed = 1234;
  int actedActors = 8;           // RAVDESS-layout actors, [2, 24] (odd male, even female)
  int actedRepetitions = 1;      // per emotion x intensity x statement, [1, 2]
  int crowdActors = 10;          // CREMA-D-layout actors, [2, 91]
  int crowdSentences = 3;        // CREMA-D sentences per actor and emotion, [1, 12]
  unsigned threads = 0;          // worker threads, [0, 256]; 0 = all hardware threads
  void validate() const;
};

struct DemoCorpusSummary {
  std::string actedDir;   // OUT/demo-acted
  std::string crowdDir;   // OUT/demo-crowd
  int actedClips = 0;
  int crowdClips = 0;
  double seconds = 0.0;   // wall time
  bool cancelled = false; // stopped early through the cancel flag; the corpora are incomplete
};

inline constexpr int kDemoActedSampleRate = 48000;  // Hz, demo-acted
inline constexpr int kDemoCrowdSampleRate = 16000;  // Hz, demo-crowd

// Writes OUT/demo-acted and OUT/demo-crowd (validating the options first). A corpus folder that
// already holds a demo marker is replaced; one that exists without it and is not empty is left
// alone and ser::Error is thrown. Throws ser::Error if OUT cannot be written. Progress is reported
// per clip; cancellation is checked between clips (the summary then says `cancelled`).
DemoCorpusSummary makeDemoCorpus(const std::string& outDir, const DemoCorpusOptions& options = {},
                                 ProgressReporter* progress = nullptr,
                                 const CancelFlag* cancel = nullptr);

}  // namespace ser
