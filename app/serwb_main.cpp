// serwb: the SER Workbench command line, its front door. It links no libtorch, so --help,
// --version, make-demo, scan, preprocess and compare start at once. The subcommands that train or apply
// networks (train, evaluate, predict, reproduce) run in serwb-engine, which this program execv()s
// with the same arguments: the same process, so exit codes, output and Ctrl-C are the engine's.
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <iostream>
#include <string>

#include "app/cli/command.h"
#include "app/cli/run_cli.h"
#include "core/about/build_info.h"

namespace {

// serwb-engine beside this executable: at SERWB_ENGINE_RELATIVE_PATH (the installed layout,
// bin/../libexec/serwb/serwb-engine), else in the same folder (the build tree). Empty if absent.
std::string enginePath() {
  char self[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return {};
  std::string dir(self, static_cast<std::size_t>(n));
  dir.resize(dir.rfind('/') + 1);
  for (const std::string& candidate :
       {dir + SERWB_ENGINE_RELATIVE_PATH, dir + "serwb-engine"}) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

// --version without libtorch: the device is the CPU unless libtorch was built with GPU support,
// and then main() asks the engine instead.
std::string versionText() { return ser::versionText("serwb", ser::cpuDevice()); }

}  // namespace

int main(int argc, char** argv) {
  // serwb's own options take no values, so a subcommand can only be the first argument.
  const std::string first = argc > 1 ? argv[1] : "";
  const ser::cli::CommandInfo* info = ser::cli::findCommand(first);
  const bool engineNeeded =
      (info && info->needsEngine) || (first == "--version" && ser::torchHasGpuSupport());
  if (engineNeeded) {
    const std::string engine = enginePath();
    if (!engine.empty()) ::execv(engine.c_str(), argv);  // returns only on failure
    const std::string why = engine.empty() ? "not found beside serwb (looked for " +
                                                 std::string(SERWB_ENGINE_RELATIVE_PATH) +
                                                 " and serwb-engine)"
                                           : engine + ": " + std::strerror(errno);
    std::cerr << "serwb " << first << ": error: cannot start the engine, serwb-engine: " << why
              << std::endl;
    return 3;
  }
  return ser::cli::runCli(argc, argv, &ser::cli::makeFrontDoorCommand, &versionText);
}
