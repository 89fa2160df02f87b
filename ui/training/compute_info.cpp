#include "ui/training/compute_info.h"

#include "core/about/about.h"

namespace ser {

// One source of truth with `serwb --version`: core/about.
bool cudaAvailable() { return computeDevice().rfind("cuda", 0) == 0; }

QString libtorchVersion() { return QString::fromStdString(torchVersion()); }

QString computeDeviceSummary() { return QString::fromStdString(computeDevice()); }

}  // namespace ser
