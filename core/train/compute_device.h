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
  std::string description;  // "cpu (2 threads)" or "cuda:0 (NVIDIA H100, 1 device)"
  int threads = 1;          // CPU intra-op threads in use
  bool heapAllocator = false;  // keepLargeAllocationsOnHeap() is in effect
  int computeCapability = 0;   // CUDA: major * 10 + minor (80 Ampere A100, 90 Hopper); 0 on the CPU
};

// choice Cuda without a usable CUDA runtime throws ser::Error. threads: 0 = hardware threads.
// On the CPU this calls torch::set_num_threads and keepLargeAllocationsOnHeap(), both process-wide.
// On CUDA it turns cuDNN autotuning on (process-wide: the first batch of each shape is slower).
ComputeDevice selectComputeDevice(DeviceChoice choice, int threads);

// Bytes free on a CUDA device as the driver reports them (other processes' use subtracted, this
// process's cached blocks counted as used); -1 on the CPU or when built against a CPU libtorch.
std::int64_t freeDeviceMemory(torch::Device device);

// True when this build can talk to CUDA (built against a CUDA libtorch: SERWB_TORCH_CUDA).
bool builtWithCuda();

// A CPU training step allocates and frees activations of tens of megabytes (ResNet18, batch 32:
// up to 40 MB each). glibc serves blocks that large with mmap and returns them with munmap, so every
// step maps fresh pages that the kernel must fault in and zero: on the development machine (a VM)
// that was two thirds of a ResNet18 step (5.9 s of 11 s was system time). This tells glibc to serve
// every block from the heap and to keep freed memory for reuse (M_MMAP_MAX 0, M_TRIM_THRESHOLD
// 1 GiB); releaseFreeMemory() hands it back when training ends. Process-wide, idempotent, glibc only
// (returns false elsewhere). SERWB_MALLOC=default in the environment keeps glibc's defaults.
bool keepLargeAllocationsOnHeap();
// Returns freed heap memory to the system (malloc_trim). Harmless when nothing is free.
void releaseFreeMemory();

}  // namespace ser
