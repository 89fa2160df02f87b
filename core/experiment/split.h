#pragma once
// Train / validation / test split protocols over a list of clips. Splits are index lists into
// the caller's clip vector. Speaker-independent protocols (Speakers, KFold) never put one speaker
// in two splits; the Random protocol does, and says so in its warnings.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/corpus/clip.h"

namespace ser {

enum class SplitProtocol {
  Speakers,  // test / validation speakers listed explicitly, or chosen (sex-balanced, seeded)
  Random,    // clips drawn at random, stratified by label: leaks speakers across splits
  KFold,     // speakers in k folds (dealt sex-balanced, or from a folds file or preset); fold
             // `fold` is the test split, or every fold in turn (runCrossValidation)
};
std::string toString(SplitProtocol protocol);  // "speakers", "random", "kfold"
SplitProtocol splitProtocolFromString(const std::string& name);  // throws ParameterError

struct SplitSpec {
  SplitProtocol protocol = SplitProtocol::Speakers;

  // Speakers: ids exactly as Clip::speaker ("ravdess:11"). An empty list means "choose
  // automatically" by the held-out policy (resolveHeldOutSpeakers below): per corpus, test
  // speakers first, validation speakers from those left.
  std::vector<std::string> testSpeakers;
  std::vector<std::string> validationSpeakers;
  // Automatic speaker choice, per corpus: a count > 0 wins over the fraction. Fractions are of a
  // corpus's speakers (test) and of those left after the test choice (validation); a fraction
  // > 0 takes at least one speaker but never the corpus's last one left for training.
  double testFraction = 0.2;        // [0, 1); also the test share of each label for Random
  double validationFraction = 0.1;  // [0, 1); also the validation share for Random; 0 = none
  int testSpeakerCount = 0;         // [0, inf); 0 = use testFraction
  int validationSpeakerCount = 0;   // [0, inf); 0 = use validationFraction
  bool balanceSex = true;           // automatic choices and folds keep the sexes in proportion

  // KFold: `folds` in [2, #speakers] (ignored when foldsFile or foldsPreset gives the folds).
  // `fold` in [0, folds - 1] is the one test fold (0-based); -1 means every fold in turn, which
  // runCrossValidation (core/pipeline/cross_validation.h) runs and makeSplit refuses.
  // Validation speakers are chosen from each fold's training speakers (validationFraction or
  // validationSpeakerCount, seeded and sex-balanced as for Speakers); with
  // validationFromNextFold (needs >= 3 folds) they are the next fold's speakers instead.
  int folds = 5;
  int fold = -1;
  bool validationFromNextFold = false;
  // Fixed folds instead of the seeded deal (at most one of the two; KFold only):
  std::string foldsFile;    // CSV `speaker,fold` (see readFoldsFile); relative to the working folder
  std::string foldsPreset;  // a named published assignment (see foldsPresetNames())

  std::uint64_t seed = 1;  // every random choice derives from it: same seed, same split

  // Checks the ranges that do not depend on the clips (fractions, folds >= 2, fold < folds,
  // a known preset, folds file / preset only with KFold and not both).
  void validate() const;
  // True for KFold with fold -1: a cross-validation, not one split.
  bool everyFold() const { return protocol == SplitProtocol::KFold && fold < 0; }
};

struct Split {
  std::vector<std::size_t> train, validation, test;  // ascending clip indices; disjoint
  std::string protocol;                  // toString(spec.protocol)
  std::vector<std::string> warnings;     // plain-language notes for the user (leakage, exclusions)
  bool speakerIndependent = true;        // true for Speakers and KFold, false for Random
  // The speakers of each split, sorted (for Random they overlap).
  std::vector<std::string> trainSpeakers, validationSpeakers, testSpeakers;
};

// One row of a folds file or preset: speaker `speaker` is tested in fold `fold` (1-based).
struct FoldRow {
  std::string speaker;   // corpus-qualified id, "ravdess:01"
  int fold = 0;          // 1-based
  std::size_t line = 0;  // 1-based line in the file (0 for a preset)
};

// A fixed fold assignment as written: a file's rows or a preset's.
struct FoldTable {
  std::string source;  // "folds file '<path>'" or "folds preset 'emobox-ravdess'", for messages
  bool preset = false; // presets may name speakers the corpus lacks (their folds shrink)
  std::vector<FoldRow> rows;
};

// Reads a folds CSV with columns `speaker` and `fold` (other columns ignored; header names
// trimmed, any case). Throws ser::Error naming the file, and the line where one is at fault:
// a missing column, an empty speaker, a fold that is not an integer >= 1, a speaker listed twice
// (both lines named), fold numbers with a gap (an empty fold), no rows.
FoldTable readFoldsFile(const std::string& path);

// The presets' names, for messages and --help: {"emobox-ravdess"}.
std::vector<std::string> foldsPresetNames();
// A preset by name. "emobox-ravdess": the EmoBox benchmark's RAVDESS speech folds (6 folds of
// 4 actors: 1 = 01, 11, 20, 21; 2 = 04, 10, 12, 14; 3 = 08, 09, 19, 23; 4 = 03, 05, 07, 24;
// 5 = 02, 15, 16, 18; 6 = 06, 13, 17, 22). Throws ParameterError ("folds_preset") otherwise.
FoldTable foldsPreset(const std::string& name);

// The folds a KFold spec gives on these clips: each a sorted list of speaker ids, in fold order.
struct FoldPlan {
  std::vector<std::vector<std::string>> folds;
  std::vector<std::string> notes;  // e.g. preset folds dropped because none of their speakers is here
  std::string source;              // "automatic (seed 42)", "folds file '...'", "folds preset '...'"
};

// Only speakers with a labelled clip (labelOf >= 0) take part. With a file, every such speaker
// must be listed and every listed speaker must be in the clips (ser::Error naming the file and
// the line); a fold left without labelled clips is an error. With a preset, speakers the clips
// lack are passed over and folds left empty are dropped with a note; speakers the preset lacks
// are an error. Automatic folds deal the speakers as makeSplit does (the plan does not depend on
// spec.fold). Throws ParameterError when fewer than 2 folds remain.
FoldPlan planFolds(const std::vector<Clip>& clips, const std::vector<int>& labelOf,
                   const SplitSpec& spec);

// Builds the split. `labelOf[i]` is clip i's class index, or -1 to leave the clip out (no label
// under the chosen label set); it must have clips.size() entries. Throws ParameterError for
// invalid spec values (including folds > #speakers), ser::Error for unknown or repeated speaker
// ids, for splits that would come out empty (no training or no test clips), for a KFold spec
// with fold -1 (every fold: see runCrossValidation) and, for a speaker-independent protocol, for
// one audio file (Clip::path) in two parts.
Split makeSplit(const std::vector<Clip>& clips, const std::vector<int>& labelOf,
                const SplitSpec& spec);

// The held-out policy of every entry point (the GUI wizard's proposal, `serwb train` without
// speaker lists, `serwb reproduce`). Listed speakers keep their role; the others are chosen per
// corpus, so that every corpus is represented and a corpus's choice does not depend on which
// other corpora are loaded:
//  - a corpus named "ravdess" with all 24 actors, when the spec asks for the default choice (no
//    lists, no counts, the default shares): the customary test actors 21-24, validation 19-20;
//  - any other corpus: round(testFraction x its speakers) test speakers (or testSpeakerCount),
//    then round(validationFraction x those left) validation speakers, sex-balanced when
//    balanceSex, drawn by a generator seeded with spec.seed afresh for each corpus; a fraction
//    never takes a corpus's last training speaker.
// Only speakers with a labelled clip (labelOf >= 0) are chosen. makeSplit applies the same policy
// when the lists are empty. Returns `spec` as a Speakers spec with both lists filled in (sorted);
// throws what makeSplit throws for bad values or unknown ids.
SplitSpec resolveHeldOutSpeakers(const std::vector<Clip>& clips, const std::vector<int>& labelOf,
                                 const SplitSpec& spec);

// Checks `spec` against the clips it will split (k no greater than the number of speakers,
// listed speakers known and in one list, no empty training or test split): exactly makeSplit's
// checks, for callers that want the verdict before a run (the wizard). Throws as makeSplit does.
void validateSplitForClips(const SplitSpec& spec, const std::vector<Clip>& clips,
                           const std::vector<int>& labelOf);

// Which clip field holds the label: the common 6-class label or the corpus-native emotion.
enum class LabelField { Common, Emotion };

// Class index of each clip in `labels` (-1 when its label is empty or not in `labels`).
std::vector<int> labelIndices(const std::vector<Clip>& clips, const std::vector<std::string>& labels,
                              LabelField field);

// All speaker ids of one corpus, sorted: the test list of a cross-corpus experiment.
std::vector<std::string> speakersOfCorpus(const std::vector<Clip>& clips, const std::string& corpus);

}  // namespace ser
