// core/train/distributed: the environment a launcher sets, and the collectives between two ranks
// over Gloo on localhost (two threads of this process, each one rank with its own store client
// and process group): weighted gradient all-reduce, broadcasts, the replica check, and that a
// rank that stops answering makes the other fail with ser::Error after the timeout, not hang.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <string>

#include "core/base/error.h"
#include "core/train/distributed.h"

// Qt after libtorch: Qt's `slots` macro breaks torch headers parsed after it.
#include <QtTest>

using namespace ser;

namespace {

// A TCP port that was free a moment ago (bound to port 0, then released).
int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

DistributedEnv envFor(int rank, int world, int port) {
  DistributedEnv env;
  env.rank = rank;
  env.worldSize = world;
  env.masterAddr = "127.0.0.1";
  env.masterPort = port;
  env.launcher = "test";
  return env;
}

// Runs `body(rank, group)` on two ranks at once (rank 1 on another thread); returns each rank's
// error message ("" when it finished).
std::vector<std::string> onTwoRanks(const std::function<void(int, Distributed&)>& body,
                                    DistributedOptions options = {}) {
  const int port = freePort();
  auto rank = [&](int r) -> std::string {
    try {
      const std::unique_ptr<Distributed> d = Distributed::connect(envFor(r, 2, port), options);
      body(r, *d);
      return "";
    } catch (const Error& e) {
      return e.what();
    }
  };
  std::future<std::string> other = std::async(std::launch::async, rank, 1);
  const std::string first = rank(0);
  return {first, other.get()};
}

DistributedEnv parse(const std::map<std::string, std::string>& vars) {
  return distributedEnvFrom([&](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  });
}

}  // namespace

class TestDistributed : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!dataParallelBuilt()) QSKIP("built with SERWB_DATA_PARALLEL=OFF: no data-parallel training to test");
    torch::set_num_threads(1);
  }

  void noLauncherMeansOneProcess() {
    const DistributedEnv env = parse({});
    QCOMPARE(env.worldSize, 1);
    QVERIFY(!env.distributed());
    QVERIFY(env.launcher.empty());
  }

  void readsTorchrunVariables() {
    const DistributedEnv env = parse({{"RANK", "3"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"},
                                      {"LOCAL_WORLD_SIZE", "2"}, {"MASTER_ADDR", "node7"},
                                      {"MASTER_PORT", "29511"}});
    QCOMPARE(env.launcher, std::string("torchrun"));
    QCOMPARE(env.rank, 3);
    QCOMPARE(env.worldSize, 4);
    QCOMPARE(env.localRank, 1);
    QCOMPARE(env.localWorldSize, 2);
    QCOMPARE(env.masterAddr, std::string("node7"));
    QCOMPARE(env.masterPort, 29511);
    QVERIFY(!env.launcherHostsStore);
    QVERIFY(parse({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"},
                   {"TORCHELASTIC_USE_AGENT_STORE", "True"}})
                .launcherHostsStore);
  }

  void readsSlurmVariables() {
    const DistributedEnv env = parse({{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "8"}, {"SLURM_LOCALID", "1"},
                                      {"SLURM_NTASKS_PER_NODE", "4(x2)"}, {"MASTER_ADDR", "n1"},
                                      {"MASTER_PORT", "12345"}});
    QCOMPARE(env.launcher, std::string("slurm"));
    QCOMPARE(env.rank, 5);
    QCOMPARE(env.worldSize, 8);
    QCOMPARE(env.localRank, 1);
    QCOMPARE(env.localWorldSize, 4);
  }

  void torchrunWinsOverSlurm() {
    // srun launching torchrun: torchrun's per-process RANK is the one that counts.
    const DistributedEnv env = parse({{"RANK", "1"}, {"WORLD_SIZE", "2"}, {"SLURM_PROCID", "0"},
                                      {"SLURM_NTASKS", "1"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}});
    QCOMPARE(env.launcher, std::string("torchrun"));
    QCOMPARE(env.rank, 1);
  }

  void badVariablesAreNamed_data() {
    QTest::addColumn<QString>("vars");  // NAME=value;NAME=value
    QTest::addColumn<QString>("named");
    QTest::newRow("rank not a number") << "RANK=x;WORLD_SIZE=2;MASTER_ADDR=h;MASTER_PORT=1" << "RANK";
    QTest::newRow("rank outside world") << "RANK=2;WORLD_SIZE=2;MASTER_ADDR=h;MASTER_PORT=1" << "RANK";
    QTest::newRow("rank alone") << "RANK=0" << "WORLD_SIZE";
    QTest::newRow("no master") << "RANK=0;WORLD_SIZE=2" << "MASTER_ADDR";
    QTest::newRow("port out of range") << "RANK=0;WORLD_SIZE=2;MASTER_ADDR=h;MASTER_PORT=70000" << "MASTER_PORT";
    QTest::newRow("slurm ntasks zero") << "SLURM_PROCID=0;SLURM_NTASKS=0" << "SLURM_NTASKS";
  }
  void badVariablesAreNamed() {
    QFETCH(QString, vars);
    QFETCH(QString, named);
    std::map<std::string, std::string> m;
    for (const QString& kv : vars.split(';'))
      m[kv.section('=', 0, 0).toStdString()] = kv.section('=', 1).toStdString();
    try {
      parse(m);
      QFAIL("no error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains(named), e.what());
    }
  }

  void gradientsAreTheWeightedSumOverRanks() {
    // Rank r holds gradient (r + 1) * g0 with weight w_r; the result is w_0 * g_0 + w_1 * g_1
    // on both ranks, across bucket boundaries (64-byte buckets split these tensors).
    DistributedOptions options;
    options.bucketBytes = 64;
    std::vector<std::vector<float>> results(2);
    std::vector<bool> stops(2);
    const auto errors = onTwoRanks(
        [&](int r, Distributed& d) {
          torch::Tensor a = torch::zeros({3, 5}).set_requires_grad(true);
          torch::Tensor b = torch::zeros({40}).set_requires_grad(true);
          torch::Tensor unused = torch::zeros({2}).set_requires_grad(true);  // no gradient: counts as 0
          a.mutable_grad() = torch::arange(15, torch::kFloat32).view({3, 5}) * float(r + 1);
          b.mutable_grad() = torch::full({40}, 0.5f * float(r + 1));
          const double weight = r == 0 ? 0.75 : 0.25;
          stops[std::size_t(r)] = d.allReduceGradients({a, b, unused}, weight, /*stop=*/r == 1);
          std::vector<float> out;
          for (const auto& t : {a.grad(), b.grad(), unused.grad()}) {
            const torch::Tensor c = t.contiguous();
            out.insert(out.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
          }
          results[std::size_t(r)] = out;
        },
        options);
    QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + " | " + errors[1]).c_str());
    QCOMPARE(results[0], results[1]);
    const std::vector<float>& g = results[0];
    QCOMPARE(g.size(), std::size_t(15 + 40 + 2));
    for (int i = 0; i < 15; ++i) QCOMPARE(g[std::size_t(i)], float(i) * (0.75f * 1 + 0.25f * 2));
    for (int i = 15; i < 55; ++i) QCOMPARE(g[std::size_t(i)], 0.5f * (0.75f + 0.5f));
    QCOMPARE(g[55], 0.0f);
    QVERIFY(stops[0] && stops[1]);  // rank 1 asked to stop: both hear it
  }

  void batchNormUsesTheGlobalBatch() {
    // Two ranks holding 5 and 3 of 8 clips, each through its own SyncBatchNorm2d with the same
    // weights: outputs, input gradients, parameter gradients (summed over ranks) and running
    // statistics equal one BatchNorm2d over all 8 clips, to float rounding. The mean is far from
    // zero, so a one-pass variance would show.
    torch::manual_seed(7);
    const torch::Tensor x = torch::randn({8, 3, 4, 5}) * 2.0 + 5.0;
    const torch::Tensor upstream = torch::randn({8, 3, 4, 5});
    const torch::Tensor gamma = torch::rand({3}) + 0.5, beta = torch::randn({3});
    auto init = [&](torch::Tensor& weight, torch::Tensor& bias) {
      torch::NoGradGuard noGrad;
      weight.copy_(gamma);
      bias.copy_(beta);
    };
    // The reference is libtorch's own BatchNorm2d over the whole batch.
    torch::nn::BatchNorm2d reference(3);
    init(reference->weight, reference->bias);
    const torch::Tensor xr = x.clone().set_requires_grad(true);
    const torch::Tensor expected = reference->forward(xr);
    (expected * upstream).sum().backward();

    const std::int64_t split[] = {0, 5, 8};
    std::vector<torch::Tensor> out(2), inGrad(2), weightGrad(2), biasGrad(2), runMean(2), runVar(2);
    std::vector<int> layers(2);
    const auto errors = onTwoRanks([&](int r, Distributed& d) {
      SyncBatchNorm2d bn(3);
      init(bn->weight, bn->bias);
      // Inside a model, as the trainer sets it.
      torch::nn::Sequential model(torch::nn::Identity(), bn);
      layers[std::size_t(r)] = setBatchStatistics(*model, d.batchStatistics());
      const torch::Tensor local = x.slice(0, split[r], split[r + 1]).clone().set_requires_grad(true);
      const torch::Tensor y = model->forward(local);
      (y * upstream.slice(0, split[r], split[r + 1])).sum().backward();
      out[std::size_t(r)] = y.detach();
      inGrad[std::size_t(r)] = local.grad();
      weightGrad[std::size_t(r)] = d.allReduceSum(bn->weight.grad(), "test");
      biasGrad[std::size_t(r)] = d.allReduceSum(bn->bias.grad(), "test");
      runMean[std::size_t(r)] = bn->running_mean.clone();
      runVar[std::size_t(r)] = bn->running_var.clone();
    });
    QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + " | " + errors[1]).c_str());
    QCOMPARE(layers, std::vector<int>({1, 1}));
    auto close = [](const torch::Tensor& a, const torch::Tensor& b) {
      return torch::allclose(a, b, /*rtol=*/1e-5, /*atol=*/1e-5);
    };
    QVERIFY(close(torch::cat({out[0], out[1]}), expected.detach()));
    QVERIFY(close(torch::cat({inGrad[0], inGrad[1]}), xr.grad()));
    for (int r = 0; r < 2; ++r) {
      QVERIFY(close(weightGrad[std::size_t(r)], reference->weight.grad()));
      QVERIFY(close(biasGrad[std::size_t(r)], reference->bias.grad()));
      QVERIFY(close(runMean[std::size_t(r)], reference->running_mean));
      QVERIFY(close(runVar[std::size_t(r)], reference->running_var));
    }
    // Each rank's own statistics would differ: the test above can fail.
    QVERIFY(!close(torch::cat({reference->forward(x.slice(0, 0, 5)), reference->forward(x.slice(0, 5, 8))}).detach(),
                   expected.detach()));
  }

  void batchNormAloneIsTorchsBatchNorm() {
    // Without statistics from other ranks, SyncBatchNorm2d is torch::nn::BatchNorm2d: the same
    // state names (checkpoints load either way) and bit-identical outputs, gradients and running
    // statistics in training and evaluation.
    torch::manual_seed(3);
    torch::nn::BatchNorm2d theirs(4);
    SyncBatchNorm2d ours(4);
    QVERIFY(!ours->synchronised());
    QCOMPARE(ours->named_parameters().keys(), theirs->named_parameters().keys());
    QCOMPARE(ours->named_buffers().keys(), theirs->named_buffers().keys());
    {
      torch::NoGradGuard noGrad;
      theirs->weight.uniform_(0.5, 1.5);
      theirs->bias.normal_();
      ours->weight.copy_(theirs->weight);
      ours->bias.copy_(theirs->bias);
    }
    for (int step = 0; step < 3; ++step) {
      const torch::Tensor x = torch::randn({6, 4, 3, 7}) * 3.0 + 1.0;
      const torch::Tensor a = x.clone().set_requires_grad(true), b = x.clone().set_requires_grad(true);
      const torch::Tensor ya = theirs->forward(a), yb = ours->forward(b);
      QVERIFY(torch::equal(ya, yb));
      ya.square().sum().backward();
      yb.square().sum().backward();
      QVERIFY(torch::equal(a.grad(), b.grad()));
      QVERIFY(torch::equal(theirs->weight.grad(), ours->weight.grad()));
    }
    QVERIFY(torch::equal(theirs->running_mean, ours->running_mean));
    QVERIFY(torch::equal(theirs->running_var, ours->running_var));
    QVERIFY(torch::equal(theirs->num_batches_tracked, ours->num_batches_tracked));
    theirs->eval();
    ours->eval();
    const torch::Tensor x = torch::randn({2, 4, 3, 7});
    QVERIFY(torch::equal(theirs->forward(x), ours->forward(x)));
  }

  void broadcastsCopyRankZero() {
    std::vector<torch::Tensor> weights(2), counters(2);
    std::vector<std::string> bytes(2);
    std::vector<std::vector<double>> values(2);
    const auto errors = onTwoRanks([&](int r, Distributed& d) {
      torch::Tensor w = torch::full({4, 4}, float(r + 1));
      torch::Tensor n = torch::full({1}, std::int64_t(10 * (r + 1)), torch::kInt64);  // a BatchNorm counter
      d.broadcastTensors({w, n});
      weights[std::size_t(r)] = w;
      counters[std::size_t(r)] = n;
      bytes[std::size_t(r)] = d.broadcastBytes(r == 0 ? std::string("state\0of rank 0", 15) : "ignored");
      values[std::size_t(r)] = d.broadcastValues({double(r), 0.5 * r});
    });
    QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + " | " + errors[1]).c_str());
    for (int r = 0; r < 2; ++r) {
      QVERIFY(torch::equal(weights[std::size_t(r)], torch::ones({4, 4})));
      QCOMPARE(counters[std::size_t(r)].item<std::int64_t>(), std::int64_t(10));
      QCOMPARE(bytes[std::size_t(r)], std::string("state\0of rank 0", 15));
      QCOMPARE(values[std::size_t(r)], (std::vector<double>{0.0, 0.0}));
    }
  }

  void replicaCheckFailsLoudlyOnADifference() {
    DistributedOptions options;
    options.checkReplicas = true;
    const auto same = onTwoRanks(
        [](int, Distributed& d) { d.checkReplicasIdentical({torch::ones({8})}, "after epoch 1"); }, options);
    QVERIFY2(same[0].empty() && same[1].empty(), (same[0] + " | " + same[1]).c_str());
    const auto differ = onTwoRanks(
        [](int r, Distributed& d) {
          torch::Tensor t = torch::ones({8});
          if (r == 1) t[7] = std::nextafter(1.0f, 2.0f);  // one ulp apart
          d.checkReplicasIdentical({t}, "after epoch 3");
        },
        options);
    for (const std::string& e : differ)
      QVERIFY2(e.find("after epoch 3") != std::string::npos && e.find("differs") != std::string::npos, e.c_str());
  }

  void replicaCheckIsOffByDefault() {
    const auto errors = onTwoRanks([](int r, Distributed& d) {
      d.checkReplicasIdentical({torch::full({2}, float(r))}, "after epoch 1");  // different, unchecked
      d.barrier();
    });
    QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + " | " + errors[1]).c_str());
  }

  void aRankThatStopsAnsweringTimesOut() {
    // Rank 1 stays connected but never joins the second all-reduce: rank 0 must give up after
    // the timeout with an error naming the operation, not wait forever.
    DistributedOptions options;
    options.timeout = std::chrono::milliseconds(2000);
    std::promise<void> rank0Done;
    std::shared_future<void> done = rank0Done.get_future().share();
    const auto start = std::chrono::steady_clock::now();
    double rank0Seconds = 0.0;
    const auto errors = onTwoRanks(
        [&](int r, Distributed& d) {
          torch::Tensor p = torch::zeros({4}).set_requires_grad(true);
          p.mutable_grad() = torch::ones({4});
          d.allReduceGradients({p}, 0.5);
          if (r == 1) {
            done.wait_for(std::chrono::seconds(60));  // alive, sockets open, silent
            return;
          }
          try {
            d.allReduceGradients({p}, 0.5);
          } catch (...) {
            rank0Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            rank0Done.set_value();
            throw;
          }
          rank0Done.set_value();
        },
        options);
    QVERIFY2(errors[0].find("gradient all-reduce failed on rank 0 of 2") != std::string::npos, errors[0].c_str());
    QVERIFY2(errors[0].find("within 2 s") != std::string::npos, errors[0].c_str());
    QVERIFY2(rank0Seconds >= 1.5 && rank0Seconds < 30.0, std::to_string(rank0Seconds).c_str());
  }

  void rendezvousWithoutTheOthersTimesOut() {
    DistributedOptions options;
    options.timeout = std::chrono::milliseconds(1500);
    const auto start = std::chrono::steady_clock::now();
    try {
      Distributed::connect(envFor(0, 2, freePort()), options);  // rank 1 never comes
      QFAIL("connected alone");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("rendezvous"), e.what());
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    QVERIFY2(seconds < 30.0, std::to_string(seconds).c_str());
  }
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "tst_distributed.moc"
