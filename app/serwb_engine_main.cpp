// serwb-engine: every serwb subcommand, with libtorch. `serwb` execv()s it for the subcommands
// that train or apply networks; it is installed in libexec/serwb/, not on the PATH.
#include "app/cli/run_cli.h"
#include "core/about/about.h"

namespace {
std::string versionText() { return ser::versionText("serwb"); }
}  // namespace

int main(int argc, char** argv) {
  return ser::cli::runCli(argc, argv, &ser::cli::makeEngineCommand, &versionText);
}
