#include "core/train/distributed.h"

#if SERWB_DATA_PARALLEL
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif
#include <torch/version.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "core/base/error.h"

// c10d moved between the libtorch versions this builds against: in 1.13 ProcessGroupGloo is a
// ProcessGroup; from 2.0 it is a c10d::Backend behind a ProcessGroup. Both expose the collectives
// used here (allreduce, broadcast) with the same signatures on the Gloo object itself, its
// Options::create(timeout), and Work::wait(timeout), so this file needs no version switch; the
// build defines USE_C10D_GLOO, which both versions' headers test.

namespace ser {

namespace {

using Clock = std::chrono::steady_clock;

int parseInt(const char* name, const char* value, int lo, int hi) {
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(value, &end, 10);
  if (errno != 0 || end == value || *end != '\0' || v < lo || v > hi)
    throw Error("environment variable " + std::string(name) + "='" + value + "' is not an integer in [" +
                std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return int(v);
}

// "srun --ntasks-per-node" gives "2" or "2(x3)": the count before any "(".
int parseSlurmPerNode(const char* value) {
  std::string s(value);
  const std::size_t paren = s.find('(');
  if (paren != std::string::npos) s = s.substr(0, paren);
  return parseInt("SLURM_NTASKS_PER_NODE", s.c_str(), 1, 1 << 20);
}

std::string firstLine(const std::string& s) {
  const std::size_t nl = s.find('\n');
  return nl == std::string::npos ? s : s.substr(0, nl);
}

// 64-bit FNV-1a over the tensors' bytes (contiguous CPU copies).
std::uint64_t checksum(const std::vector<torch::Tensor>& tensors) {
  std::uint64_t h = 1469598103934665603ull;
  for (const torch::Tensor& t : tensors) {
    const torch::Tensor c = t.detach().to(torch::kCPU).contiguous();
    const auto* p = static_cast<const unsigned char*>(c.data_ptr());
    const std::size_t n = std::size_t(c.numel()) * c.element_size();
    for (std::size_t i = 0; i < n; ++i) {
      h ^= p[i];
      h *= 1099511628211ull;
    }
  }
  return h;
}

}  // namespace

DistributedEnv distributedEnvFrom(const std::function<const char*(const char*)>& getenv) {
  DistributedEnv env;
  auto get = [&](const char* name) -> const char* {
    const char* v = getenv(name);
    return v && *v ? v : nullptr;
  };
  if (get("WORLD_SIZE") || get("RANK")) {
    if (!get("WORLD_SIZE") || !get("RANK"))
      throw Error(std::string("environment: RANK and WORLD_SIZE must be set together (found only ") +
                  (get("RANK") ? "RANK" : "WORLD_SIZE") + ")");
    env.launcher = "torchrun";
    env.worldSize = parseInt("WORLD_SIZE", get("WORLD_SIZE"), 1, 1 << 20);
    env.rank = parseInt("RANK", get("RANK"), 0, env.worldSize - 1);
    env.localRank = get("LOCAL_RANK") ? parseInt("LOCAL_RANK", get("LOCAL_RANK"), 0, env.worldSize - 1) : 0;
    env.localWorldSize =
        get("LOCAL_WORLD_SIZE") ? parseInt("LOCAL_WORLD_SIZE", get("LOCAL_WORLD_SIZE"), 1, env.worldSize) : 0;
    const char* agentStore = get("TORCHELASTIC_USE_AGENT_STORE");
    env.launcherHostsStore = agentStore && (std::string(agentStore) == "True" || std::string(agentStore) == "1");
  } else if (get("SLURM_NTASKS") && get("SLURM_PROCID")) {
    env.launcher = "slurm";
    env.worldSize = parseInt("SLURM_NTASKS", get("SLURM_NTASKS"), 1, 1 << 20);
    env.rank = parseInt("SLURM_PROCID", get("SLURM_PROCID"), 0, env.worldSize - 1);
    env.localRank = get("SLURM_LOCALID") ? parseInt("SLURM_LOCALID", get("SLURM_LOCALID"), 0, env.worldSize - 1) : 0;
    env.localWorldSize = get("SLURM_NTASKS_PER_NODE") ? parseSlurmPerNode(get("SLURM_NTASKS_PER_NODE")) : 0;
  } else {
    return env;
  }
  if (env.worldSize > 1) {
    if (!get("MASTER_ADDR") || !get("MASTER_PORT"))
      throw Error("environment: a data-parallel job (" + env.launcher + ", WORLD_SIZE " +
                  std::to_string(env.worldSize) +
                  ") needs MASTER_ADDR and MASTER_PORT: the host and a free TCP port of rank 0");
    env.masterAddr = get("MASTER_ADDR");
    env.masterPort = parseInt("MASTER_PORT", get("MASTER_PORT"), 1, 65535);
  }
  return env;
}

DistributedEnv distributedEnvFromEnvironment() {
  return distributedEnvFrom([](const char* name) { return std::getenv(name); });
}

bool dataParallelBuilt() { return SERWB_DATA_PARALLEL != 0; }

namespace {
enum class Reduce { Sum, Max };
}  // namespace

struct Distributed::Impl {
  DistributedEnv env;
  DistributedOptions options;
  double gradientSeconds = 0.0;
  long long gradientCalls = 0;

  std::string where() const {
    return "rank " + std::to_string(env.rank) + " of " + std::to_string(env.worldSize);
  }

  [[noreturn]] void fail(const std::string& what, const std::string& reason) const {
    throw Error("data-parallel " + what + " failed on " + where() + ": " + firstLine(reason) +
                " (another rank stopped, crashed or did not answer within " +
                std::to_string(options.timeout.count() / 1000) + " s)");
  }

#if SERWB_DATA_PARALLEL
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;

  // Runs one collective and waits for it, turning c10d's and Gloo's exceptions into ser::Error.
  template <typename F>
  void collective(const std::string& what, F&& start) {
    try {
      c10::intrusive_ptr<c10d::Work> work = start();
      work->wait(options.timeout);
    } catch (const c10::Error& e) {
      fail(what, e.what_without_backtrace());
    } catch (const std::exception& e) {
      fail(what, e.what());
    }
  }

  void allReduce(torch::Tensor& t, Reduce op, const std::string& what) {
    std::vector<at::Tensor> v{t};
    c10d::AllreduceOptions o;
    o.reduceOp = op == Reduce::Max ? c10d::ReduceOp::MAX : c10d::ReduceOp::SUM;
    o.timeout = options.timeout;
    collective(what, [&] { return group->allreduce(v, o); });
  }

  void broadcast(torch::Tensor& t, const std::string& what) {
    std::vector<at::Tensor> v{t};
    c10d::BroadcastOptions o;
    o.rootRank = 0;
    o.timeout = options.timeout;
    collective(what, [&] { return group->broadcast(v, o); });
  }
#else
  // No Distributed object exists in such a build (connect() refuses), so these never run.
  void allReduce(torch::Tensor&, Reduce, const std::string& what) { fail(what, "not in this build"); }
  void broadcast(torch::Tensor&, const std::string& what) { fail(what, "not in this build"); }
#endif
};

Distributed::Distributed(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Distributed::~Distributed() = default;

std::unique_ptr<Distributed> Distributed::connect(const DistributedEnv& env, const DistributedOptions& options) {
  if (env.worldSize < 1 || env.rank < 0 || env.rank >= env.worldSize)
    throw Error("data-parallel: rank " + std::to_string(env.rank) + " is outside [0, " +
                std::to_string(env.worldSize) + ")");
#if !SERWB_DATA_PARALLEL
  (void)options;
  throw Error("data-parallel training (WORLD_SIZE " + std::to_string(env.worldSize) +
              ") is not in this build of SER Workbench: it was configured with SERWB_DATA_PARALLEL=OFF, "
              "because the libtorch it was built against came without the Gloo headers that c10d needs; "
              "rebuild with them (core/train/CMakeLists.txt) or train in one process");
#else
  auto impl = std::make_unique<Impl>();
  impl->env = env;
  impl->options = options;
  const std::string endpoint = env.masterAddr + ":" + std::to_string(env.masterPort);
  try {
    c10d::TCPStoreOptions so;
    so.port = std::uint16_t(env.masterPort);
    so.isServer = env.rank == 0 && !env.launcherHostsStore;
    so.numWorkers = std::size_t(env.worldSize);
    so.waitWorkers = true;
    so.timeout = options.timeout;
    impl->store = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, so);

    auto go = c10d::ProcessGroupGloo::Options::create(options.timeout);
    // The interface to talk on: GLOO_SOCKET_IFNAME when set (as for PyTorch); loopback for a job on
    // this machine only; otherwise the address this host's name resolves to.
    const char* ifname = std::getenv("GLOO_SOCKET_IFNAME");
    const bool local = env.masterAddr == "127.0.0.1" || env.masterAddr == "localhost" || env.masterAddr == "::1";
    if (ifname && *ifname)
      go->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
    else if (local)
      go->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    else
      go->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    go->threads = 1;  // collectives run one at a time here: one Gloo worker thread is enough
    impl->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl->store, env.rank, env.worldSize, go);
  } catch (const c10::Error& e) {
    throw Error("data-parallel rendezvous at " + endpoint + " failed on rank " + std::to_string(env.rank) +
                " of " + std::to_string(env.worldSize) + ": " + firstLine(e.what_without_backtrace()) +
                " (are all ranks started, with the same MASTER_ADDR/MASTER_PORT and WORLD_SIZE?)");
  } catch (const std::exception& e) {
    throw Error("data-parallel rendezvous at " + endpoint + " failed on rank " + std::to_string(env.rank) +
                " of " + std::to_string(env.worldSize) + ": " + firstLine(e.what()) +
                " (are all ranks started, with the same MASTER_ADDR/MASTER_PORT and WORLD_SIZE?)");
  }
  return std::unique_ptr<Distributed>(new Distributed(std::move(impl)));
#endif
}

int Distributed::rank() const { return impl_->env.rank; }
int Distributed::worldSize() const { return impl_->env.worldSize; }
const DistributedOptions& Distributed::options() const { return impl_->options; }

std::string Distributed::description() const {
  return impl_->where() + " (gloo via " + impl_->env.masterAddr + ":" + std::to_string(impl_->env.masterPort) + ")";
}

void Distributed::broadcastTensors(const std::vector<torch::Tensor>& tensors) {
  torch::NoGradGuard noGrad;
  // One flat broadcast per dtype (parameters are float, BatchNorm's step counters int64).
  std::vector<torch::ScalarType> types;
  for (const auto& t : tensors)
    if (std::find(types.begin(), types.end(), t.scalar_type()) == types.end()) types.push_back(t.scalar_type());
  for (torch::ScalarType type : types) {
    std::vector<torch::Tensor> parts, members;
    for (const auto& t : tensors)
      if (t.scalar_type() == type) {
        members.push_back(t);
        parts.push_back(t.detach().to(torch::kCPU).reshape({-1}));
      }
    torch::Tensor flat = torch::cat(parts).contiguous();
    impl_->broadcast(flat, "broadcast of the model");
    std::int64_t offset = 0;
    for (auto& t : members) {
      const std::int64_t n = t.numel();
      t.detach().copy_(flat.slice(0, offset, offset + n).view(t.sizes()));
      offset += n;
    }
  }
}

std::string Distributed::broadcastBytes(const std::string& bytes) {
  torch::Tensor size = torch::tensor({std::int64_t(bytes.size())}, torch::kInt64);
  impl_->broadcast(size, "broadcast of the run state");
  const std::int64_t n = size.item<std::int64_t>();
  torch::Tensor data = torch::zeros({std::max<std::int64_t>(n, 1)}, torch::kUInt8);
  if (primary()) std::memcpy(data.data_ptr(), bytes.data(), bytes.size());
  impl_->broadcast(data, "broadcast of the run state");
  return std::string(static_cast<const char*>(data.data_ptr()), std::size_t(n));
}

std::vector<double> Distributed::broadcastValues(std::vector<double> values) {
  torch::Tensor t = torch::tensor(values, torch::kFloat64);
  impl_->broadcast(t, "broadcast of the validation result");
  const double* p = t.data_ptr<double>();
  return std::vector<double>(p, p + values.size());
}

std::vector<double> Distributed::allReduceSum(std::vector<double> values) {
  torch::Tensor t = torch::tensor(values, torch::kFloat64);
  impl_->allReduce(t, Reduce::Sum, "all-reduce of the epoch totals");
  const double* p = t.data_ptr<double>();
  return std::vector<double>(p, p + values.size());
}

torch::Tensor Distributed::allReduceSum(const torch::Tensor& tensor, const std::string& what) {
  torch::NoGradGuard noGrad;
  torch::Tensor t = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous().clone();
  impl_->allReduce(t, Reduce::Sum, what);
  return t.to(tensor.device(), tensor.scalar_type());
}

namespace {

// The forward value is the sum over ranks; the backward pass sums the ranks' gradients of that
// sum (a tensor hook), which is the gradient of a sum of every rank's input.
class RankSum final : public BatchStatistics {
 public:
  explicit RankSum(Distributed* dist) : dist_(dist) {}
  torch::Tensor allReduceSum(const torch::Tensor& local) override {
    const torch::Tensor reduced = dist_->allReduceSum(local, "all-reduce of BatchNorm statistics");
    if (!local.requires_grad()) return reduced;
    // reduced + exactly zero: the value of the global sum, the gradient path of the local one.
    torch::Tensor global = reduced + (local - local.detach());
    Distributed* dist = dist_;
    global.register_hook([dist](torch::Tensor grad) {
      return dist->allReduceSum(grad, "all-reduce of BatchNorm statistics' gradients");
    });
    return global;
  }

 private:
  Distributed* dist_;
};

}  // namespace

std::shared_ptr<BatchStatistics> Distributed::batchStatistics() { return std::make_shared<RankSum>(this); }

bool Distributed::allReduceGradients(const std::vector<torch::Tensor>& parameters, double weight, bool stop) {
  const auto start = Clock::now();
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> grads;
  for (const auto& p : parameters) {
    if (!p.requires_grad()) continue;
    if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
    grads.push_back(p.grad());
  }
  // Buckets of consecutive gradients of one dtype, up to bucketBytes each; the stop flag rides
  // at the end of the last bucket.
  bool anyStop = false;
  std::size_t i = 0;
  while (i < grads.size() || (grads.empty() && i == 0)) {
    std::vector<torch::Tensor> members;
    std::size_t bytes = 0;
    while (i < grads.size() && (members.empty() || (bytes + grads[i].nbytes() <= impl_->options.bucketBytes &&
                                                     grads[i].scalar_type() == members.front().scalar_type()))) {
      bytes += grads[i].nbytes();
      members.push_back(grads[i++]);
    }
    const bool last = i >= grads.size();
    std::vector<torch::Tensor> parts;
    for (const auto& g : members) parts.push_back(g.to(torch::kCPU).reshape({-1}));
    const torch::ScalarType type = members.empty() ? torch::kFloat32 : members.front().scalar_type();
    torch::Tensor flat = parts.empty() ? torch::zeros({0}, type) : torch::cat(parts);
    flat.mul_(weight);
    if (last) flat = torch::cat({flat, torch::full({1}, stop ? 1.0 : 0.0, torch::TensorOptions().dtype(type))});
    flat = flat.contiguous();
    impl_->allReduce(flat, Reduce::Sum, "gradient all-reduce");
    std::int64_t offset = 0;
    for (auto& g : members) {
      const std::int64_t n = g.numel();
      g.copy_(flat.slice(0, offset, offset + n).view(g.sizes()));
      offset += n;
    }
    if (last) {
      anyStop = flat[flat.size(0) - 1].item<double>() > 0.5;
      if (grads.empty()) break;
    }
  }
  impl_->gradientSeconds += std::chrono::duration<double>(Clock::now() - start).count();
  ++impl_->gradientCalls;
  return anyStop;
}

void Distributed::checkReplicasIdentical(const std::vector<torch::Tensor>& tensors, const std::string& when) {
  if (!impl_->options.checkReplicas) return;
  const std::uint64_t h = checksum(tensors);
  const std::int64_t hi = std::int64_t(h >> 32), lo = std::int64_t(h & 0xffffffffull);
  // max and -min of both halves in one all-reduce: equal on every rank iff max == min.
  torch::Tensor t = torch::tensor({hi, lo, -hi, -lo}, torch::kInt64);
  impl_->allReduce(t, Reduce::Max, "replica check");
  const std::int64_t* v = t.data_ptr<std::int64_t>();
  if (v[0] != -v[2] || v[1] != -v[3])
    throw Error("data-parallel replica check " + when + ": the model on " + impl_->where() +
                " differs from another rank's (parameter checksums differ); the ranks no longer train one model");
}

void Distributed::barrier() {
  torch::Tensor t = torch::zeros({1}, torch::kFloat32);
  impl_->allReduce(t, Reduce::Sum, "barrier");
}

double Distributed::gradientSeconds() const { return impl_->gradientSeconds; }
long long Distributed::gradientCalls() const { return impl_->gradientCalls; }

}  // namespace ser
