#include "core/pipeline/encoder_features.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>

#include "core/base/error.h"

namespace ser {

namespace {

FrontEndParams cacheParams(const AudioFrontEndParams& audio) {
  FrontEndParams p;
  p.audio = audio;
  p.logMel.stft.sampleRate = audio.sampleRate;
  return p;
}

}  // namespace

std::string encoderCacheDir(const std::string& cacheRoot, const SpeechEncoderInfo& info) {
  return (std::filesystem::path(cacheRoot) / ("encoder-" + info.hash)).string();
}

FeatureMatrix hiddenStatesMatrix(const torch::Tensor& states) {
  const torch::Tensor t = states.to(torch::kFloat).permute({0, 2, 1}).contiguous();  // [L, D, F]
  FeatureMatrix m(int(t.size(0) * t.size(1)), int(t.size(2)));
  std::copy(t.data_ptr<float>(), t.data_ptr<float>() + t.numel(), m.data.begin());
  return m;
}

EncoderFeatures extractEncoderFeatures(const std::vector<Clip>& clips, const AudioFrontEndParams& given,
                                       SpeechEncoder& encoder, const std::string& cacheRoot,
                                       ProgressReporter* progress, const CancelFlag* cancel) {
  const auto start = std::chrono::steady_clock::now();
  AudioFrontEndParams audio = given;
  audio.sampleRate = SpeechEncoder::kSampleRate;
  EncoderFeatures out;
  out.features.resize(clips.size());
  std::unique_ptr<FeatureCache> cache;
  if (!cacheRoot.empty()) {
    try {
      cache = std::make_unique<FeatureCache>(encoderCacheDir(cacheRoot, encoder.info()), cacheParams(audio));
    } catch (const Error& e) {
      out.cacheWarning = e.what();
    }
  }
  AudioFrontEnd frontEnd(audio);
  for (std::size_t i = 0; i < clips.size(); ++i) {
    if (isCancelled(cancel)) {
      out.cancelled = true;
      break;
    }
    const std::string& path = clips[i].path;
    std::optional<CachedFeatures> hit = cache ? cache->load(path) : std::nullopt;
    if (hit && !hit->logMel.empty()) {
      out.features[i] = std::move(*hit);
      ++out.cached;
    } else {
      try {
        CachedFeatures f;
        f.logMel = hiddenStatesMatrix(encoder.hiddenStates(frontEnd.load(path)));
        checkFiniteFeatures(f, path);
        if (cache) {
          try {
            cache->store(path, f);
          } catch (const Error& e) {
            if (out.cacheWarning.empty()) out.cacheWarning = e.what();
          }
        }
        out.features[i] = std::move(f);
        ++out.computed;
      } catch (const Error& e) {
        out.failures.push_back({path, e.what()});
      }
    }
    if (progress) progress->progress(i + 1, clips.size(), path);
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace ser
