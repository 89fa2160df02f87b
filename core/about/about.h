#pragma once
// What this build of SER Workbench is and where it computes: shown by `serwb --version` and the
// GUI's About dialog. Querying the device has no side effects (the thread pool is not resized).
#include <string>

#include "core/about/build_info.h"

namespace ser {

// The device the engine picks by default: "cuda:0 (1 device)" when libtorch sees CUDA, else
// "cpu (N threads)" with N the hardware threads (the trainer's default thread count).
std::string computeDevice();

// Two lines, no trailing newline: "<program> 0.1.0" and "libtorch 1.13.0 (cpu, 2 threads)".
std::string versionText(const std::string& program = "serwb");

}  // namespace ser
