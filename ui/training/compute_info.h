#pragma once
// What the About box and the Training panel say about the compute back end. Cheap to call.
#include <QString>

namespace ser {

bool cudaAvailable();
// "1.13.1" (TORCH_VERSION of the libtorch the program was built against).
QString libtorchVersion();
// "CUDA (1 device)" or "CPU (2 threads for training)".
QString computeDeviceSummary();

}  // namespace ser
