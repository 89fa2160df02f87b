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
  // One audio front end (owning a resampler) per worker.
  std::vector<std::unique_ptr<AudioFrontEnd>> frontEnds(result.threads);

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
            auto& fe = frontEnds[worker];
            if (!fe) fe = std::make_unique<AudioFrontEnd>(options.params.audio);
            const MonoAudio audio = loadMono(clip.path);
            audioSeconds = audio.seconds();
            const std::vector<float> samples = fe->process(audio.samples, audio.sampleRate);
            const FeatureMatrix power = logMel.stft().power(samples);  // once, for both kinds
            FeatureMatrix lm = logMel.fromPower(power);
            std::vector<float> utt = utterance.compute(samples, power, lm);
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
