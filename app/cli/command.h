#pragma once
// A `serwb` subcommand: declares its options on a CLI11 subcommand, then runs.
#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
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

// Registers every subcommand on `app`; the pairs are (subcommand, command).
std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> registerCommands(CLI::App& app);

// Prints `j` (pretty when stdout is a terminal) followed by a newline.
void printJson(const nlohmann::json& j);

}  // namespace ser::cli
