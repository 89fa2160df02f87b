// serwb: the SER Workbench command line. Thin: parses, dispatches to app/cli commands, and turns
// errors into one line on stderr.
#include <csignal>
#include <iostream>

#include "app/cli/command.h"
#include "core/about/about.h"
#include "core/base/error.h"

namespace {
ser::CancelFlag* gCancel = nullptr;  // for the SIGINT handler only
extern "C" void onInterrupt(int) {
  if (gCancel) gCancel->cancel();
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"SER Workbench: speech emotion recognition research from the command line", "serwb"};
  app.set_version_flag("--version", [] { return ser::versionText("serwb"); },
                       "Print the version, the libtorch version and the compute device, and exit");
  app.require_subcommand(1);
  auto commands = ser::cli::registerCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  ser::CancelFlag cancel;
  gCancel = &cancel;
  std::signal(SIGINT, onInterrupt);
  for (auto& [sub, command] : commands) {
    if (!sub->parsed()) continue;
    try {
      return command->run(cancel);
    } catch (const ser::Cancelled& e) {
      std::cerr << "serwb " << sub->get_name() << ": " << e.what() << std::endl;
      return 130;
    } catch (const ser::Error& e) {
      std::cerr << "serwb " << sub->get_name() << ": error: " << e.what() << std::endl;
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "serwb " << sub->get_name() << ": internal error: " << e.what() << std::endl;
      return 3;
    }
  }
  return 0;
}
