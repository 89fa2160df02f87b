#include "core/train/trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <numeric>
#include <random>
#include <sstream>

#include "core/base/error.h"
#include "core/metrics/metrics.h"
#include "core/model/model_factory.h"
#include "core/train/augmentation.h"
#include "core/train/batch_source.h"
#include "core/train/checkpoint.h"
#include "core/train/compute_device.h"
#include "core/train/distributed.h"
#include "core/train/feature_normaliser.h"
#include "core/train/loss_scaler.h"
#include "core/train/mixed_precision.h"
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

// Loss and predictions on the validation clips, batch by batch from `source`. The loss is summed
// in float64 on the device and the predictions come back in one copy (no per-batch host sync).
Evaluation evaluate(SerModelImpl& model, BatchSource& source, const std::vector<int>& labels,
                    int numClasses, int batchSize, torch::Device device, Precision precision,
                    bool channelsLast) {
  model.eval();
  torch::NoGradGuard noGrad;
  const std::size_t count = labels.size();
  const torch::Tensor allLabels =
      torch::tensor(std::vector<std::int64_t>(labels.begin(), labels.end()), torch::kInt64).to(device);
  torch::Tensor lossSum = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device));
  std::vector<torch::Tensor> predicted;
  for (std::size_t start = 0; start < count; start += std::size_t(batchSize)) {
    const std::size_t end = std::min(count, start + std::size_t(batchSize));
    torch::Tensor x = source.validation(start, end);
    if (channelsLast) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
    const torch::Tensor y = allLabels.slice(0, std::int64_t(start), std::int64_t(end));
    torch::Tensor logits;
    {
      AutocastGuard autocast(precision);
      logits = model.forward(x);
    }
    logits = logits.to(torch::kFloat32);
    lossSum += torch::nn::functional::cross_entropy(
                   logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                   .to(torch::kFloat64);
    predicted.push_back(logits.argmax(1));
  }
  const torch::Tensor pred = torch::cat(predicted).to(torch::kCPU).to(torch::kInt64).contiguous();
  const std::int64_t* p = pred.data_ptr<std::int64_t>();
  const std::vector<int> predictions(p, p + pred.size(0));
  Evaluation e;
  e.loss = lossSum.item<double>() / double(count);
  e.wa = weightedAccuracy(labels, predictions);
  e.uar = unweightedAverageRecall(labels, predictions, numClasses);
  return e;
}

// What one epoch of optimisation steps adds up to.
struct EpochTotals {
  double lossSum = 0.0;       // sum over clips of the batch-mean loss
  double correct = 0.0;       // training clips whose argmax hit the (mixup-dominant) label
  std::size_t seen = 0;
  double stepSeconds = 0.0;   // wall time of the steps, batch assembly included
  bool cancelled = false;
};

// The fixed parts of a run's step: arithmetic, layout, loss, readback policy.
struct StepConfig {
  Precision precision = Precision::Fp32;
  bool channelsLast = false;
  DynamicLossScaler* scaler = nullptr;  // fp16 only
  // Read each step's loss one step late, so the device always has the next step queued. The CPU
  // host path reads at once (and stops before the step of a non-finite loss, as it always did).
  bool deferredReadback = false;
  std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)> loss;  // (logits, labels)
  Distributed* distributed = nullptr;           // data-parallel: gradients all-reduced after backward
  std::vector<std::size_t> globalBatchSizes;    // data-parallel: clips of every global batch of the epoch
  torch::Tensor classWeights;                   // the loss's class weights (undefined: none)
};

// Data-parallel: the weight of this rank's batch-mean loss in the global batch's mean loss. The
// loss is a mean over clips weighted by their class weights, so the share is the rank's sum of
// weights over the global sum (one small all-reduce); without class weights, the clip count's.
double rankShare(const StepConfig& step, const torch::Tensor& labels, std::size_t localSize,
                 std::size_t globalSize) {
  if (!step.classWeights.defined()) return double(localSize) / double(globalSize);
  const double local = step.classWeights.index_select(0, labels).sum().item<double>();
  const double global = step.distributed->allReduceSum(std::vector<double>{local})[0];
  return global > 0.0 ? local / global : double(localSize) / double(globalSize);
}

// A step whose loss and hit count are still on the device.
struct PendingStep {
  torch::Tensor loss;     // 0-dim float32
  torch::Tensor correct;  // 0-dim int64
  std::size_t size = 0;
  int batch = 0;          // 0-based
};

// One epoch of mini-batch steps over `source` (already started for the epoch).
EpochTotals trainEpoch(SerModelImpl& model, torch::optim::Optimizer& optimizer, BatchSource& source,
                       const StepConfig& step, const TrainerOptions& o, int epoch, int batches,
                       double lr, std::mt19937& rng, const CancelFlag* cancel, TrainingObserver* observer) {
  EpochTotals totals;
  const std::vector<torch::Tensor> params = model.parameters();
  auto settle = [&](const PendingStep& p) {
    const double lossValue = p.loss.item<double>();
    if (!std::isfinite(lossValue))
      throw Error("training diverged: the loss is " + fmt(lossValue) + " at epoch " + std::to_string(epoch) +
                  ", batch " + std::to_string(p.batch + 1) + " (learning rate " + fmt(lr) +
                  "); check the input features or lower learning_rate");
    totals.lossSum += lossValue * double(p.size);
    totals.correct += p.correct.item<double>();
    totals.seen += p.size;
    if (observer) observer->onBatch(epoch, p.batch + 1, batches, lossValue);
  };
  std::vector<PendingStep> pending;
  model.train();
  for (int b = 0; b < batches; ++b) {
    // Data-parallel ranks agree on stopping inside the gradient all-reduce below.
    if (!step.distributed && isCancelled(cancel)) {
      totals.cancelled = true;
      return totals;
    }
    const auto stepStart = Clock::now();
    TrainBatch batch = source.next(b, rng);
    torch::Tensor x = batch.x;
    if (step.channelsLast) x = x.contiguous(torch::MemoryFormat::ChannelsLast);

    torch::Tensor y2;
    double lambda = 1.0;
    if (o.mixup_alpha > 0.0) {
      lambda = sampleMixupLambda(o.mixup_alpha, rng);
      const torch::Tensor index = source.permutation(batch.size, rng);
      x = lambda * x + (1.0 - lambda) * x.index_select(0, index);
      y2 = batch.y.index_select(0, index);
    }
    torch::Tensor logits;
    {
      AutocastGuard autocast(step.precision);
      logits = model.forward(x);
    }
    logits = logits.to(torch::kFloat32);
    torch::Tensor loss = step.loss(logits, batch.y);
    torch::Tensor accTarget = batch.y;
    if (y2.defined()) {
      loss = lambda * loss + (1.0 - lambda) * step.loss(logits, y2);
      if (lambda < 0.5) accTarget = y2;
    }
    PendingStep record{loss.detach(), logits.argmax(1).eq(accTarget).sum(), batch.size, b};
    if (!step.deferredReadback) settle(record);

    clearGradients(optimizer);
    // Data-parallel: this rank's loss counts by its share of the global batch, before the backward
    // pass, because the synchronised BatchNorm layers send the gradients of their global-batch
    // statistics to every rank during it; the all-reduce then sums the ranks' gradients.
    if (step.distributed)
      loss = loss * rankShare(step, batch.y, batch.size, step.globalBatchSizes[std::size_t(b)]);
    auto reduce = [&] {
      if (!step.distributed) return false;
      return step.distributed->allReduceGradients(params, 1.0, isCancelled(cancel));
    };
    if (step.scaler) {
      step.scaler->scaleLoss(loss).backward();
      if (reduce()) {
        totals.cancelled = true;
        return totals;
      }
      step.scaler->step(optimizer, params);
    } else {
      loss.backward();
      if (reduce()) {
        totals.cancelled = true;
        return totals;
      }
      optimizer.step();
    }
    if (step.deferredReadback) {
      pending.push_back(std::move(record));
      if (pending.size() > 1) {
        settle(pending.front());
        pending.erase(pending.begin());
      }
    }
    totals.stepSeconds += secondsSince(stepStart);
  }
  const auto flushStart = Clock::now();
  for (const auto& p : pending) settle(p);
  totals.stepSeconds += secondsSince(flushStart);
  return totals;
}

// Data-parallel: this rank's part of the epoch's order. Global batch b covers order[b*B, ...);
// rank r takes the r-th of W contiguous, near-equal slices of it. Fills the clips of every global
// batch; returns the rank's order (its batches back to back, batch size B / W).
std::vector<std::size_t> shardOrder(const std::vector<std::size_t>& order, std::size_t usable,
                                    std::size_t batchSize, int rank, int worldSize,
                                    std::vector<std::size_t>& globalBatchSizes) {
  std::vector<std::size_t> local;
  globalBatchSizes.clear();
  const std::size_t w = std::size_t(worldSize), r = std::size_t(rank);
  for (std::size_t start = 0; start < usable; start += batchSize) {
    const std::size_t n = std::min(batchSize, usable - start);
    globalBatchSizes.push_back(n);
    for (std::size_t k = start + n * r / w; k < start + n * (r + 1) / w; ++k) local.push_back(order[k]);
  }
  return local;
}

std::vector<torch::Tensor> modelState(SerModelImpl& model) {
  std::vector<torch::Tensor> state = model.parameters();
  for (const auto& b : model.buffers()) state.push_back(b);
  return state;
}

// Data-parallel start: every rank gets rank 0's run state, normalisation, optimiser state (when
// rank 0 resumed) and weights. Returns whether rank 0 resumed.
bool syncStart(Distributed& dist, SerModelImpl& model, torch::optim::Optimizer& optimizer, RunState& state,
               FeatureNormaliser& normaliser, bool resumed) {
  nlohmann::json head;
  if (dist.primary())
    head = {{"resumed", resumed}, {"state", state.toJson()}, {"normalisation", normaliser.toJson()}};
  head = nlohmann::json::parse(dist.broadcastBytes(dist.primary() ? head.dump() : std::string()));
  resumed = head.at("resumed").get<bool>();
  if (resumed) {
    std::string bytes;
    if (dist.primary()) {
      torch::serialize::OutputArchive archive;
      optimizer.save(archive);
      std::ostringstream os;
      archive.save_to(os);
      bytes = os.str();
    }
    bytes = dist.broadcastBytes(bytes);
    if (!dist.primary()) {
      state = RunState::fromJson(head.at("state"));
      normaliser = FeatureNormaliser::fromJson(head.at("normalisation"));
      torch::serialize::InputArchive archive;
      std::istringstream is(bytes);
      archive.load_from(is);
      optimizer.load(archive);
    }
  }
  dist.broadcastTensors(modelState(model));
  return resumed;
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
  Distributed* const dist = distributed_;
  const bool primary = !dist || dist->primary();
  const int world = dist ? dist->worldSize() : 1;
  if (dist && (o.batch_size % world != 0 || o.batch_size / world < 2))
    throw Error("data-parallel training on " + std::to_string(world) + " ranks needs batch_size divisible by " +
                std::to_string(world) + " with at least 2 clips per rank; batch_size is " +
                std::to_string(o.batch_size));
  // Only rank 0 reads the run folder; the others get its state in syncStart.
  if (!primary) resume = false;

  std::error_code ec;
  std::filesystem::create_directories(checkpointDir, ec);
  if (ec) throw Error("cannot create checkpoint folder '" + checkpointDir.string() + "': " + ec.message());
  TrainResult result;
  result.best_checkpoint = checkpointDir / kBestCheckpoint;
  result.last_checkpoint = checkpointDir / kLastCheckpoint;

  const ComputeDevice device = selectComputeDevice(o.device, o.threads);
  result.device = device.description;
  const torch::Device dev = device.device;
  const Precision precision = resolvePrecision(o.precision, device);
  result.precision = toString(precision);
  if (o.channels_last && !dev.is_cuda()) log("channels_last is for CUDA: ignored on " + device.description);

  ModelOptions modelOptions;
  modelOptions.kind = o.model;
  modelOptions.numClasses = numClasses;
  modelOptions.dropout = o.dropout;
  modelOptions.pretrainedWeights = o.pretrained_weights;
  modelOptions.pooling = o.pooling;
  modelOptions.inputDeltas = o.deltas;
  if (o.model == ModelKind::EncoderHead) {
    if (train.encoderLayers < 1 || rows % train.encoderLayers != 0)
      throw Error("model encoder: the training clips' " + std::to_string(rows) +
                  " rows are not a whole number of encoder layers (" +
                  std::to_string(train.encoderLayers) + ")");
    modelOptions.encoderLayers = train.encoderLayers;
    modelOptions.encoderDim = rows / train.encoderLayers;
  }

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
                              {"input_cols", cols},          {"parameters", result.parameters},
                              {"pooling", toString(o.pooling)}, {"deltas", o.deltas}};
  if (o.model == ModelKind::EncoderHead) modelMeta["encoder_layers"] = modelOptions.encoderLayers;

  if (resume) {
    CheckpointFile last(result.last_checkpoint);
    const nlohmann::json& m = last.meta();
    try {
      const auto& mm = m.at("model");
      // Checkpoints from before pooling and deltas existed hold an average-pooled, one-channel model.
      if (mm.at("kind") != modelMeta.at("kind") || mm.at("num_classes") != numClasses ||
          mm.at("input_rows") != rows || mm.at("input_cols") != cols ||
          mm.value("pooling", std::string("avg")) != toString(o.pooling) || mm.value("deltas", false) != o.deltas)
        throw Error("checkpoint '" + result.last_checkpoint.string() + "' is for a " +
                    mm.at("kind").get<std::string>() + " with " + mm.at("num_classes").dump() +
                    " classes on " + mm.at("input_rows").dump() + "x" + mm.at("input_cols").dump() +
                    " inputs; cannot resume this run with it");
      // A model-encoder run resumes only on the encoder file it started with.
      auto encoderHash = [](const nlohmann::json& run) {
        if (!run.is_object() || !run.contains("encoder") || !run["encoder"].is_object()) return std::string();
        return run["encoder"].value("hash", std::string());
      };
      const std::string before = encoderHash(m.value("run", nlohmann::json())), now = encoderHash(meta);
      if (before != now)
        throw Error("checkpoint '" + result.last_checkpoint.string() + "' was trained on encoder hash '" +
                    before + "'; cannot resume it with encoder hash '" + now + "'");
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

  if (dist) {
    syncStart(*dist, *model, *optimizer, state, normaliser, resume);
    result.ranks = world;
    const int synced = setBatchStatistics(*model, dist->batchStatistics());
    log("Data-parallel: " + dist->description() + ", " + std::to_string(o.batch_size / world) +
        " clips per rank of every batch of " + std::to_string(o.batch_size) +
        (synced > 0 ? "; BatchNorm statistics over the global batch (" + std::to_string(synced) + " layers)" : "") +
        (dist->options().checkReplicas ? "; replicas compared after every epoch" : ""));
  }
  if (o.channels_last && dev.is_cuda()) toChannelsLast(*model);
  log("Training " + toString(o.model) + " (" + std::to_string(result.parameters) + " parameters) on " +
      device.description + " in " + result.precision + ": " + std::to_string(train.size()) + " training and " +
      std::to_string(validation.size()) + " validation clips of " + std::to_string(rows) + "x" +
      std::to_string(cols));

  const std::vector<BandStats> trainPlan = normaliser.plan(train.features, train.speakers);
  std::vector<FeatureMatrix> valFeatures = validation.features;
  {
    const std::vector<BandStats> valPlan = normaliser.plan(valFeatures, validation.speakers);
    for (std::size_t i = 0; i < valFeatures.size(); ++i) FeatureNormaliser::apply(valFeatures[i], valPlan[i]);
  }
  TrainerOptions sourceOptions = o;  // data-parallel: a rank's batches are its shards
  sourceOptions.batch_size = o.batch_size / world;
  std::unique_ptr<BatchSource> source = [&]() -> std::unique_ptr<BatchSource> {
    DataPlacement placement = o.data_placement;
    const std::int64_t need = residentBytes(train, validation.size());
    if (placement == DataPlacement::Auto && dev.is_cuda()) {
      const std::int64_t freeBytes = freeDeviceMemory(dev);
      // Free memory unknown (-1): try the upload; running out falls back to the host path below.
      placement = freeBytes < 0 || fitsOnDevice(need, freeBytes) ? DataPlacement::Device : DataPlacement::Host;
      if (placement == DataPlacement::Host)
        log("The features (" + std::to_string(need >> 20) + " MiB) do not fit in free device memory (" +
            std::to_string(freeBytes >> 20) + " MiB) with room to train: batches stream from the host");
    }
    if (placement == DataPlacement::Device) {
      try {
        auto resident = makeResidentBatchSource(train, trainPlan, valFeatures, sourceOptions, dev);
        log("Features resident on " + dev.str() + " (" + std::to_string(need >> 20) + " MiB)");
        return resident;
      } catch (const c10::Error& e) {
        if (o.data_placement == DataPlacement::Device)
          throw Error("cannot put the features (" + std::to_string(need >> 20) + " MiB) on " + dev.str() +
                      ": " + e.what_without_backtrace());
        log("Could not put the features on " + dev.str() + " (" + e.what_without_backtrace() +
            "): batches stream from the host");
      }
    }
    return makeHostBatchSource(train, trainPlan, valFeatures, sourceOptions, dev, /*prefetch=*/dev.is_cuda());
  }();

  torch::Tensor classWeights;
  if (o.class_weights) {
    std::vector<double> counts(numClasses, 0.0);
    for (int label : train.labels) counts[label] += 1.0;
    std::vector<float> w(numClasses, 0.0f);
    for (int c = 0; c < numClasses; ++c)
      if (counts[c] > 0) w[c] = float(double(train.size()) / (numClasses * counts[c]));
    classWeights = torch::tensor(w, torch::kFloat32).to(dev);
  }
  StepConfig step;
  step.precision = precision;
  step.channelsLast = o.channels_last && dev.is_cuda();
  step.deferredReadback = dev.is_cuda() || source->resident();
  std::unique_ptr<DynamicLossScaler> scaler;
  if (precision == Precision::Fp16) {
    scaler = std::make_unique<DynamicLossScaler>();
    step.scaler = scaler.get();
  }
  step.distributed = dist;
  step.classWeights = classWeights;
  step.loss = [&classWeights, smoothing = o.label_smoothing](const torch::Tensor& logits,
                                                             const torch::Tensor& labels) {
    torch::nn::functional::CrossEntropyFuncOptions opts;
    if (classWeights.defined()) opts.weight(classWeights);
    if (smoothing > 0.0) opts.label_smoothing(smoothing);
    return torch::nn::functional::cross_entropy(logits, labels, opts);
  };

  nlohmann::json checkpointMeta = {{"model", modelMeta},
                                   {"normalisation", normaliser.toJson()},
                                   {"trainer", ser::toJson(o)},
                                   {"run", meta}};

  const bool alreadyDone = state.stopped_early || state.epoch >= o.epochs;
  std::size_t samplesTrained = 0;
  double stepSeconds = 0.0;
  bool cancelled = false;

  for (int epoch = state.epoch + 1; !alreadyDone && epoch <= o.epochs; ++epoch) {
    const auto epochStart = Clock::now();
    torch::manual_seed(std::uint64_t(o.seed) * 1000003ull + std::uint64_t(epoch));
    std::seed_seq seq{std::uint32_t(o.seed), std::uint32_t(epoch), 0x5e12u};
    std::mt19937 rng(seq);

    double lr = state.lr;
    if (epoch <= o.warmup_epochs)
      lr = o.learning_rate * double(epoch) / double(o.warmup_epochs + 1);
    else if (o.scheduler == SchedulerKind::Cosine)
      lr = o.learning_rate * 0.5 *
           (1.0 + std::cos(kPi * double(epoch - 1 - o.warmup_epochs) / double(o.epochs - o.warmup_epochs)));
    setLearningRate(*optimizer, o.optimizer, lr);

    std::vector<std::size_t> order(train.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    // A final batch of one clip would break BatchNorm statistics: leave that clip out this epoch.
    std::size_t usable = order.size();
    if (usable > 1 && usable % std::size_t(o.batch_size) == 1) --usable;
    if (dist) {
      // Every rank needs two clips of the last batch, too; augmentation draws differ per rank.
      const std::size_t rest = usable % std::size_t(o.batch_size);
      if (rest > 0 && rest < 2 * std::size_t(world)) usable -= rest;
      order = shardOrder(order, usable, std::size_t(o.batch_size), dist->rank(), world, step.globalBatchSizes);
      usable = order.size();
      std::seed_seq rankSeq{std::uint32_t(o.seed), std::uint32_t(epoch), 0x5e12u, std::uint32_t(dist->rank() + 1)};
      rng.seed(rankSeq);
    }
    const int batches = dist ? int(step.globalBatchSizes.size())
                             : int((usable + o.batch_size - 1) / o.batch_size);

    source->startEpoch(order, usable, rng);
    const EpochTotals totals =
        trainEpoch(*model, *optimizer, *source, step, o, epoch, batches, lr, rng, cancel_, observer_);
    cancelled = totals.cancelled;
    samplesTrained += totals.seen;
    stepSeconds += totals.stepSeconds;
    double lossSum = totals.lossSum;
    double correct = totals.correct;
    std::size_t seen = totals.seen;
    if (dist && !cancelled) {
      const std::vector<double> sums = dist->allReduceSum({lossSum, correct, double(seen)});
      lossSum = sums[0];
      correct = sums[1];
      seen = std::size_t(sums[2] + 0.5);
      const std::vector<torch::Tensor> buffers = model->buffers();
      if (!buffers.empty()) dist->broadcastTensors(buffers);  // rank 0's BatchNorm running statistics
      dist->checkReplicasIdentical(modelState(*model), "after epoch " + std::to_string(epoch));
    }
    if (cancelled) {
      log("Cancelled during epoch " + std::to_string(epoch) + "; the checkpoints of epoch " +
          std::to_string(state.epoch) + " are kept");
      break;
    }

    Evaluation val;
    if (primary)
      val = evaluate(*model, *source, validation.labels, numClasses, o.eval_batch_size, dev, precision,
                     step.channelsLast);
    if (dist) {
      const std::vector<double> v = dist->broadcastValues({val.loss, val.wa, val.uar});
      val.loss = v[0];
      val.wa = v[1];
      val.uar = v[2];
    }
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
    if (primary) {
      if (improved) {
        writeCheckpoint(result.best_checkpoint, *model, nullptr, checkpointMeta);
        if (observer_) observer_->onCheckpoint(result.best_checkpoint.string(), epoch, true);
      }
      writeCheckpoint(result.last_checkpoint, *model, optimizer.get(), checkpointMeta);
      if (observer_) observer_->onCheckpoint(result.last_checkpoint.string(), epoch, false);
      if (observer_) observer_->onEpoch(stats);
    }

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
  if (dist) {
    result.train_samples_per_second *= world;  // every rank trained its share of each batch meanwhile
    if (dist->gradientCalls() > 0)
      result.allreduce_ms_per_step = 1000.0 * dist->gradientSeconds() / double(dist->gradientCalls());
    log("Data-parallel: gradient all-reduce " + fmt(result.allreduce_ms_per_step) + " ms per step (mean of " +
        std::to_string(dist->gradientCalls()) + " steps on this rank)");
  }
  if (device.heapAllocator) releaseFreeMemory();  // the activations' pages, kept for reuse until now
  return result;
}

}  // namespace ser
