#pragma once
// Build facts known without loading libtorch: what the `serwb` front door prints for --version
// (it links no libtorch, so that commands which do not train start at once).
#include <string>

namespace ser {

// The project version from CMake's project(VERSION), e.g. "0.1.0".
std::string projectVersion();

// The libtorch version the engine was built against, e.g. "1.13.0" (its torch/version.h).
std::string torchVersion();

// True when that libtorch was built with GPU support (CUDA or ROCm): only libtorch itself can
// then tell which device the engine uses. False for Debian's CPU-only libtorch.
bool torchHasGpuSupport();

// "cpu (N threads)", N the hardware threads (the trainer's default thread count).
std::string cpuDevice();

// The two lines of --version, no trailing newline: "<program> 0.1.0" and
// "libtorch 1.13.0 (cpu, 2 threads)" for `device` "cpu (2 threads)".
std::string versionText(const std::string& program, const std::string& device);

}  // namespace ser
