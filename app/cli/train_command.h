#pragma once
// `serwb train`'s experiment builder, for tests: the Experiment the command runs for ARGS.
#include <string>
#include <vector>

#include "core/experiment/experiment.h"

namespace ser::cli {

// The experiment `serwb train ARGS...` would run (ARGS after the subcommand name, e.g.
// {"--ravdess", "DIR", "--out", "runs/x"}). Throws CLI::ParseError for bad flags and
// ser::Error / ParameterError for bad values, as the command does.
Experiment trainExperimentFromArgs(const std::vector<std::string>& args);

}  // namespace ser::cli
