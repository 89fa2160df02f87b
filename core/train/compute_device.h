#pragma once
// Where the network runs: CUDA when available and allowed, else the CPU with libtorch's intra-op
// thread pool sized to the machine (Debian's libtorch starts with one thread).
// OpenBLAS runs its own thread pool inside libtorch's and the two oversubscribe the cores: run the
// engine with OPENBLAS_NUM_THREADS=1 in the environment (the tests and packaged launchers do).
#include <torch/torch.h>

#include <string>

#include "core/train/trainer_options.h"

namespace ser {

struct ComputeDevice {
  torch::Device device{torch::kCPU};
  std::string description;  // "cpu (2 threads)" or "cuda:0 (1 device)"
  int threads = 1;          // CPU intra-op threads in use
};

// choice Cuda without a usable CUDA runtime throws ser::Error. threads: 0 = hardware threads.
// On the CPU this calls torch::set_num_threads, which is process-wide.
ComputeDevice selectComputeDevice(DeviceChoice choice, int threads);

}  // namespace ser
