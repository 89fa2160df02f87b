#pragma once
// Data-parallel training on PyTorch's distributed engine (c10d): the project's whole use of it
// sits behind this interface, so the trainer asks for "all-reduce the gradients" and never sees a
// process group, a store or a libtorch version difference.
//
// A job is W processes ("ranks") launched the way PyTorch jobs are (torchrun, or srun under
// Slurm). They meet through a c10d TCPStore that rank 0 hosts at MASTER_ADDR:MASTER_PORT and then
// talk through ProcessGroupGloo (CPU tensors; also CUDA tensors, through host copies). Every
// collective, the rendezvous included, fails after DistributedOptions::timeout; a rank that dies
// closes its sockets, and the others fail at their next collective with ser::Error, which names
// the operation, this rank and the likely cause.
//
// Thread-safety: one Distributed per process, used from one thread.
#include <torch/torch.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/model/batch_norm.h"

namespace ser {

// Where this process sits in a job, from its environment.
struct DistributedEnv {
  int rank = 0;                          // [0, worldSize)
  int worldSize = 1;                     // 1: not a data-parallel job
  int localRank = 0;                     // rank on this machine
  int localWorldSize = 1;                // ranks on this machine (0 when the launcher does not say)
  std::string masterAddr = "127.0.0.1";  // rank 0's host (TCPStore)
  int masterPort = 29500;
  std::string launcher;                  // "torchrun", "slurm" or "" (single process)
  // The launcher already serves the TCPStore at MASTER_ADDR:MASTER_PORT and rank 0 must join it
  // as a client (newer torchrun: TORCHELASTIC_USE_AGENT_STORE=True).
  bool launcherHostsStore = false;

  bool distributed() const { return worldSize > 1; }
};

// torchrun's RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT (and
// TORCHELASTIC_USE_AGENT_STORE), else
// Slurm's SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID, SLURM_NTASKS_PER_NODE (with MASTER_ADDR and
// MASTER_PORT from the environment; a job script sets them). Neither: one process (worldSize 1).
// Throws ser::Error naming the variable for a malformed or inconsistent value.
// Whether this build has data-parallel training (CMake option SERWB_DATA_PARALLEL: off when the
// libtorch at hand lacks Gloo's headers). Without it Distributed::connect() throws ser::Error.
bool dataParallelBuilt();

DistributedEnv distributedEnvFrom(const std::function<const char*(const char*)>& getenv);
DistributedEnv distributedEnvFromEnvironment();  // the process's own environment

struct DistributedOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(600)};  // rendezvous and every collective
  bool checkReplicas = false;  // checkReplicasIdentical() compares; false: it does nothing
  std::size_t bucketBytes = std::size_t(8) << 20;  // gradients are all-reduced in flat buckets of this size
};

class Distributed {
 public:
  // Rendezvous with the other ranks (rank 0 hosts the store). Throws ser::Error when the others
  // do not arrive within options.timeout or the address cannot be used.
  static std::unique_ptr<Distributed> connect(const DistributedEnv& env, const DistributedOptions& options);
  ~Distributed();
  Distributed(const Distributed&) = delete;
  Distributed& operator=(const Distributed&) = delete;

  int rank() const;
  int worldSize() const;
  bool primary() const { return rank() == 0; }
  const DistributedOptions& options() const;
  std::string description() const;  // "rank 1 of 2 (gloo via 127.0.0.1:29500)"

  // Overwrites `tensors` (parameters and buffers, any device) with rank 0's, in place.
  void broadcastTensors(const std::vector<torch::Tensor>& tensors);
  // rank 0's `bytes` on every rank (serialised state: optimiser moments, run progress).
  std::string broadcastBytes(const std::string& bytes);
  // rank 0's `values` on every rank.
  std::vector<double> broadcastValues(std::vector<double> values);
  // Elementwise sum over ranks.
  std::vector<double> allReduceSum(std::vector<double> values);
  // The same for a tensor on any device (returned on its device and in its dtype); `what` names
  // the collective in errors. Not differentiable.
  torch::Tensor allReduceSum(const torch::Tensor& tensor, const std::string& what);
  // Global-batch statistics for SyncBatchNorm2d (see core/model/batch_norm.h): a differentiable
  // sum over ranks. Valid while this object lives.
  std::shared_ptr<BatchStatistics> batchStatistics();

  // After a backward pass: every parameter's gradient becomes sum over ranks of
  // (weight_r * grad_r), flattened into buckets of options().bucketBytes. With weight_r = the
  // rank's share of the global batch (local clips / global clips) and a batch-mean loss, this is
  // the gradient of the global batch's mean loss. Parameters without a gradient count as zero.
  // `stop`: this rank wants to stop (cancelled); the return value says whether any rank does
  // (carried in the same collective, so agreeing on it costs nothing).
  bool allReduceGradients(const std::vector<torch::Tensor>& parameters, double weight, bool stop = false);

  // With options().checkReplicas: a checksum of the tensors' bytes is compared across ranks;
  // different replicas throw ser::Error naming `when` ("after epoch 3"). Without: nothing.
  void checkReplicasIdentical(const std::vector<torch::Tensor>& tensors, const std::string& when);

  void barrier();

  // Wall time spent in allReduceGradients and how many calls, since connect().
  double gradientSeconds() const;
  long long gradientCalls() const;

 private:
  struct Impl;
  explicit Distributed(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ser
