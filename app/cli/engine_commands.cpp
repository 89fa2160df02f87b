#include "app/cli/command.h"

namespace ser::cli {

std::unique_ptr<Command> makeTrainCommand();
std::unique_ptr<Command> makeEvaluateCommand();
std::unique_ptr<Command> makePredictCommand();
std::unique_ptr<Command> makeReproduceCommand();
std::unique_ptr<Command> makeEmbedCommand();

std::unique_ptr<Command> makeEngineCommand(const std::string& name) {
  if (name == "train") return makeTrainCommand();
  if (name == "evaluate") return makeEvaluateCommand();
  if (name == "predict") return makePredictCommand();
  if (name == "reproduce") return makeReproduceCommand();
  if (name == "embed") return makeEmbedCommand();
  return makeFrontDoorCommand(name);
}

}  // namespace ser::cli
