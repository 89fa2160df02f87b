#include "app/cli/run_cli.h"

#include <csignal>
#include <iostream>

#include "core/base/error.h"

namespace ser::cli {

namespace {
CancelFlag* gCancel = nullptr;  // for the SIGINT handler only
extern "C" void onInterrupt(int) {
  if (gCancel) gCancel->cancel();
}
}  // namespace

int runCli(int argc, char** argv, CommandFactory make, std::string (*versionText)()) {
  CLI::App app{"SER Workbench: speech emotion recognition research from the command line", "serwb"};
  app.set_version_flag("--version", versionText,
                       "Print the version, the libtorch version and the compute device, and exit");
  app.require_subcommand(1);
  auto commands = registerCommands(app, make);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  CancelFlag cancel;
  gCancel = &cancel;
  std::signal(SIGINT, onInterrupt);
  for (auto& [sub, command] : commands) {
    if (!sub->parsed()) continue;
    if (!command) {  // the front door hands these to the engine before parsing
      std::cerr << "serwb " << sub->get_name() << ": internal error: not available in this program"
                << std::endl;
      return 3;
    }
    try {
      return command->run(cancel);
    } catch (const Cancelled& e) {  // the user cancelled, at whatever stage
      std::cerr << "serwb " << sub->get_name() << ": " << e.what() << std::endl;
      return 130;
    } catch (const Error& e) {
      std::cerr << "serwb " << sub->get_name() << ": error: " << e.what() << std::endl;
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "serwb " << sub->get_name() << ": internal error: " << e.what() << std::endl;
      return 3;
    }
  }
  return 0;
}

}  // namespace ser::cli
