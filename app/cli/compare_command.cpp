#include <iostream>
#include <string>
#include <vector>

#include "app/cli/command.h"
#include "core/base/error.h"
#include "core/runs/run_comparison.h"
#include "core/runs/run_record.h"
#include "core/runs/study_table.h"

namespace ser::cli {

// `serwb compare RUN RUN...`: the runs' figures side by side, the configuration keys that differ
// and the paired difference of each pair tested on the same clips (core/runs/run_comparison.h).
class CompareCommand : public Command {
 public:
  void setup(CLI::App& sub) override {
    sub.add_option("RUN", dirs_, "run folders (written by serwb train or evaluate, or the GUI)")
        ->required()
        ->expected(2, 1000);
    sub.add_option("--resamples", options_.bootstrap.resamples,
                   "bootstrap resamples of the paired difference")
        ->capture_default_str();
    sub.add_option("--seed", options_.bootstrap.seed, "bootstrap seed")->capture_default_str();
    sub.add_flag("--json", json_, "print one JSON object instead of text");
  }

  int run(const CancelFlag& /*cancel*/) override {
    options_.validate();
    std::vector<RunRecord> runs;
    for (const std::string& dir : dirs_) {
      if (!isRunFolder(dir) && isStudyFolder(dir))
        throw Error(dir + ": a study folder, not a run folder; pass the run folders inside it");
      runs.push_back(loadRunRecord(dir));  // throws naming the folder and the file
    }
    const RunComparison comparison = compareRuns(runs, options_);
    if (json_)
      printJson(toJson(comparison));
    else
      std::cout << comparisonText(comparison);
    return 0;
  }

 private:
  std::vector<std::string> dirs_;
  ComparisonOptions options_;
  bool json_ = false;
};

std::unique_ptr<Command> makeCompareCommand() { return std::make_unique<CompareCommand>(); }

}  // namespace ser::cli
