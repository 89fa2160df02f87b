#include "ui/training/compute_info.h"

#include <algorithm>
#include <thread>

#include <torch/cuda.h>
#include <torch/version.h>

namespace ser {

bool cudaAvailable() { return torch::cuda::is_available(); }

QString libtorchVersion() { return QStringLiteral(TORCH_VERSION); }

QString computeDeviceSummary() {
  if (cudaAvailable()) {
    const int n = int(torch::cuda::device_count());
    return QStringLiteral("CUDA (%1 device%2)").arg(n).arg(n == 1 ? "" : "s");
  }
  // TrainerOptions::threads = 0 (the default) trains on every hardware thread.
  const int threads = int(std::max(1u, std::thread::hardware_concurrency()));
  return QStringLiteral("CPU (%1 thread%2 for training)").arg(threads).arg(threads == 1 ? "" : "s");
}

}  // namespace ser
