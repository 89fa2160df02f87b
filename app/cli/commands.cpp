#include <unistd.h>

#include <iostream>

#include "app/cli/command.h"
#include "core/base/json_text.h"

namespace ser::cli {

std::unique_ptr<Command> makeMakeDemoCommand();
std::unique_ptr<Command> makeScanCommand();
std::unique_ptr<Command> makePreprocessCommand();
std::unique_ptr<Command> makeTrainCommand();
std::unique_ptr<Command> makeEvaluateCommand();
std::unique_ptr<Command> makePredictCommand();
std::unique_ptr<Command> makeReproduceCommand();

std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> registerCommands(CLI::App& app) {
  struct Entry {
    const char* name;
    const char* help;
    std::unique_ptr<Command> (*make)();
  };
  const Entry entries[] = {
      {"make-demo", "write the synthetic demo corpora (RAVDESS and CREMA-D layouts)",
       &makeMakeDemoCommand},
      {"scan", "scan corpora and report clips, speakers, labels and skipped files", &makeScanCommand},
      {"preprocess", "compute log-mel and utterance features for every clip into a cache",
       &makePreprocessCommand},
      {"train", "train and evaluate one experiment; writes a run folder", &makeTrainCommand},
      {"evaluate", "evaluate a trained model on corpora; writes metrics.json and predictions.csv",
       &makeEvaluateCommand},
      {"predict", "predict the emotion of audio files with a trained model", &makePredictCommand},
      {"reproduce", "run the study's four experiments and write the master table",
       &makeReproduceCommand},
  };
  std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> out;
  for (const Entry& e : entries) {
    CLI::App* sub = app.add_subcommand(e.name, e.help);
    auto cmd = e.make();
    cmd->setup(*sub);
    out.emplace_back(sub, std::move(cmd));
  }
  return out;
}

void printJson(const nlohmann::json& j) {
  // Non-UTF-8 bytes (Latin-1 file names) are escaped reversibly: see core/base/json_text.h.
  std::cout << dumpJson(j, ::isatty(STDOUT_FILENO) ? 2 : -1) << std::endl;
}

}  // namespace ser::cli
