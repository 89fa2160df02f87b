#pragma once
// Folds of a cross-validation as separate processes: `serwb train --split kfold --parallel N`
// runs N fold processes at a time on this machine; --print-commands and --slurm print what to
// submit to a cluster instead. Each fold is an ordinary run (serwb-engine train --experiment
// OUT/jobs/fold-K.json --out OUT/fold-K); the summary is then made from the fold folders by
// runCrossValidation, which finds them finished.
#include <filesystem>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/pipeline/cross_validation.h"

namespace ser::cli {

// Writes OUT/jobs/fold-K.json for every job not finished; returns the engine's command line for
// each (argv, the executable first: this serwb-engine).
std::vector<std::vector<std::string>> writeFoldJobs(const std::vector<FoldJob>& jobs,
                                                    const std::filesystem::path& outDir);

// Runs `commands` as child processes, at most `parallel` at a time, each writing its output to
// OUT/jobs/fold-K.log; reports starts and ends on stderr (unless quiet). Polls `cancel` and then
// stops the children (SIGINT) and waits for them. Returns the folds that failed, with a line each
// (exit status and the log's last line).
struct FoldFailure {
  int fold = 0;
  std::string reason;
};
std::vector<FoldFailure> runFoldJobs(const std::vector<FoldJob>& jobs,
                                     const std::vector<std::vector<std::string>>& commands,
                                     const std::filesystem::path& outDir, int parallel, bool quiet,
                                     const CancelFlag& cancel);

// A shell command line for argv (single-quoted where needed).
std::string shellCommand(const std::vector<std::string>& argv);

// A Slurm batch script that runs the jobs as an array (one task per fold, `parallel` at a time
// when > 0) and says how to aggregate afterwards.
std::string slurmArrayScript(const std::vector<FoldJob>& jobs, const std::filesystem::path& outDir,
                             int parallel, int cpusPerTask);

}  // namespace ser::cli
