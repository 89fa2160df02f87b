#pragma once
// BatchNorm whose batch statistics can span the ranks of a data-parallel job (what PyTorch calls
// SyncBatchNorm). Every model normalises with SyncBatchNorm2d. In one process it is exactly
// torch::nn::BatchNorm2d (the same parameters, buffers, names, initial values and kernel, so
// checkpoints are interchangeable; its own class because libtorch does not export what a subclass
// of BatchNorm2dImpl needs to link). When the trainer gives it a BatchStatistics (setBatchStatistics, only for a
// data-parallel job), a training forward pass normalises by the mean and variance of the whole
// global batch (the sums over all ranks' shards) instead of the rank's own shard, and the
// backward pass sends the statistics' gradients back to every rank, so W ranks with B/W clips
// each compute the same step as one process with B clips (up to float rounding). Evaluation
// (module.eval()) uses the running statistics and talks to no other rank.
#include <torch/torch.h>

#include <memory>

namespace ser {

// Sums a small tensor over the ranks of a job, differentiably: the gradient of the sum flows back
// to every rank's input (its backward is the sum of the ranks' gradients). Every rank must call it
// in the same order (forward and backward), which the identical replicas guarantee.
class BatchStatistics {
 public:
  virtual ~BatchStatistics() = default;
  virtual torch::Tensor allReduceSum(const torch::Tensor& local) = 0;
};

class SyncBatchNorm2dImpl : public torch::nn::Cloneable<SyncBatchNorm2dImpl> {
 public:
  explicit SyncBatchNorm2dImpl(std::int64_t numFeatures)
      : SyncBatchNorm2dImpl(torch::nn::BatchNormOptions(numFeatures)) {}
  explicit SyncBatchNorm2dImpl(const torch::nn::BatchNormOptions& options);

  // input: [B, C, H, W].
  torch::Tensor forward(const torch::Tensor& input);

  // Null (the default): this process's batch alone, as torch::nn::BatchNorm2d.
  void setBatchStatistics(std::shared_ptr<BatchStatistics> statistics) { statistics_ = std::move(statistics); }
  bool synchronised() const { return statistics_ != nullptr; }

  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  // As torch::nn::BatchNorm2dImpl's, registered in the same order under the same names.
  torch::nn::BatchNormOptions options;
  torch::Tensor weight, bias;                                 // affine only
  torch::Tensor running_mean, running_var, num_batches_tracked;  // track_running_stats only

 private:
  double averagingFactor();  // counts the batch; the running statistics' update factor
  std::shared_ptr<BatchStatistics> statistics_;
};
TORCH_MODULE(SyncBatchNorm2d);

// Gives every SyncBatchNorm2d in `model` the statistics (null: back to per-process statistics).
// Returns how many layers it set.
int setBatchStatistics(torch::nn::Module& model, const std::shared_ptr<BatchStatistics>& statistics);

}  // namespace ser
