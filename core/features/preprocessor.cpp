#include "core/features/preprocessor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>

#include "core/audio/audio_file.h"
#include "core/audio/front_end.h"
#include "core/base/error.h"
#include "core/base/parallel.h"

namespace ser {

namespace {

// Branch-free (it vectorises): no value with an all-ones exponent (infinity, NaN).
bool allFinite(const std::vector<float>& v) {
  std::uint32_t bad = 0;
  for (float x : v) {
    std::uint32_t u;
    std::memcpy(&u, &x, sizeof u);
    bad |= static_cast<std::uint32_t>((u & 0x7f800000u) == 0x7f800000u);
  }
  return bad == 0;
}

float peakOf(const std::vector<float>& samples) {
  float peak = 0.0f;
  for (float v : samples) peak = std::max(peak, std::abs(v));
  return peak;
}

}  // namespace

std::string cacheWriteWarning(const PreprocessResult& result, const std::string& cacheDir) {
  if (result.cacheWriteFailures == 0) return {};
  return "could not write " + std::to_string(result.cacheWriteFailures) +
         " feature cache entr" + (result.cacheWriteFailures == 1 ? "y" : "ies") + " to '" +
         cacheDir + "' (first: " + result.cacheWriteError +
         "); the features were computed and are used all the same, but the cache misses them";
}

void checkFiniteFeatures(const CachedFeatures& features, const std::string& path) {
  if (!allFinite(features.logMel.data) || !allFinite(features.utterance))
    throw Error("'" + path + "': features are not finite numbers (the audio's power overflows)");
}

PreprocessResult preprocess(const std::vector<Clip>& clips, const PreprocessOptions& options,
                            const FeatureCache* cache, ProgressReporter* progress,
                            const CancelFlag* cancel) {
  options.params.validate();
  const auto start = std::chrono::steady_clock::now();
  PreprocessResult result;
  result.clips = clips.size();
  result.threads = options.threads ? options.threads : defaultThreadCount();
  if (options.keepInMemory) result.features.resize(clips.size());

  // Configured once, shared by all workers (compute() is const and thread-safe).
  const LogMel logMel(options.params.logMel);
  UtteranceFeatureParams uttParams;
  uttParams.logMel = options.params.logMel;
  uttParams.nMfcc = options.params.nMfcc;
  const UtteranceFeatures utterance(uttParams);
  // Per worker: an audio front end (its resamplers) and buffers reused from clip to clip.
  struct Workspace {
    std::unique_ptr<AudioFrontEnd> frontEnd;
    std::vector<float> samples;  // the front end's output
    FeatureMatrix power;         // power spectrogram
  };
  std::vector<Workspace> workspaces(result.threads);

  std::mutex mutex;  // guards result counters and serialises progress calls
  std::size_t done = 0;

  parallelFor(
      clips.size(), result.threads,
      [&](std::size_t i, unsigned worker) {
        const Clip& clip = clips[i];
        std::optional<CachedFeatures> features;
        bool fromCache = false;
        std::string failure;
        std::string cacheError;
        double audioSeconds = 0.0;
        try {
          if (cache) features = cache->load(clip.path);
          if (features && (!allFinite(features->logMel.data) || !allFinite(features->utterance)))
            features.reset();  // written before non-finite audio was refused: recompute
          if (features) {
            fromCache = true;
            audioSeconds = clip.seconds();
          } else {
            Workspace& ws = workspaces[worker];
            if (!ws.frontEnd) ws.frontEnd = std::make_unique<AudioFrontEnd>(options.params.audio);
            const MonoAudio audio = loadMono(clip.path);
            audioSeconds = audio.seconds();
            ws.frontEnd->process(audio.samples.data(), audio.samples.size(), audio.sampleRate,
                                 ws.samples);
            // The power spectrogram once, for both kinds of features.
            logMel.stft().power(ws.samples.data(), ws.samples.size(), ws.power);
            FeatureMatrix lm = logMel.fromPower(ws.power);
            std::vector<float> utt = utterance.compute(ws.samples, ws.power, lm);
            features = CachedFeatures{std::move(lm), std::move(utt)};
            if (!allFinite(features->logMel.data) || !allFinite(features->utterance))
              throw Error("'" + clip.path + "': features are not finite numbers (peak sample " +
                          std::to_string(peakOf(audio.samples)) +
                          ": the power spectrum overflows)");
            // A failed write (full disk) loses only the cache entry, never the clip.
            if (cache) {
              try {
                cache->store(clip.path, *features);
              } catch (const std::exception& e) {
                cacheError = e.what();
              }
            }
          }
        } catch (const std::exception& e) {
          failure = e.what();
          features.reset();
        }
        std::lock_guard<std::mutex> lock(mutex);
        if (features) {
          (fromCache ? result.cached : result.computed) += 1;
          if (!cacheError.empty() && result.cacheWriteFailures++ == 0)
            result.cacheWriteError = cacheError;
          result.audioSeconds += audioSeconds;
          if (options.keepInMemory) result.features[i] = std::move(*features);
        } else {
          result.failures.push_back({clip.path, failure});
        }
        ++done;
        if (progress) progress->progress(done, clips.size(), clip.path);
      },
      [cancel] { return isCancelled(cancel); });

  result.cancelled = isCancelled(cancel) && done < clips.size();
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace ser
