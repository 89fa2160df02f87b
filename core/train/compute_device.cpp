#include "core/train/compute_device.h"

#include <cstdlib>
#include <cstring>
#include <thread>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/base/error.h"

#ifdef SERWB_TORCH_CUDA
#include <ATen/Context.h>
#include <cuda_runtime_api.h>
#endif

namespace ser {

bool keepLargeAllocationsOnHeap() {
#ifdef __GLIBC__
  static const bool applied = [] {
    const char* env = std::getenv("SERWB_MALLOC");
    if (env && std::strcmp(env, "default") == 0) return false;
    constexpr int kTrimThreshold = 1 << 30;
    return mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
  }();
  return applied;
#else
  return false;
#endif
}

void releaseFreeMemory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

ComputeDevice selectComputeDevice(DeviceChoice choice, int threads) {
  ComputeDevice result;
  const bool cuda = torch::cuda::is_available();
  if (choice == DeviceChoice::Cuda && !cuda)
    throw Error("device 'cuda' was requested but no CUDA device is available to libtorch");
  if (choice != DeviceChoice::Cpu && cuda) {
    result.device = torch::Device(torch::kCUDA, 0);
    const auto count = torch::cuda::device_count();
    std::string name;
#ifdef SERWB_TORCH_CUDA
    cudaDeviceProp props;
    if (cudaGetDeviceProperties(&props, 0) == cudaSuccess) {
      name = std::string(props.name) + ", ";
      result.computeCapability = props.major * 10 + props.minor;
    }
    at::globalContext().setBenchmarkCuDNN(true);
#endif
    result.description =
        "cuda:0 (" + name + std::to_string(count) + (count == 1 ? " device)" : " devices)");
    result.threads = torch::get_num_threads();
    return result;
  }
  int n = threads > 0 ? threads : int(std::thread::hardware_concurrency());
  if (n < 1) n = 1;
  torch::set_num_threads(n);
  result.threads = n;
  result.heapAllocator = keepLargeAllocationsOnHeap();
  result.description = "cpu (" + std::to_string(n) + (n == 1 ? " thread)" : " threads)");
  return result;
}

std::int64_t freeDeviceMemory(torch::Device device) {
  if (!device.is_cuda()) return -1;
#ifdef SERWB_TORCH_CUDA
  int previous = 0;
  if (cudaGetDevice(&previous) != cudaSuccess) return -1;
  std::size_t freeBytes = 0;
  std::size_t totalBytes = 0;
  const int index = device.has_index() ? device.index() : 0;
  const bool ok = cudaSetDevice(index) == cudaSuccess && cudaMemGetInfo(&freeBytes, &totalBytes) == cudaSuccess;
  cudaSetDevice(previous);
  return ok ? std::int64_t(freeBytes) : -1;
#else
  return -1;
#endif
}

bool builtWithCuda() {
#ifdef SERWB_TORCH_CUDA
  return true;
#else
  return false;
#endif
}

}  // namespace ser
