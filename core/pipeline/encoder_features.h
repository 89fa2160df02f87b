#pragma once
// Hidden states of a frozen speech encoder for every clip, through an on-disk cache: the
// "features" of model encoder. Each clip's audio goes through the project's front end at 16 kHz
// (fixed length as the experiment says), then through the encoder once; the result is stored as
// a FeatureMatrix of layers * dim rows by frames columns (row l * dim + d = layer l, value d).
//
// Cache: the feature cache format (feature_cache.h) in the subfolder "encoder-<file hash>" of the
// cache folder, keyed by the audio file's identity and the audio front end's parameters. A
// second run with the same encoder file and audio settings reads every clip from there.
// Size: layers * dim * frames * 4 bytes per clip; wav2vec2/HuBERT/WavLM base (12 x 768, 50
// frames per second) on 3 s clips: 12 * 768 * 149 * 4 = 5.5 MB per clip on disk and in memory.
#include <string>
#include <vector>

#include "core/audio/front_end.h"
#include "core/base/progress.h"
#include "core/corpus/clip.h"
#include "core/features/feature_cache.h"
#include "core/features/preprocessor.h"
#include "core/model/speech_encoder.h"

namespace ser {

struct EncoderFeatures {
  std::vector<CachedFeatures> features;  // one per clip; empty logMel when it failed or was not reached
  std::size_t computed = 0;              // clips run through the encoder now
  std::size_t cached = 0;                // clips read from the cache
  std::vector<PreprocessFailure> failures;
  std::string cacheWarning;              // the first cache write failure; empty when none
  bool cancelled = false;
  double seconds = 0.0;
};

// The cache subfolder of `cacheRoot` for this encoder file.
std::string encoderCacheDir(const std::string& cacheRoot, const SpeechEncoderInfo& info);

// The FeatureMatrix layout above from [layers, frames, dim] hidden states.
FeatureMatrix hiddenStatesMatrix(const torch::Tensor& states);

// `cacheRoot` empty = no cache. Per-clip errors (unreadable audio, a forward that fails) become
// failures and the rest goes on. Cancellation is polled between clips.
EncoderFeatures extractEncoderFeatures(const std::vector<Clip>& clips, const AudioFrontEndParams& audio,
                                       SpeechEncoder& encoder, const std::string& cacheRoot,
                                       ProgressReporter* progress = nullptr,
                                       const CancelFlag* cancel = nullptr);

}  // namespace ser
