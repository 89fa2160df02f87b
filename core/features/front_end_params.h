#pragma once
// Everything that determines the cached features of a clip. Its fingerprint keys the cache:
// change any field and the cache recomputes.
#include <string>

#include "core/audio/front_end.h"
#include "core/features/log_mel.h"
#include "core/features/utterance_features.h"

namespace ser {

struct FrontEndParams {
  AudioFrontEndParams audio;     // 16 kHz, 3.0 s fixed length
  LogMelParams logMel;           // 64 bands, 25 ms / 10 ms, 0-8000 Hz; stft.sampleRate follows audio
  int nMfcc = 13;                // for the utterance features
  void validate() const;         // throws ParameterError (also: stft rate != audio rate)
  std::string fingerprint() const;  // stable text of every field, hashed into cache keys
};

}  // namespace ser
