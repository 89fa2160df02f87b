#pragma once
// Turns the dataset wizard's DatasetSelection into the dataset part of an ser::Experiment. Qt-free.
// The conversion goes through the experiment JSON format (the contract the CLI and the GUI share),
// so core/experiment's parser validates the result and names any bad field.
#include <vector>

#include <nlohmann/json.hpp>

#include "core/corpus/clip.h"

namespace ser {

struct DatasetSelection;
struct Experiment;

// The dataset keys of an experiment JSON object: corpora, labels, label_policy, split,
// train_corpora, test_corpora. `clips` are the scanned clips of the selection's corpora; the
// cross-corpus protocol needs them to hold out every speaker of the test corpora.
//   speaker-independent -> "speakers" with the chosen test / validation speakers
//   k-fold              -> "kfold", fold 0 of `folds` (validation from the next fold when k >= 3)
//   random              -> "random" with the clip fractions
//   cross-corpus        -> "speakers" holding out all test-corpus speakers, plus corpus filters
// Throws ParameterError (DatasetSelection::validate) or ser::Error (no speakers in the test corpora).
nlohmann::json datasetExperimentJson(const DatasetSelection& selection, const std::vector<Clip>& clips);

// `base` (model, training, front end, seed, cache) with its dataset part replaced by `dataset`
// (datasetExperimentJson's result). Throws ser::Error / ParameterError naming what is invalid.
Experiment experimentWithDataset(const nlohmann::json& dataset, const Experiment& base);

// Both steps at once.
Experiment experimentFromSelection(const DatasetSelection& selection, const std::vector<Clip>& clips,
                                   const Experiment& base);

}  // namespace ser
