// Training throughput of the C++ engine, in samples per second, for each architecture.
// Data are random tensors in memory of the default front end's shape (64 mels x 301 frames).
//   "step": forward + cross-entropy + backward + Adam step on a ready batch (compare with
//           bench_train_throughput.py, which times the same loop in PyTorch);
//   "trainer": ser::Trainer for one epoch (batch assembly, normalisation, SpecAugment, steps),
//           as reported by TrainResult::train_samples_per_second (on CUDA: the features resident
//           on the device unless --data-placement host, each loss read back one step late), after
//           an untimed warm-up epoch of --warmup batches.
// --precision fp16/bf16 (CUDA) runs both under autocast, fp16 with the dynamic loss scaler, as
// bench_train_throughput.py does with torch.autocast and GradScaler; --channels-last likewise.
// Run with OPENBLAS_NUM_THREADS=1. Prints one JSON object. The engine keeps large blocks on the
// heap (ser::keepLargeAllocationsOnHeap); SERWB_MALLOC=default measures it without.
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#if defined(__linux__) && defined(__x86_64__)
#include <dlfcn.h>
#include <execinfo.h>
#include <ucontext.h>
#include <unistd.h>
#define SERWB_BENCH_CRASH_REPORT 1
#endif

#include "core/base/error.h"
#include "core/model/model_factory.h"
#include "core/train/compute_device.h"
#include "core/train/loss_scaler.h"
#include "core/train/mixed_precision.h"
#include "core/train/optimizer.h"
#include "core/train/trainer.h"
#include "core/train/training_observer.h"

namespace {

// Which part of the measurement runs, for the crash report (the whole-trainer measurement once
// died on an H200 at address 0, where neither the core nor cuda-gdb could unwind).
const char* volatile gPhase = "start";

void phase(const char* name) {
  gPhase = name;
  std::fprintf(stderr, "bench_train_throughput: %s\n", name);
}

#ifdef SERWB_BENCH_CRASH_REPORT
// On SIGSEGV/SIGBUS: the phase, the faulting and, for a call through a null pointer (pc 0), the
// calling address (the return address on top of the stack) with the library and symbol it is
// in, then glibc's backtrace. Diagnostics only: not async-signal-safe in every call.
void crashReport(int sig, siginfo_t* info, void* context) {
  const auto* uc = static_cast<const ucontext_t*>(context);
  const auto pc = static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  const auto sp = static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[REG_RSP]);
  std::fprintf(stderr, "bench_train_throughput: signal %d in phase '%s' at pc %#lx (fault address %p)\n", sig,
               gPhase, static_cast<unsigned long>(pc), info->si_addr);
  void* caller = pc == 0 ? *reinterpret_cast<void* const*>(sp) : reinterpret_cast<void*>(pc);
  Dl_info where{};
  if (dladdr(caller, &where) != 0)
    std::fprintf(stderr, "  %s %p: %s in %s\n", pc == 0 ? "called from" : "in", caller,
                 where.dli_sname ? where.dli_sname : "?", where.dli_fname ? where.dli_fname : "?");
  void* frames[64];
  const int n = backtrace(frames, 64);
  backtrace_symbols_fd(frames, n, STDERR_FILENO);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}
#endif

// The trainer's notes and epochs on stderr (gpu-check.sh keeps them in its log).
class StderrObserver : public ser::TrainingObserver {
 public:
  void onLog(const std::string& message) override { std::fprintf(stderr, "  trainer: %s\n", message.c_str()); }
  void onEpoch(const ser::EpochStats& s) override {
    std::fprintf(stderr, "  trainer: epoch %d, loss %.4f, %.2f s\n", s.epoch, s.train_loss, s.seconds);
  }
};

double stepThroughput(ser::ModelKind kind, int batch, int rows, int cols, int classes, int warmup,
                      int steps, torch::Device device, ser::Precision precision, bool channelsLast) {
  torch::manual_seed(0);
  ser::ModelOptions options;
  options.kind = kind;
  options.numClasses = classes;
  ser::SerModel model = ser::makeModel(options);
  model->to(device);
  if (channelsLast) ser::toChannelsLast(*model);
  model->train();
  // The trainer's own choice (multi-tensor Adam on CUDA, libtorch's on the CPU), with the Python
  // loop's settings: Adam, lr 1e-3, no weight decay.
  ser::TrainerOptions optimizerOptions;
  optimizerOptions.optimizer = ser::OptimizerKind::Adam;
  optimizerOptions.learning_rate = 1e-3;
  optimizerOptions.weight_decay = 0.0;
  const std::unique_ptr<torch::optim::Optimizer> optimizer = ser::makeOptimizer(optimizerOptions, *model);
  torch::optim::Optimizer& adam = *optimizer;
  torch::Tensor x = torch::randn({batch, 1, rows, cols}).to(device);
  if (channelsLast) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  torch::Tensor y = torch::randint(0, classes, {batch}, torch::kInt64).to(device);
  ser::DynamicLossScaler scaler;
  const std::vector<torch::Tensor> params = model->parameters();
  auto step = [&] {
    ser::clearGradients(adam);  // as the trainer does
    torch::Tensor logits;
    {
      ser::AutocastGuard autocast(precision);
      logits = model->forward(x);
    }
    torch::Tensor loss = torch::nn::functional::cross_entropy(logits.to(torch::kFloat32), y);
    if (precision == ser::Precision::Fp16) {
      scaler.scaleLoss(loss).backward();
      scaler.step(adam, params);
    } else {
      loss.backward();
      adam.step();
    }
    return loss.item<double>();  // one host sync per step, as the Python loop's loss.item()
  };
  for (int i = 0; i < warmup; ++i) step();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) step();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return double(steps) * batch / seconds;
}

// One epoch of `steps` batches through ser::Trainer; returns its train_samples_per_second.
double trainerEpoch(ser::ModelKind kind, int batch, int rows, int cols, int classes, int steps, int threads,
                    ser::DeviceChoice device, ser::Precision precision, bool channelsLast,
                    ser::DataPlacement placement) {
  ser::TrainingSet set;
  torch::manual_seed(1);
  for (int i = 0; i < batch * steps; ++i) {
    ser::FeatureMatrix m(rows, cols);
    torch::Tensor t = torch::randn({rows * cols});
    std::copy(t.data_ptr<float>(), t.data_ptr<float>() + rows * cols, m.data.begin());
    set.features.push_back(std::move(m));
    set.labels.push_back(i % classes);
  }
  ser::TrainingSet validation;
  for (int i = 0; i < classes; ++i) {  // any clips: the validation pass is not timed
    validation.features.push_back(set.features[i % set.features.size()]);
    validation.labels.push_back(set.labels[i % set.labels.size()]);
  }
  ser::TrainerOptions o;
  o.model = kind;
  o.epochs = 1;
  o.batch_size = batch;
  o.threads = threads;
  o.device = device;
  o.precision = precision;
  o.channels_last = channelsLast;
  o.data_placement = placement;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("serwb_bench_" + std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())));
  StderrObserver observer;
  ser::Trainer trainer(o);
  trainer.setObserver(&observer);
  const ser::TrainResult r = trainer.train(set, validation, classes, dir);
  std::filesystem::remove_all(dir);
  return r.train_samples_per_second;
}

// The trainer's throughput after a warm-up epoch of `warmup` batches in the same process (CUDA
// context, cuDNN's autotuned algorithms, the caching allocator), as the step loop and the Python
// loop leave their warm-up steps out of the timing.
double trainerThroughput(ser::ModelKind kind, int batch, int rows, int cols, int classes, int warmup, int steps,
                         int threads, ser::DeviceChoice device, ser::Precision precision, bool channelsLast,
                         ser::DataPlacement placement) {
  phase("trainer warm-up epoch");
  if (warmup > 0)
    trainerEpoch(kind, batch, rows, cols, classes, warmup, threads, device, precision, channelsLast, placement);
  phase("trainer timed epoch");
  return trainerEpoch(kind, batch, rows, cols, classes, steps, threads, device, precision, channelsLast, placement);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Training throughput of the SER Workbench engine (libtorch)"};
  int batch = 32, warmup = 3, steps = 10, threads = 0, rows = 64, cols = 301, classes = 6;
  std::vector<std::string> models = {"resnet18", "cnn"};
  std::string device = "auto", precision = "fp32", placement = "auto";
  bool withTrainer = true, channelsLast = false;
  app.add_option("--batch-size", batch, "samples per step")->check(CLI::Range(1, 4096));
  app.add_option("--warmup", warmup, "untimed steps first")->check(CLI::Range(0, 1000));
  app.add_option("--steps", steps, "timed steps")->check(CLI::Range(1, 100000));
  app.add_option("--threads", threads, "CPU threads, 0 = all cores")->check(CLI::Range(0, 1024));
  app.add_option("--rows", rows, "mel bands")->check(CLI::Range(1, 1024));
  app.add_option("--cols", cols, "frames")->check(CLI::Range(1, 100000));
  app.add_option("--models", models, "resnet18 and/or cnn")->delimiter(',');
  app.add_option("--device", device, "auto, cpu or cuda");
  app.add_option("--precision", precision, "fp32, fp16 or bf16 (the last two: CUDA), or auto");
  app.add_flag("--channels-last", channelsLast, "CUDA: channels-last (NHWC) weights and inputs");
  app.add_option("--data-placement", placement, "trainer: auto, host or device");
  app.add_flag("!--no-trainer", withTrainer, "skip the whole-trainer measurement");
  CLI11_PARSE(app, argc, argv);
#ifdef SERWB_BENCH_CRASH_REPORT
  struct sigaction action {};
  action.sa_sigaction = crashReport;
  action.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &action, nullptr);
  sigaction(SIGBUS, &action, nullptr);
#endif

  try {
    const ser::DeviceChoice choice = ser::deviceChoiceFromString(device);
    const ser::ComputeDevice dev = ser::selectComputeDevice(choice, threads);
    const ser::Precision prec = ser::resolvePrecision(ser::precisionFromString(precision), dev);
    const ser::DataPlacement place = ser::dataPlacementFromString(placement);
    if (channelsLast && !dev.device.is_cuda()) throw ser::Error("--channels-last needs CUDA");
    nlohmann::json out = {{"engine", "libtorch-cpp"},
                          {"torch_version", TORCH_VERSION},
                          {"device", dev.description},
                          {"threads", dev.threads},
                          {"heap_allocator", dev.heapAllocator},
                          {"precision", ser::toString(prec)},
                          {"channels_last", channelsLast},
                          {"batch_size", batch},
                          {"input", {1, rows, cols}},
                          {"warmup_steps", warmup},
                          {"timed_steps", steps},
                          {"models", nlohmann::json::object()}};
    for (const std::string& name : models) {
      const ser::ModelKind kind = ser::modelKindFromString(name);
      ser::ModelOptions mo;
      mo.kind = kind;
      mo.numClasses = classes;
      phase("step loop");
      nlohmann::json entry = {{"parameters", ser::countParameters(*ser::makeModel(mo))},
                              {"step_samples_per_second",
                               stepThroughput(kind, batch, rows, cols, classes, warmup, steps, dev.device, prec,
                                              channelsLast)}};
      if (withTrainer)
        entry["trainer_samples_per_second"] = trainerThroughput(kind, batch, rows, cols, classes, warmup, steps, threads,
                                                                choice, prec, channelsLast, place);
      out["models"][name] = entry;
    }
    std::cout << out.dump(2) << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "bench_train_throughput: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
