#include "core/about/about.h"

#include <torch/cuda.h>
#include <torch/version.h>

#include <thread>

namespace ser {

namespace {

struct DeviceSummary {
  std::string kind;    // "cpu" or "cuda:0"
  std::string detail;  // "2 threads" or "1 device"
};

std::string plural(long long n, const char* singular, const char* pluralForm) {
  return std::to_string(n) + " " + (n == 1 ? singular : pluralForm);
}

DeviceSummary deviceSummary() {
  if (torch::cuda::is_available())
    return {"cuda:0", plural(static_cast<long long>(torch::cuda::device_count()), "device", "devices")};
  long long threads = std::thread::hardware_concurrency();
  if (threads < 1) threads = 1;
  return {"cpu", plural(threads, "thread", "threads")};
}

}  // namespace

std::string projectVersion() { return SERWB_VERSION; }

std::string torchVersion() { return TORCH_VERSION; }

std::string computeDevice() {
  const DeviceSummary d = deviceSummary();
  return d.kind + " (" + d.detail + ")";
}

std::string versionText(const std::string& program) {
  const DeviceSummary d = deviceSummary();
  return program + " " + projectVersion() + "\nlibtorch " + torchVersion() + " (" + d.kind + ", " +
         d.detail + ")";
}

}  // namespace ser
