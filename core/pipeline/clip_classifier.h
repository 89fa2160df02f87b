#pragma once
// A trained network restored once and applied to clips: class probabilities and the
// penultimate-layer embedding (ser_model.h), from log-mel features, decoded samples or files.
// Used by `serwb embed`, the clip map, the Predict files view and the live microphone. Networks
// only: the SVM has no learned embedding. The header is free of libtorch.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/progress.h"
#include "core/features/feature_matrix.h"
#include "core/features/front_end_params.h"
#include "core/train/trainer_options.h"

namespace ser {

class ClipClassifier {
 public:
  // Loads `checkpoint` (best.ckpt / last.ckpt of `serwb train`). Throws ser::Error naming the file
  // when it is unreadable, an SVM model, or holds no label list.
  explicit ClipClassifier(const std::string& checkpoint, DeviceChoice device = DeviceChoice::Auto);
  ~ClipClassifier();
  ClipClassifier(const ClipClassifier&) = delete;
  ClipClassifier& operator=(const ClipClassifier&) = delete;

  const std::string& checkpoint() const;
  const std::vector<std::string>& labels() const;  // class order of every probability vector
  const FrontEndParams& frontEnd() const;          // the training run's audio and log-mel settings
  const nlohmann::json& experiment() const;        // the training experiment (empty object if unknown)
  const std::string& integrityNote() const;        // empty when the checkpoint verified
  int embeddingSize() const;
  // Samples in one clip window at frontEnd().audio.sampleRate (the fixed clip length, or 3 s when
  // the model kept clip lengths).
  std::size_t windowSamples() const;

  struct Output {
    std::vector<std::vector<float>> probabilities;  // [clip][class]
    std::vector<std::vector<float>> embeddings;     // [clip][embeddingSize()]
  };
  // Raw log-mel clips of the training shape, normalised as in training (`speakers`: one per clip,
  // for per-speaker statistics). Polls `cancel` between batches (throws ser::Cancelled). Throws
  // ser::Error when a clip's shape differs from the training shape.
  Output apply(const std::vector<const FeatureMatrix*>& logMels,
               const std::vector<std::string>& speakers, const CancelFlag* cancel = nullptr);

  // One clip from mono samples at `sampleRate`: resampled, cropped or padded to the model's clip
  // length, normalised with its own statistics. Returns the class probabilities.
  std::vector<float> classifySamples(const std::vector<float>& mono, int sampleRate);
  // The log-mel image classifySamples() feeds the network (before normalisation), for display.
  FeatureMatrix logMelOf(const std::vector<float>& mono, int sampleRate);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ser
