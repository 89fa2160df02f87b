#include "core/about/build_info.h"

#include <torch/version.h>  // macros only: nothing of libtorch is linked

#include <algorithm>
#include <thread>

namespace ser {

std::string projectVersion() { return SERWB_VERSION; }

std::string torchVersion() { return TORCH_VERSION; }

bool torchHasGpuSupport() { return SERWB_TORCH_GPU != 0; }

std::string cpuDevice() {
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  return "cpu (" + std::to_string(threads) + (threads == 1 ? " thread)" : " threads)");
}

std::string versionText(const std::string& program, const std::string& device) {
  std::string d = device;  // "cpu (2 threads)" -> "cpu, 2 threads)"
  const std::size_t paren = d.find(" (");
  if (paren != std::string::npos) d.replace(paren, 2, ", ");
  return program + " " + projectVersion() + "\nlibtorch " + torchVersion() + " (" + d;
}

}  // namespace ser
