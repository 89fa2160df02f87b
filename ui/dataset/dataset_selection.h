#pragma once
// What the dataset wizard decides: which corpora, which labels, which split protocol.
// Qt-free (std strings only) so the training panel can turn it into an experiment.
#include <string>
#include <vector>

#include "core/corpus/corpus_spec.h"
#include "core/corpus/label_set.h"

namespace ser {

enum class LabelSetChoice {
  Common,  // the common 6-class set (cross-corpus ready); clips without a common label are dropped
  Native,  // each corpus's own labels
};
std::string toString(LabelSetChoice choice);  // "common", "native"

// The wizard's protocols; named apart from core/experiment's SplitProtocol (what the engine runs)
// so that both headers can be used together.
enum class SplitChoiceProtocol {
  SpeakerIndependent,  // held-out test and validation speakers
  KFold,               // k folds grouped by speaker
  Random,              // clip-level random split: speakers leak between train and test
  CrossCorpus,         // train on some corpora, test on others
};
std::string toString(SplitChoiceProtocol protocol);  // "speaker-independent", "k-fold", "random", "cross-corpus"

// The warning the wizard shows for SplitChoiceProtocol::Random, word for word.
inline constexpr const char* kRandomSplitWarning =
    "A random split puts the same speakers in training and test; accuracy will be optimistic.";

struct SplitChoice {
  SplitChoiceProtocol protocol = SplitChoiceProtocol::SpeakerIndependent;
  std::vector<std::string> testSpeakers;        // speaker-independent: corpus-qualified ids
  std::vector<std::string> validationSpeakers;  // speaker-independent: corpus-qualified ids
  int folds = 5;                                // k-fold: k, [2, 20]
  double testFraction = 0.2;                    // random: share of clips for test, [0.05, 0.5]
  double validationFraction = 0.1;              // random: share of clips for validation, [0, 0.4]
  std::vector<std::string> trainCorpora;        // cross-corpus: corpus names to train on
  std::vector<std::string> testCorpora;         // cross-corpus: corpus names to test on
  unsigned seed = 1234;                         // shuffling for k-fold and random
  // Throws ParameterError naming the field: empty test speakers, a speaker in both lists,
  // k out of range, fractions out of range, empty or overlapping corpus lists.
  void validate() const;
};

struct DatasetSelection {
  std::vector<CorpusSpec> corpora;
  LabelSetChoice labels = LabelSetChoice::Common;
  CommonLabelPolicy policy = CommonLabelPolicy::Drop;  // RAVDESS calm/surprised
  SplitChoice split;
  void validate() const;  // no corpora -> ParameterError("corpora"); then split.validate()
};

// Default held-out speakers: per corpus (in sorted speaker order) the last ~20% of speakers for
// test and the ~10% before them for validation, at least one each when a corpus has >= 3 speakers.
void proposeHeldOutSpeakers(const std::vector<std::string>& sortedSpeakerIds,
                            std::vector<std::string>& test, std::vector<std::string>& validation);

// Re-derives the common label of RAVDESS-style "calm" clips under `policy` (the only label the
// policy changes), so a corpus scanned once can follow the wizard's policy choice.
void applyCalmPolicy(Corpus& corpus, CommonLabelPolicy policy);

}  // namespace ser
