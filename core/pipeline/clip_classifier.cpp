#include "core/pipeline/clip_classifier.h"

#include <cmath>
#include <filesystem>

#include "core/audio/front_end.h"
#include "core/base/error.h"
#include "core/experiment/experiment.h"
#include "core/features/log_mel.h"
#include "core/train/predictor.h"

namespace ser {

struct ClipClassifier::Impl {
  std::string checkpoint;
  TrainedModel trained;
  std::vector<std::string> labels;
  FrontEndParams frontEnd;
  nlohmann::json experiment = nlohmann::json::object();
  std::unique_ptr<AudioFrontEnd> audio;
  std::unique_ptr<LogMel> logMel;
};

ClipClassifier::ClipClassifier(const std::string& checkpoint, DeviceChoice device)
    : impl_(std::make_unique<Impl>()) {
  impl_->checkpoint = checkpoint;
  if (std::filesystem::path(checkpoint).extension() == ".svm")
    throw Error("'" + checkpoint + "': an SVM model has no learned embedding; use a network checkpoint (best.ckpt)");
  impl_->trained = loadTrainedModel(checkpoint, device);
  const nlohmann::json& meta = impl_->trained.meta;
  const char* key = meta.contains("run") ? "run" : "experiment";
  if (!meta.contains(key) || !meta[key].contains("labels") || !meta[key].contains("front_end"))
    throw Error("'" + checkpoint + "': checkpoint has no label list (not written by serwb train?)");
  try {
    impl_->labels = meta[key]["labels"].get<std::vector<std::string>>();
    impl_->frontEnd = frontEndParamsFromJson(meta[key].at("front_end"));
  } catch (const std::exception& e) {
    throw Error("'" + checkpoint + "': unreadable run metadata (" + e.what() + ")");
  }
  impl_->experiment = meta[key].value("experiment", nlohmann::json::object());
  impl_->audio = std::make_unique<AudioFrontEnd>(impl_->frontEnd.audio);
  impl_->logMel = std::make_unique<LogMel>(impl_->frontEnd.logMel);
}

ClipClassifier::~ClipClassifier() = default;

const std::string& ClipClassifier::checkpoint() const { return impl_->checkpoint; }
const std::vector<std::string>& ClipClassifier::labels() const { return impl_->labels; }
const FrontEndParams& ClipClassifier::frontEnd() const { return impl_->frontEnd; }
const nlohmann::json& ClipClassifier::experiment() const { return impl_->experiment; }
const std::string& ClipClassifier::integrityNote() const { return impl_->trained.integrityNote; }
int ClipClassifier::embeddingSize() const { return impl_->trained.model->embeddingSize(); }

std::size_t ClipClassifier::windowSamples() const {
  const auto& a = impl_->frontEnd.audio;
  const double seconds = a.fixedSeconds > 0 ? a.fixedSeconds : 3.0;
  return std::size_t(std::lround(seconds * a.sampleRate));
}

ClipClassifier::Output ClipClassifier::apply(const std::vector<const FeatureMatrix*>& logMels,
                                             const std::vector<std::string>& speakers,
                                             const CancelFlag* cancel) {
  const TrainedModel& t = impl_->trained;
  std::vector<FeatureMatrix> normalised;
  normalised.reserve(logMels.size());
  for (std::size_t i = 0; i < logMels.size(); ++i) {
    const FeatureMatrix& f = *logMels[i];
    if (f.rows != t.inputRows || f.cols != t.inputCols)
      throw Error("clip " + std::to_string(i) + " has shape " + std::to_string(f.rows) + "x" +
                  std::to_string(f.cols) + ", the model was trained on " +
                  std::to_string(t.inputRows) + "x" + std::to_string(t.inputCols));
    normalised.push_back(f);
  }
  const std::vector<BandStats> plan = t.normaliser.plan(normalised, speakers);
  for (std::size_t i = 0; i < normalised.size(); ++i) FeatureNormaliser::apply(normalised[i], plan[i]);

  Output out;
  SerModelImpl& model = *t.model;
  model.eval();
  torch::NoGradGuard noGrad;
  constexpr std::size_t kBatch = 64;
  for (std::size_t start = 0; start < normalised.size(); start += kBatch) {
    if (isCancelled(cancel)) throw Cancelled("cancelled while computing embeddings");
    const std::size_t end = std::min(normalised.size(), start + kBatch);
    std::vector<const FeatureMatrix*> clips;
    for (std::size_t i = start; i < end; ++i) clips.push_back(&normalised[i]);
    const torch::Tensor emb = model.embedding(makeBatchTensor(clips).to(t.device.device));
    const torch::Tensor probs = torch::softmax(model.head(emb), 1).to(torch::kCPU).contiguous();
    const torch::Tensor e = emb.to(torch::kCPU).to(torch::kFloat32).contiguous();
    const std::int64_t classes = probs.size(1), dims = e.size(1);
    const float* p = probs.data_ptr<float>();
    const float* v = e.data_ptr<float>();
    for (std::size_t i = 0; i < end - start; ++i) {
      out.probabilities.emplace_back(p + i * classes, p + (i + 1) * classes);
      out.embeddings.emplace_back(v + i * dims, v + (i + 1) * dims);
    }
  }
  return out;
}

FeatureMatrix ClipClassifier::logMelOf(const std::vector<float>& mono, int sampleRate) {
  std::vector<float> samples = impl_->audio->process(mono, sampleRate);
  if (impl_->frontEnd.audio.fixedSeconds <= 0) samples = fixLength(samples, windowSamples());
  return impl_->logMel->compute(samples);
}

std::vector<float> ClipClassifier::classifySamples(const std::vector<float>& mono, int sampleRate) {
  const FeatureMatrix f = logMelOf(mono, sampleRate);
  for (float v : f.data)
    if (!std::isfinite(v)) throw Error("the audio gives log-mel values that are not numbers");
  // A window of an unknown speaker: the training set's statistics (see PredictOptions).
  return apply({&f}, {std::string()}).probabilities.front();
}

}  // namespace ser
