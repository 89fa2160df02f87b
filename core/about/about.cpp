#include "core/about/about.h"

#include <torch/cuda.h>

namespace ser {

std::string computeDevice() {
  if (torchHasGpuSupport() && torch::cuda::is_available()) {
    const auto n = static_cast<long long>(torch::cuda::device_count());
    return "cuda:0 (" + std::to_string(n) + (n == 1 ? " device)" : " devices)");
  }
  return cpuDevice();
}

std::string versionText(const std::string& program) { return versionText(program, computeDevice()); }

}  // namespace ser
