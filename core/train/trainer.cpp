#include "core/train/trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>

#include "core/base/error.h"
#include "core/metrics/metrics.h"
#include "core/model/model_factory.h"
#include "core/train/augmentation.h"
#include "core/train/checkpoint.h"
#include "core/train/compute_device.h"
#include "core/train/feature_normaliser.h"
#include "core/train/optimizer.h"
#include "core/train/predictor.h"

namespace ser {

namespace {

using Clock = std::chrono::steady_clock;
const double kPi = std::acos(-1.0);

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

nlohmann::json epochStatsToJson(const EpochStats& s) {
  return {{"epoch", s.epoch},         {"train_loss", s.train_loss}, {"train_acc", s.train_acc},
          {"val_loss", s.val_loss},   {"val_acc", s.val_acc},       {"val_uar", s.val_uar},
          {"lr", s.lr},               {"seconds", s.seconds},       {"eta_seconds", s.eta_seconds}};
}

EpochStats epochStatsFromJson(const nlohmann::json& j) {
  EpochStats s;
  s.epoch = j.at("epoch").get<int>();
  s.train_loss = j.at("train_loss").get<double>();
  s.train_acc = j.at("train_acc").get<double>();
  s.val_loss = j.at("val_loss").get<double>();
  s.val_acc = j.at("val_acc").get<double>();
  s.val_uar = j.at("val_uar").get<double>();
  s.lr = j.at("lr").get<double>();
  s.seconds = j.at("seconds").get<double>();
  s.eta_seconds = j.at("eta_seconds").get<double>();
  return s;
}

// Everything about the run's progress that a resumed session needs, besides tensors.
struct RunState {
  int epoch = 0;                     // last finished epoch
  int best_epoch = 0;
  double best_val_uar = -1.0;
  double best_val_acc = 0.0;
  int epochs_without_improvement = 0;
  int plateau_count = 0;
  double lr = 0.0;                   // current base learning rate (plateau cuts applied)
  bool stopped_early = false;
  std::vector<EpochStats> history;

  nlohmann::json toJson() const {
    nlohmann::json h = nlohmann::json::array();
    for (const auto& s : history) h.push_back(epochStatsToJson(s));
    return {{"epoch", epoch},
            {"best_epoch", best_epoch},
            {"best_val_uar", best_val_uar},
            {"best_val_acc", best_val_acc},
            {"epochs_without_improvement", epochs_without_improvement},
            {"plateau_count", plateau_count},
            {"lr", lr},
            {"stopped_early", stopped_early},
            {"history", h}};
  }
  static RunState fromJson(const nlohmann::json& j) {
    RunState s;
    s.epoch = j.at("epoch").get<int>();
    s.best_epoch = j.at("best_epoch").get<int>();
    s.best_val_uar = j.at("best_val_uar").get<double>();
    s.best_val_acc = j.at("best_val_acc").get<double>();
    s.epochs_without_improvement = j.at("epochs_without_improvement").get<int>();
    s.plateau_count = j.at("plateau_count").get<int>();
    s.lr = j.at("lr").get<double>();
    s.stopped_early = j.at("stopped_early").get<bool>();
    for (const auto& e : j.at("history")) s.history.push_back(epochStatsFromJson(e));
    return s;
  }
};

void checkSet(const TrainingSet& set, const std::string& name, int numClasses, int rows, int cols) {
  if (set.features.empty()) throw Error(name + " set is empty");
  if (set.labels.size() != set.features.size())
    throw Error(name + " set has " + std::to_string(set.features.size()) + " clips but " +
                std::to_string(set.labels.size()) + " labels");
  if (!set.speakers.empty() && set.speakers.size() != set.features.size())
    throw Error(name + " set has " + std::to_string(set.features.size()) + " clips but " +
                std::to_string(set.speakers.size()) + " speaker ids");
  for (std::size_t i = 0; i < set.size(); ++i) {
    const FeatureMatrix& f = set.features[i];
    if (f.rows != rows || f.cols != cols || f.data.size() != std::size_t(rows) * cols)
      throw Error(name + " clip " + std::to_string(i) + " has shape " + std::to_string(f.rows) + "x" +
                  std::to_string(f.cols) + ", expected " + std::to_string(rows) + "x" +
                  std::to_string(cols) + " (all clips must share one shape)");
    if (set.labels[i] < 0 || set.labels[i] >= numClasses)
      throw Error(name + " clip " + std::to_string(i) + " has label " + std::to_string(set.labels[i]) +
                  " outside [0, " + std::to_string(numClasses) + ")");
  }
}

struct Evaluation {
  double loss = 0.0;
  double wa = 0.0;
  double uar = 0.0;
};

Evaluation evaluate(SerModelImpl& model, const std::vector<FeatureMatrix>& features,
                    const std::vector<int>& labels, int numClasses, int batchSize,
                    torch::Device device) {
  model.eval();
  torch::NoGradGuard noGrad;
  std::vector<int> predictions;
  predictions.reserve(features.size());
  double lossSum = 0.0;
  for (std::size_t start = 0; start < features.size(); start += std::size_t(batchSize)) {
    const std::size_t end = std::min(features.size(), start + std::size_t(batchSize));
    std::vector<const FeatureMatrix*> clips;
    for (std::size_t i = start; i < end; ++i) clips.push_back(&features[i]);
    torch::Tensor x = makeBatchTensor(clips).to(device);
    torch::Tensor y = torch::tensor(std::vector<std::int64_t>(labels.begin() + start, labels.begin() + end),
                                    torch::kInt64).to(device);
    torch::Tensor logits = model.forward(x);
    lossSum += torch::nn::functional::cross_entropy(
                   logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                   .item<double>();
    torch::Tensor pred = logits.argmax(1).to(torch::kCPU).to(torch::kInt64).contiguous();
    const std::int64_t* p = pred.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < pred.size(0); ++i) predictions.push_back(int(p[i]));
  }
  Evaluation e;
  e.loss = lossSum / double(features.size());
  e.wa = weightedAccuracy(labels, predictions);
  e.uar = unweightedAverageRecall(labels, predictions, numClasses);
  return e;
}

}  // namespace

std::string toString(StopReason reason) {
  switch (reason) {
    case StopReason::Completed: return "completed";
    case StopReason::EarlyStopped: return "early_stopped";
    case StopReason::Cancelled: return "cancelled";
  }
  return "completed";
}

Trainer::Trainer(TrainerOptions options) : options_(std::move(options)) { options_.validate(); }

void Trainer::log(const std::string& message) const {
  if (observer_) observer_->onLog(message);
}

TrainResult Trainer::train(const TrainingSet& train, const TrainingSet& validation, int numClasses,
                           const std::filesystem::path& checkpointDir, const nlohmann::json& meta,
                           bool resume) {
  const auto callStart = Clock::now();
  const TrainerOptions& o = options_;
  checkRangeInt("num_classes", numClasses, 2, 1000);
  if (train.features.empty()) throw Error("training set is empty");
  const int rows = train.features.front().rows;
  const int cols = train.features.front().cols;
  if (rows < 1 || cols < 1) throw Error("training clips are empty (0 mel bands or 0 frames)");
  checkSet(train, "training", numClasses, rows, cols);
  checkSet(validation, "validation", numClasses, rows, cols);

  std::error_code ec;
  std::filesystem::create_directories(checkpointDir, ec);
  if (ec) throw Error("cannot create checkpoint folder '" + checkpointDir.string() + "': " + ec.message());
  TrainResult result;
  result.best_checkpoint = checkpointDir / kBestCheckpoint;
  result.last_checkpoint = checkpointDir / kLastCheckpoint;

  const ComputeDevice device = selectComputeDevice(o.device, o.threads);
  result.device = device.description;
  const torch::Device dev = device.device;

  ModelOptions modelOptions;
  modelOptions.kind = o.model;
  modelOptions.numClasses = numClasses;
  modelOptions.dropout = o.dropout;
  modelOptions.pretrainedWeights = o.pretrained_weights;

  torch::manual_seed(o.seed);
  SerModel model = makeModel(modelOptions);
  model->to(dev);
  result.parameters = countParameters(*model);
  auto optimizer = makeOptimizer(o, *model);

  FeatureNormaliser normaliser(o.normalisation, train.features);
  RunState state;
  state.lr = o.learning_rate;

  nlohmann::json modelMeta = {{"kind", toString(o.model)},   {"num_classes", numClasses},
                              {"dropout", o.dropout},        {"input_rows", rows},
                              {"input_cols", cols},          {"parameters", result.parameters}};

  if (resume) {
    CheckpointFile last(result.last_checkpoint);
    const nlohmann::json& m = last.meta();
    try {
      const auto& mm = m.at("model");
      if (mm.at("kind") != modelMeta.at("kind") || mm.at("num_classes") != numClasses ||
          mm.at("input_rows") != rows || mm.at("input_cols") != cols)
        throw Error("checkpoint '" + result.last_checkpoint.string() + "' is for a " +
                    mm.at("kind").get<std::string>() + " with " + mm.at("num_classes").dump() +
                    " classes on " + mm.at("input_rows").dump() + "x" + mm.at("input_cols").dump() +
                    " inputs; cannot resume this run with it");
      normaliser = FeatureNormaliser::fromJson(m.at("normalisation"));
      if (normaliser.mode() != o.normalisation)
        throw Error("checkpoint '" + result.last_checkpoint.string() + "' used normalisation " +
                    toString(normaliser.mode()) + "; cannot resume with " + toString(o.normalisation));
      state = RunState::fromJson(m.at("state"));
    } catch (const nlohmann::json::exception& e) {
      throw Error("checkpoint '" + result.last_checkpoint.string() + "': metadata incomplete (" +
                  e.what() + ")");
    }
    last.loadModel(*model, dev);
    last.loadOptimizer(*optimizer, dev);
    if (const std::string note = last.integrityNote(); !note.empty()) log("note: " + note);
    log("Resuming after epoch " + std::to_string(state.epoch) + " (best so far: epoch " +
        std::to_string(state.best_epoch) + ", UAR " + fmt(state.best_val_uar) + ")");
  }

  log("Training " + toString(o.model) + " (" + std::to_string(result.parameters) + " parameters) on " +
      device.description + ": " + std::to_string(train.size()) + " training and " +
      std::to_string(validation.size()) + " validation clips of " + std::to_string(rows) + "x" +
      std::to_string(cols));

  const std::vector<BandStats> trainPlan = normaliser.plan(train.features, train.speakers);
  std::vector<FeatureMatrix> valFeatures = validation.features;
  {
    const std::vector<BandStats> valPlan = normaliser.plan(valFeatures, validation.speakers);
    for (std::size_t i = 0; i < valFeatures.size(); ++i) FeatureNormaliser::apply(valFeatures[i], valPlan[i]);
  }

  torch::Tensor classWeights;
  if (o.class_weights) {
    std::vector<double> counts(numClasses, 0.0);
    for (int label : train.labels) counts[label] += 1.0;
    std::vector<float> w(numClasses, 0.0f);
    for (int c = 0; c < numClasses; ++c)
      if (counts[c] > 0) w[c] = float(double(train.size()) / (numClasses * counts[c]));
    classWeights = torch::tensor(w, torch::kFloat32).to(dev);
  }
  auto lossOptions = [&classWeights]() {
    torch::nn::functional::CrossEntropyFuncOptions opts;
    if (classWeights.defined()) opts.weight(classWeights);
    return opts;
  };

  nlohmann::json checkpointMeta = {{"model", modelMeta},
                                   {"normalisation", normaliser.toJson()},
                                   {"trainer", ser::toJson(o)},
                                   {"run", meta}};

  const bool alreadyDone = state.stopped_early || state.epoch >= o.epochs;
  std::size_t samplesTrained = 0;
  double stepSeconds = 0.0;
  bool cancelled = false;
  const bool augmentSpec = o.spec_augment.time_masks > 0 || o.spec_augment.freq_masks > 0;

  for (int epoch = state.epoch + 1; !alreadyDone && epoch <= o.epochs; ++epoch) {
    const auto epochStart = Clock::now();
    torch::manual_seed(std::uint64_t(o.seed) * 1000003ull + std::uint64_t(epoch));
    std::seed_seq seq{std::uint32_t(o.seed), std::uint32_t(epoch), 0x5e12u};
    std::mt19937 rng(seq);

    double lr = state.lr;
    if (o.scheduler == SchedulerKind::Cosine)
      lr = o.learning_rate * 0.5 * (1.0 + std::cos(kPi * double(epoch - 1) / double(o.epochs)));
    setLearningRate(*optimizer, o.optimizer, lr);

    std::vector<std::size_t> order(train.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    // A final batch of one clip would break BatchNorm statistics: leave that clip out this epoch.
    std::size_t usable = order.size();
    if (usable > 1 && usable % std::size_t(o.batch_size) == 1) --usable;
    const int batches = int((usable + o.batch_size - 1) / o.batch_size);

    model->train();
    double lossSum = 0.0;
    double correct = 0.0;
    std::size_t seen = 0;
    for (int b = 0; b < batches; ++b) {
      if (isCancelled(cancel_)) {
        cancelled = true;
        break;
      }
      const auto stepStart = Clock::now();
      const std::size_t start = std::size_t(b) * o.batch_size;
      const std::size_t end = std::min(usable, start + std::size_t(o.batch_size));
      std::vector<FeatureMatrix> clips;
      clips.reserve(end - start);
      std::vector<std::int64_t> labels;
      for (std::size_t k = start; k < end; ++k) {
        const std::size_t i = order[k];
        FeatureMatrix clip = train.features[i];
        if (o.gain_db > 0.0) applyGain(clip, std::uniform_real_distribution<double>(-o.gain_db, o.gain_db)(rng));
        FeatureNormaliser::apply(clip, trainPlan[i]);
        addGaussianNoise(clip, o.noise_std, rng);
        if (augmentSpec) applySpecAugment(clip, o.spec_augment, rng);
        clips.push_back(std::move(clip));
        labels.push_back(train.labels[i]);
      }
      std::vector<const FeatureMatrix*> pointers;
      for (const auto& c : clips) pointers.push_back(&c);
      torch::Tensor x = makeBatchTensor(pointers).to(dev);
      torch::Tensor y = torch::tensor(labels, torch::kInt64).to(dev);

      torch::Tensor loss;
      torch::Tensor logits;
      torch::Tensor accTarget = y;
      if (o.mixup_alpha > 0.0) {
        const double lambda = sampleMixupLambda(o.mixup_alpha, rng);
        std::vector<std::int64_t> perm(labels.size());
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), rng);
        torch::Tensor index = torch::tensor(perm, torch::kInt64).to(dev);
        x = lambda * x + (1.0 - lambda) * x.index_select(0, index);
        torch::Tensor y2 = y.index_select(0, index);
        logits = model->forward(x);
        loss = lambda * torch::nn::functional::cross_entropy(logits, y, lossOptions()) +
               (1.0 - lambda) * torch::nn::functional::cross_entropy(logits, y2, lossOptions());
        if (lambda < 0.5) accTarget = y2;
      } else {
        logits = model->forward(x);
        loss = torch::nn::functional::cross_entropy(logits, y, lossOptions());
      }
      const double lossValue = loss.item<double>();
      if (!std::isfinite(lossValue))
        throw Error("training diverged: the loss is " + fmt(lossValue) + " at epoch " +
                    std::to_string(epoch) + ", batch " + std::to_string(b + 1) + " (learning rate " +
                    fmt(lr) + "); check the input features or lower learning_rate");
      clearGradients(*optimizer);
      loss.backward();
      optimizer->step();

      const std::size_t n = end - start;
      lossSum += lossValue * double(n);
      correct += logits.argmax(1).eq(accTarget).sum().item<double>();
      seen += n;
      samplesTrained += n;
      stepSeconds += secondsSince(stepStart);
      if (observer_) observer_->onBatch(epoch, b + 1, batches, lossValue);
    }
    if (cancelled) {
      cancelled = true;
      log("Cancelled during epoch " + std::to_string(epoch) + "; the checkpoints of epoch " +
          std::to_string(state.epoch) + " are kept");
      break;
    }

    const Evaluation val = evaluate(*model, valFeatures, validation.labels, numClasses,
                                    o.eval_batch_size, dev);
    if (!std::isfinite(val.loss))
      throw Error("training diverged: the validation loss is " + fmt(val.loss) + " after epoch " +
                  std::to_string(epoch) + " (learning rate " + fmt(lr) + ")");

    EpochStats stats;
    stats.epoch = epoch;
    stats.train_loss = seen ? lossSum / double(seen) : 0.0;
    stats.train_acc = seen ? correct / double(seen) : 0.0;
    stats.val_loss = val.loss;
    stats.val_acc = val.wa;
    stats.val_uar = val.uar;
    stats.lr = lr;

    const bool improved = val.uar > state.best_val_uar;
    state.epoch = epoch;
    if (improved) {
      state.best_epoch = epoch;
      state.best_val_uar = val.uar;
      state.best_val_acc = val.wa;
      state.epochs_without_improvement = 0;
      state.plateau_count = 0;
    } else {
      ++state.epochs_without_improvement;
      if (o.scheduler == SchedulerKind::Plateau && ++state.plateau_count >= o.plateau_patience) {
        state.lr *= o.plateau_factor;
        state.plateau_count = 0;
        log("Validation UAR has not improved for " + std::to_string(o.plateau_patience) +
            " epochs: learning rate now " + fmt(state.lr));
      }
    }
    if (o.patience > 0 && state.epochs_without_improvement >= o.patience) state.stopped_early = true;

    stats.seconds = secondsSince(epochStart);
    double totalSeconds = stats.seconds;
    for (const auto& h : state.history) totalSeconds += h.seconds;
    const double meanEpoch = totalSeconds / double(state.history.size() + 1);
    stats.eta_seconds = state.stopped_early ? 0.0 : meanEpoch * double(o.epochs - epoch);
    state.history.push_back(stats);

    checkpointMeta["state"] = state.toJson();
    if (improved) {
      writeCheckpoint(result.best_checkpoint, *model, nullptr, checkpointMeta);
      if (observer_) observer_->onCheckpoint(result.best_checkpoint.string(), epoch, true);
    }
    writeCheckpoint(result.last_checkpoint, *model, optimizer.get(), checkpointMeta);
    if (observer_) observer_->onCheckpoint(result.last_checkpoint.string(), epoch, false);
    if (observer_) observer_->onEpoch(stats);

    if (state.stopped_early) {
      log("Early stopping after epoch " + std::to_string(epoch) + ": no validation UAR gain for " +
          std::to_string(o.patience) + " epochs (best: epoch " + std::to_string(state.best_epoch) + ")");
      break;
    }
  }

  result.stop = cancelled ? StopReason::Cancelled
                          : (state.stopped_early ? StopReason::EarlyStopped : StopReason::Completed);
  result.epochs_completed = state.epoch;
  result.best_epoch = state.best_epoch;
  result.best_val_uar = std::max(state.best_val_uar, 0.0);
  result.best_val_acc = state.best_val_acc;
  result.history = state.history;
  result.train_seconds = secondsSince(callStart);
  result.train_samples_per_second = stepSeconds > 0.0 ? double(samplesTrained) / stepSeconds : 0.0;
  if (device.heapAllocator) releaseFreeMemory();  // the activations' pages, kept for reuse until now
  return result;
}

}  // namespace ser
