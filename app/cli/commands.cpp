#include <unistd.h>

#include <iostream>

#include "app/cli/command.h"
#include "core/base/json_text.h"

namespace ser::cli {

std::unique_ptr<Command> makeMakeDemoCommand();
std::unique_ptr<Command> makeScanCommand();
std::unique_ptr<Command> makePreprocessCommand();
std::unique_ptr<Command> makeCompareCommand();
std::unique_ptr<Command> makeExportSpectrogramsCommand();

const std::vector<CommandInfo>& commandInfos() {
  static const std::vector<CommandInfo> infos = {
      {"make-demo", "write the synthetic demo corpora (RAVDESS and CREMA-D layouts)", false},
      {"scan", "scan corpora and report clips, speakers, labels and skipped files", false},
      {"preprocess", "compute log-mel and utterance features for every clip into a cache", false},
      {"export-spectrograms", "write each clip's log-mel spectrogram as an image, a folder per emotion",
       false},
      {"train", "train and evaluate one experiment; writes a run folder", true},
      {"evaluate", "evaluate a trained model on corpora; writes metrics.json and predictions.csv",
       true},
      {"predict", "predict the emotion of audio files with a trained model", true},
      {"embed", "embed clips with a trained network and project them to 2-D (PCA or t-SNE) as CSV",
       true},
      {"reproduce", "run the study's four experiments and write the master table", true},
      {"compare", "compare run folders: figures, configuration differences, paired UAR difference",
       false},
  };
  return infos;
}

const CommandInfo* findCommand(const std::string& name) {
  for (const CommandInfo& info : commandInfos())
    if (name == info.name) return &info;
  return nullptr;
}

std::unique_ptr<Command> makeFrontDoorCommand(const std::string& name) {
  if (name == "make-demo") return makeMakeDemoCommand();
  if (name == "scan") return makeScanCommand();
  if (name == "preprocess") return makePreprocessCommand();
  if (name == "compare") return makeCompareCommand();
  if (name == "export-spectrograms") return makeExportSpectrogramsCommand();
  return nullptr;
}

std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> registerCommands(CLI::App& app,
                                                                             CommandFactory make) {
  std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> out;
  for (const CommandInfo& info : commandInfos()) {
    CLI::App* sub = app.add_subcommand(info.name, info.help);
    auto cmd = make(info.name);
    if (cmd) cmd->setup(*sub);
    out.emplace_back(sub, std::move(cmd));
  }
  return out;
}

void printJson(const nlohmann::json& j) {
  // Non-UTF-8 bytes (Latin-1 file names) are escaped reversibly: see core/base/json_text.h.
  std::cout << dumpJson(j, ::isatty(STDOUT_FILENO) ? 2 : -1) << std::endl;
}

}  // namespace ser::cli
