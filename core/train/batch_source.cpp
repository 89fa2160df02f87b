#include "core/train/batch_source.h"

#include <algorithm>
#include <future>
#include <numeric>

#include "core/base/error.h"
#include "core/train/augmentation.h"
#include "core/train/batch_augmentation.h"
#include "core/train/predictor.h"

namespace ser {

namespace {

torch::Tensor labelTensor(const std::vector<std::int64_t>& labels, bool pinned) {
  torch::Tensor y = torch::empty({std::int64_t(labels.size())},
                                 torch::TensorOptions().dtype(torch::kInt64).pinned_memory(pinned));
  std::copy(labels.begin(), labels.end(), y.data_ptr<std::int64_t>());
  return y;
}

class HostBatchSource final : public BatchSource {
 public:
  HostBatchSource(const TrainingSet& train, std::vector<BandStats> plan,
                  const std::vector<FeatureMatrix>& validation, const TrainerOptions& options,
                  torch::Device device, bool prefetch)
      : train_(train), plan_(std::move(plan)), validation_(validation), options_(options),
        device_(device), prefetch_(prefetch), pinned_(prefetch && device.is_cuda()) {}

  ~HostBatchSource() override {
    if (ahead_.valid()) ahead_.wait();
  }

  void startEpoch(const std::vector<std::size_t>& order, std::size_t usable, std::mt19937& rng) override {
    if (ahead_.valid()) ahead_.wait();
    order_ = order;
    usable_ = usable;
    if (prefetch_) {
      own_.seed(rng());
      ahead_ = std::async(std::launch::async, [this] { return assemble(0, own_); });
    }
  }

  TrainBatch next(int b, std::mt19937& rng) override {
    HostBatch host;
    if (prefetch_) {
      host = ahead_.get();
      if (std::size_t(b + 1) * std::size_t(options_.batch_size) < usable_)
        ahead_ = std::async(std::launch::async, [this, b] { return assemble(b + 1, own_); });
    } else {
      host = assemble(b, rng);
    }
    TrainBatch batch;
    batch.size = std::size_t(host.y.size(0));
    batch.x = host.x.to(device_, /*non_blocking=*/pinned_);
    batch.y = host.y.to(device_, /*non_blocking=*/pinned_);
    return batch;
  }

  torch::Tensor validation(std::size_t start, std::size_t end) override {
    std::vector<const FeatureMatrix*> clips;
    for (std::size_t i = start; i < end; ++i) clips.push_back(&validation_[i]);
    return makeBatchTensor(clips).to(device_);
  }

  torch::Tensor permutation(std::size_t n, std::mt19937& rng) override {
    // On CUDA a pageable host-to-device copy would wait for the queued steps: draw on the device.
    if (device_.is_cuda())
      return torch::randperm(std::int64_t(n), torch::TensorOptions().dtype(torch::kInt64).device(device_));
    std::vector<std::int64_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);
    return torch::tensor(perm, torch::kInt64).to(device_);
  }

  bool resident() const override { return false; }

 private:
  struct HostBatch {
    torch::Tensor x;
    torch::Tensor y;
  };

  // The clips of batch b, augmented and normalised in the order the CPU trainer always used.
  HostBatch assemble(int b, std::mt19937& rng) const {
    const TrainerOptions& o = options_;
    const bool augmentSpec = o.spec_augment.time_masks > 0 || o.spec_augment.freq_masks > 0;
    const std::size_t start = std::size_t(b) * std::size_t(o.batch_size);
    const std::size_t end = std::min(usable_, start + std::size_t(o.batch_size));
    std::vector<FeatureMatrix> clips;
    clips.reserve(end - start);
    std::vector<std::int64_t> labels;
    for (std::size_t k = start; k < end; ++k) {
      const std::size_t i = order_[k];
      FeatureMatrix clip = train_.features[i];
      if (o.gain_db > 0.0) applyGain(clip, std::uniform_real_distribution<double>(-o.gain_db, o.gain_db)(rng));
      FeatureNormaliser::apply(clip, plan_[i]);
      addGaussianNoise(clip, o.noise_std, rng);
      if (augmentSpec) applySpecAugment(clip, o.spec_augment, rng);
      clips.push_back(std::move(clip));
      labels.push_back(train_.labels[i]);
    }
    std::vector<const FeatureMatrix*> pointers;
    for (const auto& c : clips) pointers.push_back(&c);
    HostBatch batch;
    batch.x = makeBatchTensor(pointers);
    if (pinned_) batch.x = batch.x.pin_memory();
    batch.y = labelTensor(labels, pinned_);
    return batch;
  }

  const TrainingSet& train_;
  const std::vector<BandStats> plan_;
  const std::vector<FeatureMatrix>& validation_;
  const TrainerOptions options_;
  const torch::Device device_;
  const bool prefetch_;
  const bool pinned_;
  std::vector<std::size_t> order_;
  std::size_t usable_ = 0;
  std::mt19937 own_;                   // the prefetch thread's generator (prefetch only)
  std::future<HostBatch> ahead_;       // the next batch, being assembled (prefetch only)
};

class ResidentBatchSource final : public BatchSource {
 public:
  ResidentBatchSource(const TrainingSet& train, const std::vector<BandStats>& plan,
                      const std::vector<FeatureMatrix>& validation, const TrainerOptions& options,
                      torch::Device device)
      : options_(options), device_(device) {
    const std::size_t n = train.size();
    const int rows = train.features.front().rows;
    std::vector<FeatureMatrix> normalised = train.features;
    std::vector<float> invStd(n * std::size_t(rows), 1.0f);
    for (std::size_t i = 0; i < n; ++i) {
      FeatureNormaliser::apply(normalised[i], plan[i]);
      if (!plan[i].empty())
        for (int r = 0; r < rows; ++r) invStd[i * rows + r] = 1.0f / plan[i].stddev[r];
    }
    features_ = upload(normalised);
    normalised.clear();
    normalised.shrink_to_fit();
    invStd_ = torch::from_blob(invStd.data(), {std::int64_t(n), rows}, torch::kFloat32).clone().to(device_);
    std::vector<std::int64_t> labels(train.labels.begin(), train.labels.end());
    labels_ = torch::tensor(labels, torch::kInt64).to(device_);
    validation_ = upload(validation);
  }

  void startEpoch(const std::vector<std::size_t>& order, std::size_t usable, std::mt19937&) override {
    std::vector<std::int64_t> o(order.begin(), order.begin() + std::ptrdiff_t(usable));
    order_ = torch::tensor(o, torch::kInt64).to(device_);
  }

  TrainBatch next(int b, std::mt19937&) override {
    const TrainerOptions& o = options_;
    const std::int64_t start = std::int64_t(b) * o.batch_size;
    const std::int64_t end = std::min<std::int64_t>(order_.size(0), start + o.batch_size);
    const torch::Tensor index = order_.slice(0, start, end);
    TrainBatch batch;
    batch.size = std::size_t(end - start);
    batch.x = features_.index_select(0, index);
    batch.y = labels_.index_select(0, index);
    applyGainBatch(batch.x, invStd_.index_select(0, index), o.gain_db);
    addGaussianNoiseBatch(batch.x, o.noise_std);
    if (o.spec_augment.time_masks > 0 || o.spec_augment.freq_masks > 0)
      applySpecAugmentBatch(batch.x, o.spec_augment);
    return batch;
  }

  torch::Tensor validation(std::size_t start, std::size_t end) override {
    return validation_.slice(0, std::int64_t(start), std::int64_t(end));
  }

  torch::Tensor permutation(std::size_t n, std::mt19937&) override {
    return torch::randperm(std::int64_t(n), torch::TensorOptions().dtype(torch::kInt64).device(device_));
  }

  bool resident() const override { return true; }

 private:
  torch::Tensor upload(const std::vector<FeatureMatrix>& clips) const {
    std::vector<const FeatureMatrix*> pointers;
    for (const auto& c : clips) pointers.push_back(&c);
    return makeBatchTensor(pointers).to(device_);
  }

  const TrainerOptions options_;
  const torch::Device device_;
  torch::Tensor features_;    // [n, 1, rows, cols] normalised training clips
  torch::Tensor invStd_;      // [n, rows] 1 / normalisation stddev (gain augmentation)
  torch::Tensor labels_;      // [n] int64
  torch::Tensor validation_;  // [m, 1, rows, cols] normalised validation clips
  torch::Tensor order_;       // this epoch's order[0, usable)
};

}  // namespace

std::unique_ptr<BatchSource> makeHostBatchSource(const TrainingSet& train, std::vector<BandStats> trainPlan,
                                                 const std::vector<FeatureMatrix>& normalisedValidation,
                                                 const TrainerOptions& options, torch::Device device,
                                                 bool prefetch) {
  return std::make_unique<HostBatchSource>(train, std::move(trainPlan), normalisedValidation, options,
                                           device, prefetch);
}

std::unique_ptr<BatchSource> makeResidentBatchSource(const TrainingSet& train,
                                                     const std::vector<BandStats>& trainPlan,
                                                     const std::vector<FeatureMatrix>& normalisedValidation,
                                                     const TrainerOptions& options, torch::Device device) {
  return std::make_unique<ResidentBatchSource>(train, trainPlan, normalisedValidation, options, device);
}

std::int64_t residentBytes(const TrainingSet& train, std::size_t validationClips) {
  if (train.features.empty()) return 0;
  const std::int64_t cells = std::int64_t(train.features.front().rows) * train.features.front().cols;
  const std::int64_t n = std::int64_t(train.size());
  return (n + std::int64_t(validationClips)) * cells * 4 + n * train.features.front().rows * 4 + n * 8;
}

bool fitsOnDevice(std::int64_t bytes, std::int64_t freeBytes) {
  constexpr std::int64_t kHeadroom = std::int64_t(2) << 30;
  return freeBytes > 0 && bytes <= freeBytes / 2 && freeBytes - bytes >= kHeadroom;
}

}  // namespace ser
