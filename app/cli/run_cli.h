#pragma once
// The main of both command-line executables, `serwb` (the front door) and `serwb-engine`.
#include <string>

#include "app/cli/command.h"

namespace ser::cli {

// Parses argv, registering every subcommand (those `make` cannot make for --help only), and runs
// the chosen one with Ctrl-C wired to its CancelFlag. --version prints versionText(). Returns the
// exit code: the command's, 1 for a ser::Error and 3 for any other exception (one line on
// stderr), CLI11's codes for a command line that does not parse.
int runCli(int argc, char** argv, CommandFactory make, std::string (*versionText)());

}  // namespace ser::cli
