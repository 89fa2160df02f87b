#pragma once
// An experiment: which corpora, which labels, which split, which front end, which model and
// hyper-parameters, which seed. The CLI (`serwb train --experiment FILE` or flags) and the GUI
// read and write the same JSON file; unknown keys and bad values are refused naming them.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/corpus/corpus_spec.h"
#include "core/experiment/split.h"
#include "core/features/front_end_params.h"
#include "core/svm/svm_classifier.h"
#include "core/train/trainer_options.h"

namespace ser {

// Which label set the classes come from.
enum class LabelSetKind {
  Native,   // the corpora's own emotion labels (RAVDESS: 8 classes)
  Common6,  // neutral, happy, sad, angry, fearful, disgust (cross-corpus work)
};
std::string toString(LabelSetKind kind);                     // "native", "common6"
LabelSetKind labelSetKindFromString(const std::string& s);  // throws ParameterError ("labels")

// The classifier family: the two networks train with ser::Trainer, the SVM with libsvm.
// Encoder: a head trained on a frozen pretrained speech encoder (training.encoder names its file).
enum class ExperimentModel { Cnn, ResNet18, Svm, Encoder };
std::string toString(ExperimentModel model);                      // "cnn", "resnet18", "svm", "encoder"
ExperimentModel experimentModelFromString(const std::string& s);  // throws ParameterError ("model")
// The network a model family trains (Svm: CompactCnn, unused).
ModelKind networkKind(ExperimentModel model);

struct Experiment {
  std::string name;                    // free text; run folders are named by the caller
  std::vector<CorpusSpec> corpora;     // at least one
  // The one label default of the GUI wizard and `serwb train` (and of experiment files without a
  // "labels" key): the corpora's own labels, as the README's RAVDESS figures use them.
  // Cross-corpus work asks for Common6 (the study, `serwb reproduce`, always does).
  LabelSetKind labels = LabelSetKind::Native;
  CommonLabelPolicy labelPolicy = CommonLabelPolicy::Drop;  // RAVDESS calm/surprised in common6
  SplitSpec split;                     // protocol and held-out speakers
  // Optional corpus filters applied after the split: training and validation clips come only
  // from trainCorpora, test clips only from testCorpora (corpus names; empty = all).
  std::vector<std::string> trainCorpora;
  std::vector<std::string> testCorpora;
  FrontEndParams frontEnd;             // 16 kHz, 3.0 s, 64 log-mel bands
  ExperimentModel model = ExperimentModel::Cnn;
  TrainerOptions training;             // networks; `model` follows the field above
  SvmOptions svm;                      // the SVM baseline
  std::uint32_t seed = 42;             // split, initialisation, shuffling, augmentation, SVM
  std::string cache;                   // feature cache folder; empty = the user cache folder

  // Checks everything that does not need the data; throws ParameterError / ser::Error.
  void validate() const;
};

// The split `experiment` gives on `clips` (the scanned clips of its corpora), made as the runner
// makes it: its label set, its seed, its train / test corpus filters. Throws ParameterError /
// ser::Error for what the run would refuse: fewer than two classes, k greater than the number of
// speakers, unknown or repeated speaker ids, no training or no test clips, and test clips of a
// class that has no training clips (cross-corpus work with corpora whose native labels differ).
Split experimentSplit(const Experiment& experiment, const std::vector<Clip>& clips);

// The held-out speakers the policy chooses (resolveHeldOutSpeakers in split.h: per corpus,
// seeded, sex-balanced, the RAVDESS preset when all 24 actors are present) for `experiment`'s
// corpora under its label set and seed: a Speakers SplitSpec with default shares and both lists
// filled in. The wizard proposes it, `serwb train` without speaker lists and `serwb reproduce`
// arrive at the same speakers.
SplitSpec defaultHeldOut(const Experiment& experiment, const std::vector<Clip>& clips);

// The folder used when Experiment::cache is empty: $XDG_CACHE_HOME/serwb/features, else
// ~/.cache/serwb/features, else a folder under the system temp folder.
std::string defaultFeatureCacheDir();

nlohmann::json toJson(const Experiment& experiment);
// Missing keys keep their defaults; unknown keys and bad values throw ser::Error naming them
// (with the key path, e.g. "split.test_fraction").
Experiment experimentFromJson(const nlohmann::json& json);
Experiment loadExperimentFile(const std::string& path);  // throws ser::Error naming the file

nlohmann::json toJson(const SplitSpec& spec);
SplitSpec splitSpecFromJson(const nlohmann::json& json);
nlohmann::json toJson(const FrontEndParams& params);
FrontEndParams frontEndParamsFromJson(const nlohmann::json& json);
nlohmann::json toJson(const SvmOptions& options);
SvmOptions svmOptionsFromJson(const nlohmann::json& json);

// The class list for `clips` under a label set: the canonical order (RAVDESS native order, then
// CREMA-D's, then any other label sorted), keeping only labels that occur in `clips`.
std::vector<std::string> labelsFor(const std::vector<Clip>& clips, LabelSetKind kind);
LabelField labelField(LabelSetKind kind);

}  // namespace ser
