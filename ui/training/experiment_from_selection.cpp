#include "ui/training/experiment_from_selection.h"

#include <algorithm>
#include <set>

#include "core/base/error.h"
#include "core/experiment/experiment.h"
#include "ui/dataset/dataset_selection.h"

namespace ser {
namespace {

std::vector<std::string> speakersOfCorpora(const std::vector<Clip>& clips,
                                           const std::vector<std::string>& corpora) {
  const std::set<std::string> wanted(corpora.begin(), corpora.end());
  std::set<std::string> speakers;
  for (const Clip& c : clips)
    if (wanted.count(c.corpus)) speakers.insert(c.speaker);
  return {speakers.begin(), speakers.end()};
}

}  // namespace

nlohmann::json datasetExperimentJson(const DatasetSelection& selection, const std::vector<Clip>& clips) {
  selection.validate();
  nlohmann::json corpora = nlohmann::json::array();
  for (const CorpusSpec& spec : selection.corpora) corpora.push_back(toJson(spec));

  const SplitChoice& s = selection.split;
  nlohmann::json split = nlohmann::json::object();
  nlohmann::json trainCorpora = nlohmann::json::array();
  nlohmann::json testCorpora = nlohmann::json::array();
  switch (s.protocol) {
    case SplitChoiceProtocol::SpeakerIndependent:
      split["protocol"] = "speakers";
      split["test_speakers"] = s.testSpeakers;
      split["validation_speakers"] = s.validationSpeakers;
      break;
    case SplitChoiceProtocol::KFold:
      split["protocol"] = "kfold";
      split["folds"] = s.folds;
      split["fold"] = 0;
      split["validation_from_next_fold"] = s.folds >= 3;
      break;
    case SplitChoiceProtocol::Random:
      split["protocol"] = "random";
      split["test_fraction"] = s.testFraction;
      split["validation_fraction"] = s.validationFraction;
      break;
    case SplitChoiceProtocol::CrossCorpus: {
      const std::vector<std::string> held = speakersOfCorpora(clips, s.testCorpora);
      if (held.empty())
        throw Error("cross-corpus split: the test corpora have no clips (scan the dataset first)");
      split["protocol"] = "speakers";
      split["test_speakers"] = held;  // validation speakers: chosen among the training corpora
      trainCorpora = s.trainCorpora;
      testCorpora = s.testCorpora;
      break;
    }
  }
  return {{"corpora", corpora},
          {"labels", selection.labels == LabelSetChoice::Common ? "common6" : "native"},
          {"label_policy", toString(selection.policy)},
          {"split", split},
          {"train_corpora", trainCorpora},
          {"test_corpora", testCorpora}};
}


Experiment experimentWithDataset(const nlohmann::json& dataset, const Experiment& base) {
  nlohmann::json j = toJson(base);
  for (const auto& [key, value] : dataset.items()) j[key] = value;
  return experimentFromJson(j);
}

Experiment experimentFromSelection(const DatasetSelection& selection, const std::vector<Clip>& clips,
                                   const Experiment& base) {
  return experimentWithDataset(datasetExperimentJson(selection, clips), base);
}

}  // namespace ser
