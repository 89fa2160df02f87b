#include "core/features/preprocessor.h"

#include <chrono>
#include <memory>
#include <mutex>

#include "core/audio/audio_file.h"
#include "core/audio/front_end.h"
#include "core/base/error.h"
#include "core/base/parallel.h"

namespace ser {

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
        double audioSeconds = 0.0;
        try {
          if (cache) features = cache->load(clip.path);
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
            if (cache) cache->store(clip.path, *features);
          }
        } catch (const std::exception& e) {
          failure = e.what();
          features.reset();
        }
        std::lock_guard<std::mutex> lock(mutex);
        if (features) {
          (fromCache ? result.cached : result.computed) += 1;
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
