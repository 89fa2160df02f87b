#pragma once
// A `serwb` subcommand: declares its options on a CLI11 subcommand, then runs.
#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/progress.h"

namespace ser::cli {

class Command {
 public:
  virtual ~Command() = default;
  // Declares the subcommand's options on `sub`.
  virtual void setup(CLI::App& sub) = 0;
  // Runs after parsing. Returns the exit code; throws ser::Error for user errors (the main prints
  // them as one line on stderr and exits 1). `cancel` is set by Ctrl-C.
  virtual int run(const CancelFlag& cancel) = 0;
};

// One subcommand as `serwb --help` lists it.
struct CommandInfo {
  const char* name;
  const char* help;     // the one-line description
  bool needsEngine;     // uses libtorch: runs in serwb-engine (see app/serwb_main.cpp)
};

// Every subcommand, in the order `serwb --help` lists them.
const std::vector<CommandInfo>& commandInfos();
// The CommandInfo named `name`, or nullptr.
const CommandInfo* findCommand(const std::string& name);

// Makes the command named `name`, or returns nullptr when this executable cannot run it.
using CommandFactory = std::unique_ptr<Command> (*)(const std::string& name);
// The commands that need no libtorch (make-demo, scan, preprocess, compare): in serwb_cli_front.
std::unique_ptr<Command> makeFrontDoorCommand(const std::string& name);
// Every command: in serwb_cli (links libtorch).
std::unique_ptr<Command> makeEngineCommand(const std::string& name);

// Registers every subcommand of commandInfos() on `app`; the pairs are (subcommand, command).
// One that `make` cannot make is registered with its name and description only (for --help),
// with a null command.
std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> registerCommands(CLI::App& app,
                                                                             CommandFactory make);

// Prints `j` (pretty when stdout is a terminal) followed by a newline.
void printJson(const nlohmann::json& j);

}  // namespace ser::cli
