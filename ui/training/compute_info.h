#pragma once
// What the About box and the Training panel say about the compute back end. Cheap to call.
#include <QString>

namespace ser {

bool cudaAvailable();
// "1.13.1" (TORCH_VERSION of the libtorch the program was built against).
QString libtorchVersion();
// core/about's computeDevice(): "cuda:0 (1 device)" or "cpu (2 threads)".
QString computeDeviceSummary();

}  // namespace ser
